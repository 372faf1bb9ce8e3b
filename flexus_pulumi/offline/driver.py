"""The offline deployment driver: preview, up, refresh and destroy one stack without the CLI."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from .deployment import Deployment, LazyServer, StepFailed, provider_inputs
from .errors import (
    CheckFailedError,
    DriverError,
    OperationError,
    ProgramError,
    UnsupportedError,
)
from .plan import Diagnostic, Plan, heading
from .program import Program, project_dir_of, run_program
from .properties import Props, display_props
from .provider_server import ProviderServer
from .refresh import Refresh
from .secrets import SECRET_MASK, Secret, SecretFilter, config_text
from .stack_config import effective_config
from .state import ResourceState, StateStore, stack_urn
from .step_generator import Unsupported


class Stack:
    """One stack of one Pulumi program, deployed offline with a JSON state file.

    :param name: the stack name (``dev``); part of every URN.
    :param project: the project name; part of every URN and ``PULUMI_PROJECT`` of the
        provider server.
    :param program: a function that declares resources (called inside the Pulumi runtime),
        or the path of a project folder with ``__main__.py`` (run with that folder as the
        working directory and first on ``sys.path``, as the CLI runs it).
    :param state_file: where the state lives between runs; created on the first ``up``.
    :param config: stack config with namespaced keys (``"flexus:region"``); wrap secrets
        in :class:`~flexus_pulumi.testing.Secret`. Added to (and overriding) what the
        project directory's ``Pulumi.yaml`` and ``Pulumi.<name>.yaml`` set. Seen by the
        program (``pulumi.Config``) and by providers' ``configure()``. Default none.
    :param env: extra environment variables for the provider server. Default none.
    :param output: where progress, provider output and plans are written. Default
        ``sys.stdout``.
    :param secrets_passphrase: the passphrase of the state file's secrets and of the secure
        values in ``Pulumi.<name>.yaml``. Default: ``PULUMI_CONFIG_PASSPHRASE``, else (state
        file only) one the driver keeps in ``<state file>.passphrase``.
    :param project_dir: the project directory: where ``Pulumi.yaml`` is looked for, and the
        provider server's working directory and first import path, as under the engine.
        Default: the program folder, or for a function the folder of its module.
    """

    def __init__(
        self,
        name: str,
        project: str,
        program: Program,
        state_file: str | Path,
        *,
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
        self.config = dict(config or {})
        self.env = dict(env or {})
        self.output = output if output is not None else sys.stdout
        self.secrets_passphrase = secrets_passphrase
        self.project_dir = Path(project_dir) if project_dir else project_dir_of(program)
        self._out_lock = threading.Lock()
        self._current: Deployment | Refresh | None = None
        #: Masks secret config values in everything shown (set from each run's config).
        self._filter = SecretFilter(self.config)

    @property
    def urn(self) -> str:
        """The URN of the stack resource."""
        return stack_urn(self.name, self.project)

    def __repr__(self) -> str:
        return f"Stack({self.project}/{self.name}, state_file={str(self.state_file)!r})"

    # -- plumbing ------------------------------------------------------------------------

    def stack_config(self) -> dict[str, str | Secret | Any]:
        """The effective stack config: the project's files, then ``config``."""
        merged = effective_config(
            self.project_dir, self.project, self.name, self.secrets_passphrase, self.config
        )
        self._filter = SecretFilter(merged)
        return merged

    def _emit(self, text: str) -> None:
        text = self._filter.text(text)
        with self._out_lock:
            self.output.write(text if text.endswith("\n") else text + "\n")
            self.output.flush()

    def _provider_line(self, line: str) -> None:
        current = self._current
        if current is not None:
            with self._out_lock:
                current.diagnostics.append(Diagnostic(self._filter.text(line), "info"))
        self._emit(f"    info: {line}")

    def _server(self, config: Mapping[str, Any]) -> LazyServer:
        return LazyServer(
            lambda: ProviderServer(
                project=self.project,
                stack=self.name,
                config=config,
                env=self.env,
                on_output=self._provider_line,
                cwd=self.project_dir,
            )
        )

    def _store(self) -> StateStore:
        return StateStore(self.state_file, self.name, self.project, self.secrets_passphrase)

    def _plan(
        self,
        kind: str,
        run: Deployment | Refresh,
        config: Mapping[str, Any],
        started: float,
        outputs: Props,
    ) -> Plan:
        return Plan(
            kind=kind,
            stack=self.name,
            steps=list(run.steps),
            diagnostics=[
                Diagnostic(self._filter.text(d.message), d.severity, d.urn) for d in run.diagnostics
            ],
            config={
                k: SECRET_MASK if isinstance(v, Secret) else config_text(v)
                for k, v in config.items()
            },
            outputs=self._filter.value(display_props(outputs)),
            duration_seconds=time.monotonic() - started,
        )

    def _raise_for(
        self,
        kind: str,
        deployment: Deployment,
        config: Mapping[str, Any],
        started: float,
        exc: BaseException | None,
    ) -> None:
        failed = (
            deployment.unsupported
            or deployment.problems
            or deployment.failures
            or deployment.errored
            or deployment.halted
        )
        if not failed and exc is None:
            return
        plan = self._plan(kind, deployment, config, started, deployment.outputs)
        self._emit(plan.render(details=kind not in ("update", "destroy")))
        if deployment.unsupported:
            raise UnsupportedError("\n".join(deployment.unsupported), plan) from exc
        if isinstance(exc, Unsupported):
            raise UnsupportedError(str(exc), plan) from exc
        if deployment.problems:
            raise CheckFailedError(list(deployment.problems), plan)
        if deployment.failures:
            raise OperationError(list(deployment.failures), plan)
        if deployment.errored or deployment.halted:
            errors = [d.message for d in deployment.diagnostics if d.severity == "error"]
            raise DriverError("\n".join(errors) or f"the {kind} failed", plan)
        assert exc is not None
        if isinstance(exc, DriverError):
            raise exc
        raise ProgramError(
            f"the program raised {type(exc).__name__}: {exc}".rstrip(": "), plan
        ) from exc

    def _deployment(
        self, preview: bool, config: Mapping[str, Any], server: LazyServer
    ) -> Deployment:
        store = self._store()
        secret_keys = {k for k, v in config.items() if isinstance(v, Secret)}
        plain = {k: config_text(v.value if isinstance(v, Secret) else v) for k, v in config.items()}
        return Deployment(
            state=store.load(),
            preview=preview,
            server=server,
            provider_inputs=provider_inputs(plain, secret_keys),
            save=store.save,
            emit=self._emit,
            stack_urn=self.urn,
        )

    def _execute(self, kind: str, preview: bool) -> Plan:
        config = self.stack_config()
        server = self._server(config)
        deployment = self._deployment(preview, config, server)
        self._current = deployment
        started = time.monotonic()
        try:
            exc = run_program(
                self.program,
                deployment=deployment,
                stack=self.name,
                project=self.project,
                preview=preview,
                config=config,
                emit=self._emit,
            )
            if isinstance(exc, StepFailed):
                exc = None  # reported on the deployment
            self._raise_for(kind, deployment, config, started, exc)
            deployment.run_deletes()
            self._raise_for(kind, deployment, config, started, None)
            return self._plan(kind, deployment, config, started, deployment.outputs)
        finally:
            self._current = None
            server.close()

    # -- operations ----------------------------------------------------------------------

    def preview(self) -> Plan:
        """Run the program in preview mode: ``Check`` and ``Diff`` only, nothing changes.

        Raises :class:`~.errors.CheckFailedError` with the check failures of the first
        invalid resource (the engine stops there), :class:`~.errors.ProgramError` if the
        program raises.
        """
        plan = self._execute("preview", True)
        self._emit(plan.render())
        return plan

    def up(self, *, skip_preview: bool = False) -> Plan:
        """Preview, then deploy: the returned plan lists the steps done, and the outputs.

        Like ``pulumi up``, a preview runs first (unless ``skip_preview``; default False),
        with its own provider server, so bad input is reported before anything is created;
        the update then starts a provider server of its own. Every step is saved to the
        state file as soon as it is done; on failure the steps done so far stay saved and
        the error's ``plan`` lists them.
        """
        if not skip_preview:
            self._emit(self._execute("preview", True).render())
        self._emit(f"Updating ({self.name}):")
        plan = self._execute("update", False)
        self._emit(plan.render(details=False))
        return plan

    def destroy(self, *, preview: bool = False, skip_preview: bool = False) -> Plan:
        """Delete every resource of the stack, dependents and children first.

        With ``preview=True`` (default False) only the plan of it. Like ``pulumi destroy``,
        the plan is made first (unless ``skip_preview``; default False), so that a delete
        the preview refuses (a protected resource) stops it before anything is deleted.
        """
        if not preview and not skip_preview:
            self.destroy(preview=True)
        config = self.stack_config()
        server = self._server(config)
        deployment = self._deployment(preview, config, server)
        kind = "destroy-preview" if preview else "destroy"
        started = time.monotonic()
        if not preview:
            self._emit(heading(kind, self.name))  # then each resource's line, as the CLI
        self._current = deployment
        try:
            deployment.run_deletes()
            self._raise_for(kind, deployment, config, started, None)
        finally:
            self._current = None
            server.close()
        plan = self._plan(kind, deployment, config, started, {})
        self._emit(plan.render(details=preview))
        return plan

    def refresh(self, *, skip_preview: bool = False) -> Plan:
        """Read every dynamic resource back from its provider and update the state.

        A resource whose ``read`` returns no id is dropped from the state; otherwise its
        outputs (and inputs, when ``read`` returns them) are replaced. Steps are ``refresh``
        steps counted as ``same``, ``update`` (the provider's ``Diff`` of the refreshed
        state against the inputs says so) or ``delete`` (gone). Like ``pulumi refresh``, a
        preview of it runs first, reading everything in a provider process of its own and
        saving nothing (unless ``skip_preview``; default False).
        """
        if not skip_preview:
            self._refresh(preview=True)
        return self._refresh(preview=False)

    def _refresh(self, *, preview: bool) -> Plan:
        config = self.stack_config()
        server = self._server(config)
        store = self._store()
        state = store.load()
        started = time.monotonic()
        kind = "refresh-preview" if preview else "refresh"
        if not preview:
            self._emit(heading("refresh", self.name))  # then each resource's line, as the CLI
        run = Refresh(state, server.get, (lambda _s: None) if preview else store.save, self._emit)
        self._current = run
        try:
            run.run()
        finally:
            self._current = None
            server.close()
        plan = self._plan(kind, run, config, started, state.outputs())
        if run.failures:
            raise OperationError(run.failures, plan)
        self._emit(plan.render(title=preview))
        return plan

    # -- inspection ----------------------------------------------------------------------

    def outputs(self) -> dict[str, Any]:
        """The stack's exports from the state file (secrets read ``"[secret]"``)."""
        return display_props(self._store().load().outputs())

    def resources(self) -> list[ResourceState]:
        """The resources in the state file, in dependency order (secrets decrypted)."""
        return list(self._store().load().resources)

    def resource(self, name: str) -> ResourceState:
        """The live resource named ``name`` in the state file."""
        for res in self._store().load().resources:
            if res.name == name and not res.delete:
                return res
        raise KeyError(f"no resource named {name!r} in {self.state_file}")
