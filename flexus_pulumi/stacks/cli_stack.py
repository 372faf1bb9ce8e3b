"""A stack deployed by the real Pulumi CLI: Automation-API inline programs on a local file
backend, with the API of the offline driver's stack (plans, outputs, resources).

Each operation is one ``pulumi`` run (:func:`flexus_pulumi.pulumi_cli.run.run_pulumi`):
``preview --diff``, ``up --yes`` (a preview, then the update, in two provider processes, as
``pulumi up`` does it), ``refresh --yes``, ``destroy --yes``. Its :class:`Plan` is made from
the engine's own events: the steps it took (``resOutputsEvent``; in a preview, the steps it
planned), their old and new states, ``replaceReasons``, diagnostics, the stack's outputs.
Failures raise the driver's errors: :class:`CheckFailedError` for check failures,
:class:`OperationError` for failed provider operations, :class:`ProgramError` when the
program raised, :class:`DriverError` otherwise — each with the plan of what was done.

The backend lives in a folder beside the state file's path (``<state file>.backend``), and
after every operation the state file holds what ``pulumi stack export`` prints (secrets
encrypted), the form ``flexus-pulumi orphans`` reads;
secrets there are encrypted with the stack's passphrase (``secrets_passphrase``, else
``PULUMI_CONFIG_PASSPHRASE``, else one kept in ``<state file>.passphrase``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

import yaml

from flexus_pulumi.offline.errors import (
    CheckFailedError,
    CheckProblem,
    DriverError,
    OperationError,
    OperationFailure,
    ProgramError,
)
from flexus_pulumi.offline.plan import Diagnostic, Plan, Step
from flexus_pulumi.offline.program import (
    Program,
    program_function,
    project_dir_of,
    project_folder,
)
from flexus_pulumi.offline.properties import SECRET_SIG, SIG_KEY
from flexus_pulumi.offline.secrets import SECRET_MASK, Secret, config_text, resolve_passphrase
from flexus_pulumi.offline.stack_config import effective_config
from flexus_pulumi.offline.state import STACK_TYPE, ResourceState, stack_urn, urn_type
from flexus_pulumi.offline.steps import REFRESH
from flexus_pulumi.pulumi_cli import PulumiCli, engine_environment
from flexus_pulumi.pulumi_cli.run import Operation, run_pulumi

#: Types of provider resources (the engine leaves them out of its plans and counts).
_PROVIDER_PREFIX = "pulumi:providers:"


def backend_dir_for(state_file: Path) -> Path:
    """The file backend's folder for a stack whose offline state file would be
    ``state_file``: ``<state file>.backend``."""
    return state_file.with_name(state_file.name + ".backend")


def _program_path() -> list[str]:
    """Folders of this process's import path that the provider process should see too (the
    modules a program's dynamic providers are pickled by reference to)."""
    keep = []
    for entry in sys.path:
        if not entry or "site-packages" in entry or "dist-packages" in entry:
            continue
        if Path(entry).is_dir() and not Path(entry, "os.py").exists():
            keep.append(entry)
    return keep


class CliStack:
    """One stack of one program, deployed by the Pulumi CLI ``cli`` (see the module docs).

    The parameters are those of :class:`flexus_pulumi.testing.Stack`.
    """

    engine = "cli"

    def __init__(
        self,
        name: str,
        project: str,
        program: Program,
        state_file: str | Path,
        *,
        cli: PulumiCli,
        config: Mapping[str, str | Secret | Any] | None = None,
        env: Mapping[str, str] | None = None,
        output: TextIO | None = None,
        secrets_passphrase: str | None = None,
        project_dir: str | Path | None = None,
    ) -> None:
        self.name = name
        self.project = project
        self.program = program
        self.state_file = Path(state_file)
        self.cli = cli
        self.config = dict(config or {})
        self.env = dict(env or {})
        self.output = output if output is not None else sys.stdout
        self.secrets_passphrase = secrets_passphrase
        self.project_dir = Path(project_dir) if project_dir else project_dir_of(program)
        self.backend_dir = backend_dir_for(self.state_file)
        self.work_dir = self.backend_dir / "projects" / project
        self._configured = False
        self._out_lock = threading.Lock()
        #: What the program raised in the last run (the inline program runs in this process).
        self._program_error: BaseException | None = None

    @property
    def description(self) -> str:
        """Which engine runs this stack, for people."""
        return self.cli.describe()

    @property
    def urn(self) -> str:
        """The URN of the stack resource."""
        return stack_urn(self.name, self.project)

    def __repr__(self) -> str:
        return f"CliStack({self.project}/{self.name}, backend={str(self.backend_dir)!r})"

    # -- plumbing ------------------------------------------------------------------------

    def stack_config(self) -> dict[str, str | Secret | Any]:
        """The effective stack config: the project folder's files, then ``config``."""
        return effective_config(
            self.project_dir, self.project, self.name, self.secrets_passphrase, self.config
        )

    def _emit(self, text: str) -> None:
        with self._out_lock:
            self.output.write(text if text.endswith("\n") else text + "\n")
            self.output.flush()

    def environment(self) -> dict[str, str]:
        """The whole environment the CLI (and the providers it starts) runs with."""
        passphrase = resolve_passphrase(self.secrets_passphrase, self.state_file)
        env = dict(os.environ)
        env.update(
            engine_environment(
                self.cli,
                self.backend_dir,
                passphrase=passphrase,
                python_path=[self.project_dir, *_program_path()],
            )
        )
        env.update(self.env)
        return env

    def _pulumi(
        self,
        args: Sequence[str],
        *,
        program: bool = False,
        events: bool = False,
        show: bool = True,
        on_start: Callable[[subprocess.Popen[str]], None] | None = None,
    ) -> Operation:
        func = self._program_runner() if program else None
        return run_pulumi(
            self.cli,
            [*args, "--stack", self.name, "--non-interactive", "--color", "never"],
            cwd=self.work_dir,
            env=self.environment(),
            program=func,
            on_output=self._emit if show else None,
            on_start=on_start,
            events=events,
        )

    def _program_runner(self) -> Callable[[], Any]:
        """The program, keeping what it raises (the engine only gets its text)."""
        func, folder = program_function(self.program)
        self._program_error = None

        def run() -> Any:
            try:
                with project_folder(folder):
                    return func()
            except BaseException as exc:
                self._program_error = exc
                raise

        return run

    def _write_project(self) -> None:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        (self.work_dir / "Pulumi.yaml").write_text(
            yaml.safe_dump({"name": self.project, "runtime": "python"}), encoding="utf-8"
        )
        # Config is set anew each time: keep only what the CLI keeps about the stack's
        # secrets (its salt), so that keys dropped from ``config`` are gone too.
        stack_file = self.work_dir / f"Pulumi.{self.name}.yaml"
        if stack_file.is_file():
            data = yaml.safe_load(stack_file.read_text(encoding="utf-8")) or {}
            kept = {k: v for k, v in data.items() if k != "config"}
            stack_file.write_text(yaml.safe_dump(kept) if kept else "", encoding="utf-8")

    def _ensure_ready(self) -> None:
        """Create the stack if needed and give it this object's config (once per object; not
        again while the stack holds the same config, as a fingerprint beside it says)."""
        if self._configured:
            return
        config = self.stack_config()
        fingerprint = self._config_fingerprint(config)
        marker = self.work_dir / f".config-{self.name}.hmac"
        stack_file = self.work_dir / f"Pulumi.{self.name}.yaml"
        if stack_file.is_file() and marker.is_file() and marker.read_text() == fingerprint:
            self._configured = True
            return
        self._write_project()
        self.backend_dir.mkdir(parents=True, exist_ok=True)
        args = ["config", "set-all"]
        for key, value in sorted(config.items()):
            if isinstance(value, Secret):
                args += ["--secret", f"{key}={config_text(value.value)}"]
            else:
                args += ["--plaintext", f"{key}={config_text(value)}"]
        if len(args) > 2:
            done = self._pulumi(args, show=False)
            if not done.ok and "no stack named" in (done.stderr + done.stdout):
                self._init_stack()
                done = self._pulumi(args, show=False)
            if not done.ok:
                raise DriverError(f"setting the stack's config failed: {done.stderr.strip()}")
        else:
            self._init_stack(missing_ok=True)
        marker.write_text(fingerprint)
        self._configured = True

    def _config_fingerprint(self, config: Mapping[str, Any]) -> str:
        """An HMAC of the config (keyed with the stack's passphrase: secrets stay unreadable
        in it), to tell whether the stack already holds it."""
        items = sorted(
            (k, isinstance(v, Secret), config_text(v.value if isinstance(v, Secret) else v))
            for k, v in config.items()
        )
        key = resolve_passphrase(self.secrets_passphrase, self.state_file).encode()
        return hmac.new(key, json.dumps(items).encode(), hashlib.sha256).hexdigest()

    def _init_stack(self, *, missing_ok: bool = False) -> None:
        done = self._pulumi(["stack", "init"], show=False)
        if not done.ok and not (missing_ok and "already exists" in done.stderr):
            raise DriverError(f"creating the stack failed: {done.stderr.strip()}")

    def _run(
        self,
        kind: str,
        args: Sequence[str],
        *,
        on_start: Callable[[subprocess.Popen[str]], None] | None = None,
    ) -> Plan:
        self._ensure_ready()
        started = time.monotonic()
        program = args[0] in ("preview", "up", "refresh", "destroy")
        operation = self._pulumi(args, program=program, events=True, on_start=on_start)
        plan = plan_from_events(kind, self.name, operation, self.stack_config())
        plan.duration_seconds = time.monotonic() - started
        self._save_export()
        if not operation.ok:
            raise error_for(kind, operation, plan, self._program_error)
        return plan

    # -- operations ----------------------------------------------------------------------

    def preview(
        self,
        *,
        replace: Sequence[str] = (),
        cli_output: bool = False,
        on_start: Callable[[subprocess.Popen[str]], None] | None = None,
    ) -> Plan:
        """``pulumi preview``: Check and Diff only, nothing changes. ``replace``: URNs (or
        names) to replace, as ``--replace``.

        The plan is the engine's own ``preview --json`` (every step: ``--show-sames
        --show-replacement-steps``), so :meth:`Plan.to_json` gives what the CLI prints; the
        output gets that plan rendered as ``pulumi preview --diff`` shows it. With
        ``cli_output`` the output is the CLI's own ``preview --diff`` instead, and the plan
        comes from the engine's events (states as the events show them). ``on_start`` gets
        the CLI process."""
        if cli_output:
            args = ["preview", "--diff", *self._replace_args(replace)]
            return self._run("preview", args, on_start=on_start)
        self._ensure_ready()
        args = ["preview", "--json", "--show-sames", "--show-replacement-steps"]
        operation = self._pulumi(
            [*args, *self._replace_args(replace)],
            program=True,
            events=True,
            show=False,
            on_start=on_start,
        )
        try:
            digest: dict[str, Any] = json.loads(operation.stdout)
        except ValueError:
            digest = {}
        plan = plan_from_digest("preview", self.name, digest, operation)
        self._emit(plan.render())
        if not operation.ok or not digest:
            self._emit(operation.stderr)
            raise error_for("preview", operation, plan, self._program_error)
        return plan

    def up(
        self,
        *,
        skip_preview: bool = False,
        replace: Sequence[str] = (),
        on_start: Callable[[subprocess.Popen[str]], None] | None = None,
    ) -> Plan:
        """``pulumi up --yes``: a preview (unless ``skip_preview``), then the update.
        ``replace``: URNs or names to replace; ``on_start`` gets the CLI process (to
        interrupt it)."""
        args = ["up", "--yes", *self._replace_args(replace)]
        if skip_preview:
            args.append("--skip-preview")
        return self._run("update", args, on_start=on_start)

    def destroy(self, *, preview: bool = False, skip_preview: bool = False) -> Plan:
        """``pulumi destroy --yes`` (a preview, then the deletes; ``--skip-preview`` with
        ``skip_preview``), or only its preview (``--preview-only``) with ``preview``."""
        if preview:
            return self._run("destroy-preview", ["destroy", "--preview-only"])
        args = ["destroy", "--yes"] + (["--skip-preview"] if skip_preview else [])
        return self._run("destroy", args)

    def refresh(self, *, clear_pending_creates: bool = False, skip_preview: bool = False) -> Plan:
        """``pulumi refresh --yes``: a preview, then the refresh (``--skip-preview`` with
        ``skip_preview``; ``--clear-pending-creates`` with that option)."""
        args = ["refresh", "--yes"]
        if clear_pending_creates:
            args.append("--clear-pending-creates")
        if skip_preview:
            args.append("--skip-preview")
        return self._run("refresh", args)

    def cancel(self) -> None:
        """``pulumi cancel --yes``: release the lock a killed ``pulumi`` left on the stack (a
        file backend keeps it until then)."""
        self._ensure_ready()
        done = self._pulumi(["cancel", "--yes"])
        if not done.ok:
            raise DriverError(f"`pulumi cancel` failed: {done.stderr.strip()}")

    def preview_json(
        self,
        *,
        show_sames: bool = False,
        show_replacement_steps: bool = False,
        replace: Sequence[str] = (),
    ) -> dict[str, Any]:
        """What ``pulumi preview --json`` prints (``--show-sames``,
        ``--show-replacement-steps``, ``--replace`` with those options), parsed."""
        self._ensure_ready()
        args = ["preview", "--json", *self._replace_args(replace)]
        if show_sames:
            args.append("--show-sames")
        if show_replacement_steps:
            args.append("--show-replacement-steps")
        operation = self._pulumi(args, program=True, show=False)
        try:
            digest: dict[str, Any] = json.loads(operation.stdout)
        except ValueError as exc:
            raise DriverError(
                f"`pulumi preview --json` printed no JSON: {operation.stderr.strip()}"
            ) from exc
        return digest

    def _replace_args(self, replace: Sequence[str]) -> list[str]:
        args: list[str] = []
        for target in replace:
            args += ["--replace", target if target.startswith("urn:") else self._urn_of(target)]
        return args

    def _urn_of(self, name: str) -> str:
        for res in self.resources():
            if res.name == name and not res.delete:
                return res.urn
        raise KeyError(f"no resource named {name!r} in the stack")

    # -- inspection ----------------------------------------------------------------------

    def _checkpoint(self) -> dict[str, Any] | None:
        """The latest deployment as the file backend keeps it (secrets encrypted), or None
        when the backend holds none there (then the CLI is asked)."""
        path = self.backend_dir / ".pulumi" / "stacks" / self.project / f"{self.name}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        latest = (data.get("checkpoint") or {}).get("latest")
        return dict(latest) if isinstance(latest, dict) else {}

    def export(self, *, show_secrets: bool = False) -> dict[str, Any]:
        """``pulumi stack export`` (``--show-secrets`` with that option), parsed. Without
        secrets it is the file backend's own checkpoint, read directly."""
        self._ensure_ready()
        if not show_secrets:
            latest = self._checkpoint()
            if latest is not None:
                return {"version": 3, "deployment": latest}
        args = ["stack", "export"] + (["--show-secrets"] if show_secrets else [])
        done = self._pulumi(args, show=False)
        if not done.ok:
            raise DriverError(f"`pulumi stack export` failed: {done.stderr.strip()}")
        exported: dict[str, Any] = json.loads(done.stdout)
        return exported

    def _save_export(self) -> None:
        """Keep ``state_file`` as ``pulumi stack export > state_file`` would write it (what
        ``flexus-pulumi orphans`` reads), written whole or not at all."""
        exported = self.export()
        partial = self.state_file.with_name(self.state_file.name + ".partial")
        partial.write_text(json.dumps(exported, indent=4) + "\n", encoding="utf-8")
        os.replace(partial, self.state_file)

    def outputs(self) -> dict[str, Any]:
        """The stack's exports, as ``pulumi stack output --json`` prints them (secrets read
        ``"[secret]"``)."""
        self._ensure_ready()
        latest = self._checkpoint()
        if latest is not None:
            for res in latest.get("resources") or []:
                if res.get("type") == STACK_TYPE and not res.get("parent"):
                    return dict(_masked(dict(res.get("outputs") or {})))
            return {}
        done = self._pulumi(["stack", "output", "--json"], show=False)
        if not done.ok:
            raise DriverError(f"`pulumi stack output` failed: {done.stderr.strip()}")
        shown: dict[str, Any] = json.loads(done.stdout or "{}")
        return shown

    def resources(self) -> list[ResourceState]:
        """The resources in the stack's state, in dependency order (secrets in plain)."""
        deployment = self.export(show_secrets=True).get("deployment") or {}
        return [
            ResourceState.from_json(r, _no_ciphertext) for r in deployment.get("resources") or []
        ]

    def stored_files(self) -> list[Path]:
        """Every file of the backend (state, history, backups) and the stack's config file."""
        return sorted(p for p in self.backend_dir.rglob("*") if p.is_file())

    def pending_operations(self) -> list[dict[str, Any]]:
        """Operations the engine began and did not see end (an interrupted ``up``)."""
        deployment = self.export().get("deployment") or {}
        return list(deployment.get("pending_operations") or [])

    def resource(self, name: str) -> ResourceState:
        """The live resource named ``name`` in the state."""
        for res in self.resources():
            if res.name == name and not res.delete:
                return res
        raise KeyError(f"no resource named {name!r} in stack {self.project}/{self.name}")


def _no_ciphertext(text: str) -> Any:
    raise DriverError("an exported secret has no plaintext (export with show_secrets)")


# -- plans from the engine's JSON and events -----------------------------------------------

#: Keys of the engine's states that say where and when, not what (left out of plans).
_NOISE = frozenset({"created", "modified", "sourcePosition", "stackTrace", "initErrors"})

#: Steps whose new state the provider writes (its outputs come after the step).
_WRITES = frozenset({"create", "update", "replace", "create-replacement"})

#: Steps that are parts of a replacement, not logical steps of their own.
_PARTS = frozenset({"create-replacement", "delete-replaced", "discard-replaced"})


def _masked(value: Any) -> Any:
    """A state value with secrets as ``"[secret]"`` (as ``preview --json`` shows them)."""
    if isinstance(value, Mapping):
        if value.get(SIG_KEY) == SECRET_SIG:
            return SECRET_MASK
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def _state(meta: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not meta:
        return None
    state = {k: _masked(v) for k, v in meta.items() if k not in _NOISE}
    state.setdefault("custom", False)
    return state


def _detailed_diff(given: Mapping[str, Any] | None) -> dict[str, dict[str, Any]] | None:
    """A detailed diff as ``preview --json`` writes it (the events say ``diffKind``)."""
    if not given:
        return None
    return {
        path: {
            "kind": entry.get("kind", entry.get("diffKind")),
            "inputDiff": entry.get("inputDiff"),
        }
        for path, entry in given.items()
    }


def _step(data: Mapping[str, Any], op: str | None = None) -> Step:
    """A step from a ``preview --json`` step, or from an event's metadata (``old``/``new``,
    ``keys``, ``diffs``)."""
    kind = op or str(data.get("op", ""))
    return Step(
        op=kind,
        urn=str(data.get("urn", "")),
        old_state=_state(data.get("oldState", data.get("old"))),
        new_state=_state(data.get("newState", data.get("new"))),
        diff_reasons=list(data.get("diffReasons", data.get("diffs")) or []),
        replace_reasons=list(data.get("replaceReasons", data.get("keys")) or []),
        detailed_diff=_detailed_diff(data.get("detailedDiff")),
        provider=str(data.get("provider", "")),
        logical=str(data.get("op", "")) not in _PARTS,
    )


def _diagnostics(operation: Operation, digest: Mapping[str, Any] | None = None) -> list[Diagnostic]:
    found = [
        (str(d.get("message", "")), str(d.get("severity", "")), str(d.get("urn", "")))
        for d in operation.of_kind("diagnosticEvent")
        if not d.get("ephemeral")
    ]
    if not found and digest:
        found = [
            (str(d.get("message", "")), str(d.get("severity", "")), str(d.get("urn", "")))
            for d in digest.get("diagnostics") or []
        ]
    diagnostics = []
    for message, severity, urn in found:
        if severity == "debug":
            continue
        text = message.rstrip("\n")
        for prefix in ("error: ", "warning: "):
            if severity == prefix[:-2] and text.startswith(prefix):
                text = text[len(prefix) :]
        diagnostics.append(
            Diagnostic(text, "info" if severity.startswith("info") else severity, urn)
        )
    return diagnostics


def _config_shown(config: Mapping[str, Any]) -> dict[str, str]:
    return {k: SECRET_MASK if isinstance(v, Secret) else config_text(v) for k, v in config.items()}


def plan_from_digest(
    kind: str, stack: str, digest: Mapping[str, Any], operation: Operation
) -> Plan:
    """The :class:`Plan` of a ``preview --json`` run (all steps shown)."""
    steps = [
        _step(data)
        for data in digest.get("steps") or []
        if not urn_type(str(data.get("urn", ""))).startswith(_PROVIDER_PREFIX)
    ]
    outputs: dict[str, Any] = {}
    for event in operation.of_kind("resOutputsEvent"):
        meta = event.get("metadata") or {}
        if urn_type(str(meta.get("urn", ""))) == STACK_TYPE:
            outputs = _masked(dict((meta.get("new") or {}).get("outputs") or {}))
    return Plan(
        kind=kind,
        stack=stack,
        steps=steps,
        diagnostics=_diagnostics(operation, digest),
        config=dict(digest.get("config") or {}),
        outputs=outputs,
        duration_seconds=operation.seconds,
    )


def plan_from_events(
    kind: str, stack: str, operation: Operation, config: Mapping[str, Any]
) -> Plan:
    r"""The :class:`Plan` of a finished ``up``, ``refresh`` or ``destroy`` run: the steps the
    engine finished (its ``resOutputsEvent``\ s), in order."""
    if kind == "update" and operation.summary().get("isPreview"):
        kind = "preview"  # the update's own preview failed: nothing was changed
    begun: dict[tuple[str, str], Mapping[str, Any]] = {}
    steps: dict[tuple[str, str], Step] = {}
    outputs: dict[str, Any] = {}
    for event in operation.events:
        if "resourcePreEvent" in event:
            meta = event["resourcePreEvent"]["metadata"]
            begun[(str(meta.get("urn", "")), str(meta.get("op", "")))] = meta
            continue
        done = event.get("resOutputsEvent")
        if done is None:
            continue
        meta = done["metadata"]
        urn = str(meta.get("urn", ""))
        if urn_type(urn).startswith(_PROVIDER_PREFIX):
            continue
        if urn_type(urn) == STACK_TYPE:
            outputs = _masked(dict((meta.get("new") or {}).get("outputs") or {}))
        if kind == "refresh":
            step = _step(meta, REFRESH)
            step.counted_as = str(meta.get("op", ""))
            steps[(urn, REFRESH)] = step
            continue
        # the state the step began with, as preview --json (and the driver) give it: a step
        # that writes a new state had no id or outputs for it yet
        step = _step(begun.get((urn, str(meta.get("op", ""))), meta))
        if step.op in _WRITES and step.new_state is not None:
            step.new_state.pop("outputs", None)
            if not step.new_state.get("id"):
                step.new_state.pop("id", None)
        steps.pop((urn, step.op), None)  # the stack reports twice: keep its last word
        steps[(urn, step.op)] = step
    return Plan(
        kind=kind,
        stack=stack,
        steps=list(steps.values()),
        diagnostics=_diagnostics(operation),
        config=_config_shown(config),
        outputs=outputs,
        duration_seconds=operation.seconds,
    )


_PROBLEM = re.compile(
    r"^(?P<type>\S+) resource '(?P<name>[^']+)'"
    r"(?::? property (?P<prop>\S+) value \{.*?\})? has a problem: (?P<reason>.*)$",
    re.DOTALL,
)
_PROVIDER_CALL = re.compile(
    r'pulumi/dynamic/__main__\.py", line \d+, in (Create|Read|Update|Delete)\b'
)
_PROTECTED = re.compile(
    r'resource "(?P<urn>urn:[^"]+)" cannot be deleted\s+because it is protected'
)


def _split_traceback(text: str) -> tuple[str, str]:
    """``(the error's last line, the traceback)`` of a message carrying a Python traceback,
    else ``(text, "")``."""
    if "Traceback (most recent call last)" not in text:
        return text, ""
    lines = text.strip().splitlines()
    raised = next(
        (line for line in reversed(lines) if re.match(r"^\w[\w.]*(Error|Exception)\b", line)),
        lines[-1],
    )
    start = text.index("Traceback (most recent call last)")
    return raised.strip(), text[start:].strip()


def error_for(
    kind: str, operation: Operation, plan: Plan, program_error: BaseException | None = None
) -> DriverError:
    """The driver error a failed CLI run stands for (see the module docs)."""
    errors = [d for d in plan.diagnostics if d.severity == "error"]
    problems = []
    for diag in errors:
        match = _PROBLEM.match(diag.message)
        if match:
            problems.append(
                CheckProblem(
                    urn=diag.urn,
                    type=match.group("type"),
                    name=match.group("name"),
                    property=match.group("prop") or "",
                    reason=match.group("reason").strip(),
                )
            )
    if problems:
        return CheckFailedError(problems, plan)
    failed = operation.of_kind("resOpFailedEvent")
    if failed:
        failures = []
        for event in failed:
            meta = event.get("metadata") or {}
            urn = str(meta.get("urn", ""))
            said = [d.message for d in errors if d.urn == urn] or [
                d.message for d in errors if not d.urn
            ]
            message, details = _split_traceback("\n".join(said) or "failed")
            failures.append(OperationFailure(urn, str(meta.get("op", "")), message, details))
        return OperationError(failures, plan)
    for diag in errors:
        protected = _PROTECTED.search(diag.message)
        if protected:
            return OperationError(
                [OperationFailure(protected.group("urn"), "delete", diag.message.strip())], plan
            )
        # A provider call that raised outside a step (a ``get``'s Read, say) reaches the
        # program, which reports the provider server's traceback.
        call = _PROVIDER_CALL.search(diag.message)
        if call:
            message, details = _split_traceback(diag.message)
            return OperationError(
                [OperationFailure(diag.urn, call.group(1).lower(), message, details)], plan
            )
    messages = [d.message for d in errors]
    if program_error is None and any("inline source runtime error" in m for m in messages):
        raised, _ = _split_traceback(next(m for m in messages if "inline source" in m))
        return ProgramError(f"the program raised {raised}", plan)
    if program_error is not None:
        error = ProgramError(
            f"the program raised {type(program_error).__name__}: {program_error}".rstrip(": "),
            plan,
        )
        error.__cause__ = program_error
        return error
    text = "\n".join(messages) or operation.stderr.strip() or f"the {kind} failed"
    return DriverError(text, plan)
