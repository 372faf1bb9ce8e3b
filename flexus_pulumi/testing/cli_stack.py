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
from flexus_pulumi.offline.program import Program, program_function
from flexus_pulumi.offline.secrets import SECRET_MASK, Secret, config_text, resolve_passphrase
from flexus_pulumi.offline.stack_config import load_project_config
from flexus_pulumi.offline.state import STACK_TYPE, ResourceState, make_urn, urn_type
from flexus_pulumi.offline.steps import REFRESH
from flexus_pulumi.pulumi_cli import PulumiCli, engine_environment
from flexus_pulumi.pulumi_cli.run import Operation, run_pulumi

#: Step ops that only a preview reports from its pre-events (nothing ran).
_PROVIDER_PREFIX = "pulumi:providers:"

_PROBLEM = re.compile(
    r"^(?P<type>\S+) resource '(?P<name>[^']+)'"
    r"(?::? property (?P<prop>\S+) value \{.*?\})? has a problem: (?P<reason>.*)$",
    re.DOTALL,
)


_PROVIDER_CALL = re.compile(
    r'pulumi/dynamic/__main__\.py", line \d+, in (Create|Read|Update|Delete)\b'
)


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
        self.project_dir = Path(project_dir) if project_dir else _default_project_dir(program)
        self.backend_dir = backend_dir_for(self.state_file)
        self.work_dir = self.backend_dir / "projects" / project
        self._configured = False
        self._out_lock = threading.Lock()

    @property
    def description(self) -> str:
        """Which engine runs this stack, for people."""
        return self.cli.describe()

    @property
    def urn(self) -> str:
        """The URN of the stack resource."""
        return make_urn(self.name, self.project, "", STACK_TYPE, f"{self.project}-{self.name}")

    def __repr__(self) -> str:
        return f"CliStack({self.project}/{self.name}, backend={str(self.backend_dir)!r})"

    # -- plumbing ------------------------------------------------------------------------

    def stack_config(self) -> dict[str, str | Secret | Any]:
        """The effective stack config: the project folder's files, then ``config``."""
        merged: dict[str, str | Secret | Any] = dict(
            load_project_config(self.project_dir, self.project, self.name, self.secrets_passphrase)
        )
        merged.update(self.config)
        return merged

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
        func = _program_runner(self.program, self.project_dir) if program else None
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
        """Create the stack if needed and give it this object's config (once per object)."""
        if self._configured:
            return
        self._write_project()
        self.backend_dir.mkdir(parents=True, exist_ok=True)
        args = ["config", "set-all"]
        for key, value in sorted(self.stack_config().items()):
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
        self._configured = True

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
            raise error_for(kind, operation, plan)
        return plan

    # -- operations ----------------------------------------------------------------------

    def preview(self, *, replace: Sequence[str] = ()) -> Plan:
        """``pulumi preview --diff``: Check and Diff only, nothing changes. ``replace``: URNs
        (or names) to replace, as ``--replace``."""
        return self._run("preview", ["preview", "--diff", *self._replace_args(replace)])

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

    def destroy(self, *, preview: bool = False) -> Plan:
        """``pulumi destroy --yes`` (or ``preview --destroy`` with ``preview=True``)."""
        if preview:
            return self._run("destroy-preview", ["destroy", "--preview-only"])
        return self._run("destroy", ["destroy", "--yes"])

    def refresh(self, *, clear_pending_creates: bool = False) -> Plan:
        """``pulumi refresh --yes`` (``--clear-pending-creates`` with that option)."""
        args = ["refresh", "--yes"]
        if clear_pending_creates:
            args.append("--clear-pending-creates")
        return self._run("refresh", args)

    def preview_json(
        self, *, show_sames: bool = False, show_replacement_steps: bool = False
    ) -> dict[str, Any]:
        """What ``pulumi preview --json`` prints (``--show-sames``,
        ``--show-replacement-steps`` with those options), parsed."""
        self._ensure_ready()
        args = ["preview", "--json"]
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

    def export(self, *, show_secrets: bool = False) -> dict[str, Any]:
        """``pulumi stack export`` (``--show-secrets`` with that option), parsed."""
        self._ensure_ready()
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
        """The stack's exports (secrets read ``"[secret]"``)."""
        self._ensure_ready()
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


def _default_project_dir(program: Program) -> Path:
    from flexus_pulumi.offline.driver import project_dir_of

    return project_dir_of(program)


def _program_runner(program: Program, project_dir: Path) -> Callable[[], Any]:
    """The program as the language host would run it: a project folder's ``__main__.py``
    with that folder as working directory and first on the import path."""
    func, folder = program_function(program)
    if folder is None:
        return func

    def run() -> Any:
        old_cwd, old_path = os.getcwd(), list(sys.path)
        os.chdir(folder)
        sys.path.insert(0, str(folder))
        try:
            return func()
        finally:
            os.chdir(old_cwd)
            sys.path[:] = old_path

    return run


# -- plans from engine events ------------------------------------------------------------


def _state(meta: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return dict(meta) if meta else None


def _step(meta: Mapping[str, Any], op: str | None = None) -> Step:
    return Step(
        op=op or str(meta.get("op", "")),
        urn=str(meta.get("urn", "")),
        old_state=_state(meta.get("old")),
        new_state=_state(meta.get("new")),
        diff_reasons=list(meta.get("diffs") or []),
        replace_reasons=list(meta.get("keys") or []),
        detailed_diff=meta.get("detailedDiff") or None,
        provider=str(meta.get("provider", "")),
        logical=bool(meta.get("logical", True)) if meta.get("op") != REFRESH else True,
    )


def plan_from_events(
    kind: str, stack: str, operation: Operation, config: Mapping[str, Any]
) -> Plan:
    """The :class:`Plan` of a finished CLI run, from its engine events."""
    steps: dict[tuple[str, str], Step] = {}
    outputs: dict[str, Any] = {}
    for event in operation.events:
        done = event.get("resOutputsEvent")
        if done is None:
            continue
        meta = done["metadata"]
        urn = str(meta.get("urn", ""))
        if urn_type(urn).startswith(_PROVIDER_PREFIX):
            continue
        if urn_type(urn) == STACK_TYPE:
            outputs = dict((meta.get("new") or {}).get("outputs") or {})
        if kind == "refresh":
            step = _step(meta, REFRESH)
            step.counted_as = str(meta.get("op", ""))
            steps[(urn, REFRESH)] = step
            continue
        step = _step(meta)
        steps.pop((urn, step.op), None)  # the stack reports twice: keep its last word
        steps[(urn, step.op)] = step
    diagnostics = [
        Diagnostic(
            str(d.get("message", "")).rstrip("\n"),
            "info" if str(d.get("severity", "")).startswith("info") else str(d["severity"]),
            str(d.get("urn", "")),
        )
        for d in operation.of_kind("diagnosticEvent")
        if d.get("severity") != "debug" and not d.get("ephemeral")
    ]
    return Plan(
        kind=kind,
        stack=stack,
        steps=list(steps.values()),
        diagnostics=diagnostics,
        config={
            k: SECRET_MASK if isinstance(v, Secret) else config_text(v) for k, v in config.items()
        },
        outputs=outputs,
        duration_seconds=operation.seconds,
    )


def error_for(kind: str, operation: Operation, plan: Plan) -> DriverError:
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
            failures.append(
                OperationFailure(urn, str(meta.get("op", "")), "\n".join(said) or "failed")
            )
        return OperationError(failures, plan)
    for diag in errors:
        # A provider call that raised outside a step (a ``get``'s Read, say) reaches the
        # program, which reports the provider server's traceback.
        call = _PROVIDER_CALL.search(diag.message)
        if call:
            lines = diag.message.strip().splitlines()
            raised = next((line for line in reversed(lines) if "Error:" in line), lines[-1])
            return OperationError(
                [OperationFailure(diag.urn, call.group(1).lower(), raised.strip())], plan
            )
    messages = [d.message for d in errors]
    if any("inline source runtime error" in m or "Traceback" in m for m in messages):
        return ProgramError("the program raised: " + "\n".join(messages), plan)
    text = "\n".join(messages) or operation.stderr.strip() or f"the {kind} failed"
    return DriverError(text, plan)
