"""Building the pinned Pulumi CLI from Go modules into the per-user cache.

``go install github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v3.276.0`` is refused (that module's
``go.mod`` has ``replace`` lines), so the CLI is built inside a small wrapper module whose
``go.mod`` and ``go.sum`` ship with this package (:func:`~.pin.module_files`): every module
the build uses is pinned by checksum. The build is Pulumi's release build (no cgo, tags
``osusergo,grpcnotrace``, ``-trimpath``) with the version linked in; the SDK module's
``pulumi-resource-pulumi-python`` script is installed beside the binary. A stamp written last
marks a complete build, so an interrupted one is redone, and a lock lets only one process
build at a time (the others wait for it and reuse its result).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path

from .locate import STAMP, PulumiCli, cached_cli, cli_version
from .pin import (
    BUILD_TAGS,
    CLI_PACKAGE,
    LANGUAGE_HOST_MODULE,
    PULUMI_VERSION,
    PYTHON_PROVIDER_PATH_IN_SDK,
    PYTHON_PROVIDER_SCRIPT,
    SDK_MODULE,
    VERSION_LDFLAG,
    install_root,
    module_files,
)

#: The oldest Go that builds the pinned module by itself (newer toolchains are fetched by Go
#: from the module proxy when ``go.mod`` asks for one, from Go 1.21 on).
MINIMUM_GO = (1, 21)

#: Seconds between two progress lines while nothing else is said.
PROGRESS_EVERY = 10.0

Say = Callable[[str], None]


class CliBuildError(RuntimeError):
    """The CLI could not be built: the message names what is missing or refused."""


def _stderr(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _elapsed(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60} min {whole % 60} s" if whole >= 60 else f"{whole} s"


def go_executable() -> str:
    """The ``go`` command, or :class:`CliBuildError` saying how to get one."""
    found = shutil.which("go")
    if not found:
        raise CliBuildError(
            f"Go is not installed (no `go` on PATH): the Pulumi CLI v{PULUMI_VERSION} is built "
            "from Go modules and needs Go "
            + ".".join(map(str, MINIMUM_GO))
            + " or newer (https://go.dev/dl/ or your system's package), and the Go module "
            "proxy; or install Pulumi yourself and put `pulumi` on PATH"
        )
    return found


def go_version(go: str) -> tuple[int, int]:
    """``(major, minor)`` of ``go``; :class:`CliBuildError` if too old or unreadable."""
    try:
        text = subprocess.run(
            [go, "env", "GOVERSION"], capture_output=True, text=True, check=True, timeout=60
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        raise CliBuildError(f"`{go} env GOVERSION` failed: {exc}") from exc
    match = re.match(r"go(\d+)\.(\d+)", text)
    if not match:
        raise CliBuildError(f"cannot read the Go version from `go env GOVERSION`: {text!r}")
    found = (int(match.group(1)), int(match.group(2)))
    if found < MINIMUM_GO:
        raise CliBuildError(
            f"Go {found[0]}.{found[1]} is too old to build the Pulumi CLI v{PULUMI_VERSION}: "
            "install Go " + ".".join(map(str, MINIMUM_GO)) + " or newer (https://go.dev/dl/)"
        )
    return found


_NOT_SERVED = re.compile(
    r"(?P<module>[\w./~-]+)@(?P<version>v[\w.+-]+): (?:reading|verifying|invalid version).*?"
    r"(?P<status>40[34] [A-Za-z ]+|not found|unknown revision[^\n]*)",
)
_UNREACHABLE = re.compile(
    r"dial tcp|no such host|i/o timeout|connection refused|TLS handshake|proxyconnect"
)


def explain_go_failure(output: str, goproxy: str) -> str:
    """What a failed ``go`` run means, in one or two sentences (from its output)."""
    served = _NOT_SERVED.search(output)
    if served:
        return (
            f"the Go module proxy ({goproxy}) does not serve {served.group('module')}@"
            f"{served.group('version')} ({served.group('status').strip()}); the CLI "
            f"v{PULUMI_VERSION} cannot be built without it"
        )
    if "checksum mismatch" in output or "SECURITY ERROR" in output:
        return (
            "a module's checksum differs from the one pinned in go.sum (a tampered or "
            "re-tagged module): the build was stopped"
        )
    if _UNREACHABLE.search(output):
        return f"the Go module proxy ({goproxy}) cannot be reached"
    if "no space left on device" in output:
        return "no space left on device (the build needs about 3.5 GB of Go caches)"
    tail = "\n".join(output.strip().splitlines()[-15:])
    return f"`go` failed:\n{tail}"


def _go_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"CGO_ENABLED": "0", "GOWORK": "off", "GOFLAGS": "-mod=readonly"})
    env.update(extra or {})
    return env


def _goproxy(go: str) -> str:
    try:
        return subprocess.run(
            [go, "env", "GOPROXY"], capture_output=True, text=True, check=True, timeout=60
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return os.environ.get("GOPROXY", "https://proxy.golang.org,direct")


def _run_with_progress(cmd: list[str], cwd: Path, say: Say, started: float) -> str:
    """Run ``go build -v``, turning its stderr into progress lines; its output on failure."""
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=_go_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    tail: deque[str] = deque(maxlen=200)
    downloads = compiled = 0
    phase = ""
    last = time.monotonic()
    for raw in proc.stdout:
        line = raw.rstrip("\n")
        tail.append(line)
        if line.startswith("go: downloading "):
            downloads += 1
            now_phase = "downloading Go modules"
        elif line and not line.startswith(("go: ", "#", " ")):
            compiled += 1
            now_phase = "compiling"
        else:
            continue
        now = time.monotonic()
        if now_phase != phase or now - last >= PROGRESS_EVERY:
            phase, last = now_phase, now
            count = f"{downloads} modules" if phase.startswith("down") else f"{compiled} packages"
            say(f"  {phase}: {count} so far ({_elapsed(now - started)})")
    code = proc.wait()
    if code != 0:
        return "\n".join(tail) or f"exit status {code}"
    done = f"compiled {compiled} packages" if compiled else "everything came from Go's build cache"
    if downloads:
        done += f" after downloading {downloads} modules"
    say(f"  {done} ({_elapsed(time.monotonic() - started)})")
    return ""


@contextlib.contextmanager
def _build_lock(root: Path, say: Say) -> Iterator[None]:
    root.parent.mkdir(parents=True, exist_ok=True)
    with open(root.parent / f"{root.name}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"  another process is building into {root}; waiting for it")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def probe_language_host(go: str, cwd: Path) -> str:
    """Whether the module proxy serves the Python language host: ``""`` if it does, else why
    not (the host is an untagged module; only a release commit's pseudo-version could do)."""
    done = subprocess.run(
        [go, "list", "-m", "-json", f"{LANGUAGE_HOST_MODULE}@latest"],
        cwd=cwd,
        env=_go_env({"GOFLAGS": "-mod=mod"}),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode == 0:
        return ""
    reason = (done.stderr.strip().splitlines() or ["no answer"])[-1]
    return f"the Go module proxy serves no version of {LANGUAGE_HOST_MODULE} ({reason.strip()})"


def build_cli(*, rebuild: bool = False, say: Say = _stderr) -> PulumiCli:
    """Build (or reuse) the pinned CLI in the per-user cache and return it.

    Reuses a complete earlier build unless ``rebuild``. ``say`` receives progress lines
    (default: standard error). Raises :class:`CliBuildError` naming what is missing: Go, a
    module the proxy does not serve, the proxy itself, disk space.
    """
    root = install_root()
    if not rebuild:
        ready = cached_cli()
        if ready is not None:
            return ready
    go = go_executable()
    go_version(go)
    with _build_lock(root, say):
        if not rebuild:
            ready = cached_cli()
            if ready is not None:
                say(f"  reusing the build another process just finished in {root}")
                return ready
        return _build(go, root, say)


def _build(go: str, root: Path, say: Say) -> PulumiCli:
    started = time.monotonic()
    goproxy = _goproxy(go)
    say(
        f"Building the Pulumi CLI v{PULUMI_VERSION} into {root} from Go modules ({goproxy}); "
        "the first build takes a few minutes and about 3.5 GB of Go caches."
    )
    (root / STAMP).unlink(missing_ok=True)
    work = root / "module"
    bin_dir = root / "bin"
    work.mkdir(parents=True, exist_ok=True)
    bin_dir.mkdir(parents=True, exist_ok=True)
    for name in ("go.mod", "go.sum"):
        shutil.copyfile(module_files() / name, work / name)
    partial = bin_dir / ".pulumi.partial"
    cmd = [
        go,
        "build",
        "-v",
        "-trimpath",
        "-tags",
        BUILD_TAGS,
        "-ldflags",
        f"-s -w {VERSION_LDFLAG}",
        "-o",
        str(partial),
        CLI_PACKAGE,
    ]
    failure = _run_with_progress(cmd, work, say, started)
    if failure:
        raise CliBuildError(explain_go_failure(failure, goproxy))
    sdk_dir = subprocess.run(
        [go, "list", "-m", "-f", "{{.Dir}}", SDK_MODULE],
        cwd=work,
        env=_go_env(),
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    script = Path(sdk_dir) / PYTHON_PROVIDER_PATH_IN_SDK
    if not sdk_dir or not script.is_file():
        raise CliBuildError(
            f"{SDK_MODULE} v{PULUMI_VERSION} has no {PYTHON_PROVIDER_PATH_IN_SDK} "
            f"(looked in {sdk_dir or 'an unknown folder'})"
        )
    installed_script = bin_dir / PYTHON_PROVIDER_SCRIPT
    shutil.copyfile(script, installed_script)
    installed_script.chmod(0o755)
    executable = bin_dir / "pulumi"
    os.replace(partial, executable)
    version = cli_version(executable)
    if version != PULUMI_VERSION:
        raise CliBuildError(
            f"the built {executable} reports version {version!r}, not {PULUMI_VERSION}"
        )
    host_problem = probe_language_host(go, work)
    stamp = {
        "version": PULUMI_VERSION,
        "go": subprocess.run(
            [go, "env", "GOVERSION"], capture_output=True, text=True, check=False
        ).stdout.strip(),
        "built_seconds": round(time.monotonic() - started, 1),
        # The host is not built here: it is only probed, so that the README's answer to
        # "can plain `pulumi up` run a Pulumi.yaml project?" is checked on every build.
        "language_host_served": not host_problem,
        "language_host_problem": host_problem,
    }
    (root / STAMP).write_text(json.dumps(stamp, indent=2) + "\n")
    say(
        f"Installed pulumi v{PULUMI_VERSION} and {PYTHON_PROVIDER_SCRIPT} in {bin_dir} "
        f"({_elapsed(time.monotonic() - started)})."
    )
    if host_problem:
        say(
            f"  No Python language host: {host_problem}. Pulumi.yaml projects run through "
            "the Automation API (flexus_pulumi.testing.Stack with the project folder), not "
            "with plain `pulumi up`."
        )
    found = cached_cli()
    if found is None:
        raise CliBuildError(f"the build in {root} does not run after installing it")
    return found
