"""Running one ``pulumi`` operation on an inline program, as the Automation API does it.

The program is served in this process by the Automation API's own language server
(``pulumi.automation``'s ``LanguageServer`` behind ``--client``, ``--exec-kind inline``), so
no language plugin is needed; the engine's events are written to a file
(``--event-log``, which the CLI offers only with ``PULUMI_DEBUG_COMMANDS=true``, as the
Automation API sets it) and read back once the run ends. Unlike ``Stack.up()`` of the
Automation API (which passes ``--skip-preview``), the arguments are exactly what is given:
``up --yes`` previews and then updates, as ``pulumi up`` does for a user, and the process is
handed to ``on_start`` so that a test can interrupt it.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent import futures
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
from pulumi.automation._server import LanguageServer
from pulumi.runtime.proto import language_pb2_grpc

from .locate import PulumiCli

#: A line of the CLI's output, as it is printed.
OnOutput = Callable[[str], None]


@dataclass
class Operation:
    """A finished ``pulumi`` run: its arguments, exit status, output and engine events
    (each the JSON object the engine logged: ``resourcePreEvent``, ``resOutputsEvent``,
    ``resOpFailedEvent``, ``diagnosticEvent``, ``summaryEvent``, …)."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    events: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether the CLI exited with status 0."""
        return self.returncode == 0

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        """The payloads of the events of one kind, in order (``"resOutputsEvent"``, …)."""
        return [e[kind] for e in self.events if kind in e]

    def summary(self) -> dict[str, Any]:
        """The engine's ``summaryEvent`` (``resourceChanges``, ``result``, …), or ``{}``."""
        found = self.of_kind("summaryEvent")
        return dict(found[-1]) if found else {}


@contextlib.contextmanager
def serve_program(program: Callable[[], Any]) -> Iterator[str]:
    """Serve ``program`` to the engine over gRPC on 127.0.0.1; yields ``host:port``."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(LanguageServer(program), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop(0)


def _pump(stream: Any, sink: list[str], on_output: OnOutput | None) -> None:
    for line in stream:
        sink.append(line)
        if on_output is not None:
            on_output(line.rstrip("\n"))


def _read_events(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            events.append(json.loads(line))
        except ValueError:
            continue  # the last line of a killed run may be cut short
    return events


def run_pulumi(
    cli: PulumiCli,
    args: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    program: Callable[[], Any] | None = None,
    on_output: OnOutput | None = None,
    on_start: Callable[[subprocess.Popen[str]], None] | None = None,
    events: bool = True,
) -> Operation:
    """Run ``pulumi <args>`` in ``cwd`` with exactly ``env``; with ``program``, as an inline
    program (``--client``/``--exec-kind inline``); with ``events``, collecting the engine's
    events. ``on_output`` gets each line of standard output and error as it comes;
    ``on_start`` gets the process (to signal it) once it runs."""
    argv = [str(cli.executable), *args]
    full_env = dict(env)
    with contextlib.ExitStack() as stack:
        if program is not None:
            address = stack.enter_context(serve_program(program))
            argv += [f"--client={address}", "--exec-kind", "inline"]
        log: Path | None = None
        if events:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pulumi-events-")))
            log = folder / "events.jsonl"
            argv += ["--event-log", str(log)]
            full_env["PULUMI_DEBUG_COMMANDS"] = "true"
        started = time.monotonic()
        proc = stack.enter_context(
            subprocess.Popen(
                argv,
                cwd=cwd,
                env=full_env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                bufsize=1,
            )
        )
        out: list[str] = []
        err: list[str] = []
        pumps = [
            threading.Thread(target=_pump, args=(proc.stdout, out, on_output), daemon=True),
            threading.Thread(target=_pump, args=(proc.stderr, err, on_output), daemon=True),
        ]
        for pump in pumps:
            pump.start()
        if on_start is not None:
            on_start(proc)
        code = proc.wait()
        for pump in pumps:
            pump.join()
        return Operation(
            list(args),
            code,
            "".join(out),
            "".join(err),
            _read_events(log) if log is not None else [],
            time.monotonic() - started,
        )
