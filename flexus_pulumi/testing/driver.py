"""The offline deployment driver: preview, up, refresh and destroy one stack without the CLI."""

from __future__ import annotations

import dataclasses
import sys
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TextIO

from .deployment import PARALLEL, Deployment, LazyServer, Unsupported
from .errors import (
    CheckFailedError,
    DriverError,
    OperationError,
    OperationFailure,
    ProgramError,
    UnsupportedError,
)
from .plan import DELETE, REFRESH, SAME, UPDATE, Diagnostic, Plan, Step
from .program import Program, run_program
from .provider_server import (
    PROVIDER_KEY,
    ProviderCallError,
    ProviderServer,
    ProviderServerError,
)
from .secrets import (
    SECRET_MASK,
    Secret,
    SecretHasher,
    StoredSecret,
    config_text,
    mask,
    recover,
    store_props,
)
from .state import STACK_TYPE, ResourceState, StackState, load_state, make_urn, save_state


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
        in :class:`~flexus_pulumi.testing.Secret`. Seen by the program (``pulumi.Config``)
        and by providers' ``configure()``. Default none.
    :param env: extra environment variables for the provider server. Default none.
    :param output: where progress, provider output and plans are written. Default
        ``sys.stdout``.
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
    ) -> None:
        self.name = name
        self.project = project
        self.program = program
        self.state_file = Path(state_file)
        self.config = dict(config or {})
        self.env = dict(env or {})
        self.output = output if output is not None else sys.stdout
        self._out_lock = threading.Lock()
        self._current: Deployment | None = None

    @property
    def urn(self) -> str:
        """The URN of the stack resource."""
        return make_urn(self.name, self.project, "", STACK_TYPE, f"{self.project}-{self.name}")

    def __repr__(self) -> str:
        return f"Stack({self.project}/{self.name}, state_file={str(self.state_file)!r})"

    # -- plumbing ------------------------------------------------------------------------

    def _emit(self, text: str) -> None:
        with self._out_lock:
            self.output.write(text if text.endswith("\n") else text + "\n")
            self.output.flush()

    def _provider_line(self, line: str) -> None:
        deployment = self._current
        if deployment is not None:
            deployment.log(line, "info")
        self._emit(f"    info: {line}")

    def _server(self) -> LazyServer:
        program_dir = None if callable(self.program) else Path(self.program).resolve()
        return LazyServer(
            lambda: ProviderServer(
                project=self.project,
                stack=self.name,
                config=self.config,
                env=self.env,
                on_output=self._provider_line,
                cwd=program_dir,
            )
        )

    def _load(self) -> StackState:
        return load_state(self.state_file, self.name, self.project)

    def _save(self, state: StackState) -> None:
        save_state(self.state_file, state)

    def _config_view(self) -> dict[str, str]:
        return {
            k: SECRET_MASK if isinstance(v, Secret) else config_text(v)
            for k, v in self.config.items()
        }

    def _plan(self, kind: str, deployment: Deployment, started: float) -> Plan:
        return Plan(
            kind=kind,
            stack=self.name,
            steps=list(deployment.steps),
            diagnostics=list(deployment.diagnostics),
            config=self._config_view(),
            outputs=dict(deployment.outputs),
            duration_seconds=time.monotonic() - started,
        )

    def _deployment(self, state: StackState, preview: bool, server: LazyServer) -> Deployment:
        return Deployment(
            state=state,
            preview=preview,
            server=server,
            hasher=SecretHasher(state.salt),
            save=self._save,
            emit=self._emit,
            stack_urn=self.urn,
        )

    def _raise_for(
        self, kind: str, deployment: Deployment, started: float, exc: BaseException | None
    ) -> None:
        if not (deployment.unsupported or deployment.problems or deployment.failures or exc):
            return
        plan = self._plan(kind, deployment, started)
        self._emit(plan.render(details=kind != "update"))
        if deployment.unsupported:
            raise UnsupportedError("\n".join(deployment.unsupported), plan) from exc
        if isinstance(exc, Unsupported):
            raise UnsupportedError(str(exc), plan) from exc
        if deployment.problems:
            raise CheckFailedError(list(deployment.problems), plan)
        if deployment.failures:
            raise OperationError(list(deployment.failures), plan)
        assert exc is not None
        if isinstance(exc, DriverError):
            raise exc
        raise ProgramError(
            f"the program raised {type(exc).__name__}: {exc}".rstrip(": "), plan
        ) from exc

    def _execute(self, kind: str, preview: bool, server: LazyServer) -> Plan:
        state = self._load()
        deployment = self._deployment(state, preview, server)
        self._current = deployment
        started = time.monotonic()
        try:
            exc = run_program(
                self.program,
                deployment=deployment,
                stack=self.name,
                project=self.project,
                preview=preview,
                config=self.config,
                emit=self._emit,
            )
            self._raise_for(kind, deployment, started, exc)
            deployment.delete_all(deployment.condemned())
            self._raise_for(kind, deployment, started, None)
            return self._plan(kind, deployment, started)
        finally:
            self._current = None

    # -- operations ----------------------------------------------------------------------

    def preview(self) -> Plan:
        """Run the program in preview mode: checks and diffs only, nothing changes.

        Raises :class:`~.errors.CheckFailedError` with every check failure of every
        resource, :class:`~.errors.ProgramError` if the program raises.
        """
        server = self._server()
        try:
            plan = self._execute("preview", True, server)
        finally:
            server.close()
        self._emit(plan.render())
        return plan

    def up(self, *, skip_preview: bool = False) -> Plan:
        """Preview, then deploy: the returned plan lists the steps done, and the outputs.

        Like ``pulumi up``, a preview runs first (unless ``skip_preview``; default False), so
        bad input is reported for all resources before anything is created. Every step is
        saved to the state file as soon as it is done; on failure the steps done so far stay
        saved and the error's ``plan`` lists them.
        """
        server = self._server()
        try:
            if not skip_preview:
                self._emit(self._execute("preview", True, server).render())
            self._emit(f"Updating ({self.name}):")
            plan = self._execute("update", False, server)
        finally:
            server.close()
        self._emit(plan.render(details=False))
        return plan

    def destroy(self, *, preview: bool = False) -> Plan:
        """Delete every resource of the stack, dependents and children first.

        With ``preview=True`` (default False) only the plan of it.
        """
        server = self._server()
        state = self._load()
        deployment = self._deployment(state, preview, server)
        started = time.monotonic()
        self._current = deployment
        kind = "destroy-preview" if preview else "destroy"
        try:
            deployment.delete_all(list(state.resources))
            if not preview and not deployment.failures and self.state_file.exists():
                state.outputs = {}
                self._save(state)
            self._raise_for(kind, deployment, started, None)
        finally:
            self._current = None
            server.close()
        plan = self._plan(kind, deployment, started)
        self._emit(plan.render())
        return plan

    def refresh(self) -> Plan:
        """Read every dynamic resource back from its provider and update the state.

        A resource whose ``read`` returns no id is dropped from the state; otherwise its
        outputs (and inputs, when ``read`` returns them) are replaced. Steps are ``refresh``
        steps counted as ``same``, ``update`` (drift) or ``delete`` (gone).
        """
        server = self._server()
        state = self._load()
        hasher = SecretHasher(state.salt)
        started = time.monotonic()
        steps: list[Step] = []
        failures: list[OperationFailure] = []
        diagnostics: list[Diagnostic] = []
        lock = threading.Lock()
        viewer = self._deployment(state, True, server)

        def refresh_one(res: ResourceState) -> None:
            with lock:
                if failures:
                    return
            props, _ = recover(res.outputs, {}, hasher)
            inputs, _ = recover(res.inputs, {}, hasher)
            try:
                outcome = server.get().read(
                    res.id,
                    {**props, PROVIDER_KEY: res.provider},
                    inputs={**inputs, PROVIDER_KEY: res.provider},
                    urn=res.urn,
                    name=res.name,
                    type_=res.type,
                )
            except (ProviderCallError, ProviderServerError) as exc:
                message = exc.message if isinstance(exc, ProviderCallError) else str(exc)
                details = exc.details if isinstance(exc, ProviderCallError) else ""
                with lock:
                    failures.append(OperationFailure(res.urn, "refresh", message, details))
                    diagnostics.append(Diagnostic(f"refresh failed: {message}", "error", res.urn))
                return
            with lock:
                if not outcome.id:
                    state.resources = [r for r in state.resources if r is not res]
                    steps.append(
                        Step(REFRESH, res.urn, old_state=viewer.view(res), counted_as=DELETE)
                    )
                    self._save(state)
                    self._emit(f" -  {res.type} {res.name} gone (removed from the state)")
                    return
                outputs = _restore(res.outputs, outcome.outputs, res, hasher)
                new_inputs = (
                    _restore(res.inputs, outcome.inputs, res, hasher)
                    if outcome.inputs is not None
                    else res.inputs
                )
                new = dataclasses.replace(res, id=outcome.id, outputs=outputs, inputs=new_inputs)
                changed = _changed(res.outputs, outputs)
                state.resources = [new if r is res else r for r in state.resources]
                steps.append(
                    Step(
                        REFRESH,
                        res.urn,
                        old_state=viewer.view(res),
                        new_state=viewer.view(new),
                        diff_reasons=sorted(changed),
                        detailed_diff={
                            k: {"kind": kind, "inputDiff": False} for k, kind in changed.items()
                        }
                        or None,
                        counted_as=UPDATE if changed else SAME,
                    )
                )
                self._save(state)
                if changed:
                    self._emit(f" ~  {res.type} {res.name} drift: {', '.join(sorted(changed))}")

        try:
            targets = [r for r in state.resources if r.dynamic]
            with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
                list(pool.map(refresh_one, targets))
        finally:
            server.close()
        plan = Plan(
            kind="refresh",
            stack=self.name,
            steps=steps,
            diagnostics=diagnostics,
            config=self._config_view(),
            outputs=mask(state.outputs),
            duration_seconds=time.monotonic() - started,
        )
        if failures:
            raise OperationError(failures, plan)
        self._emit(plan.render())
        return plan

    # -- inspection ----------------------------------------------------------------------

    def outputs(self) -> dict[str, Any]:
        """The stack's exports from the state file (secrets read ``"[secret]"``)."""
        return mask(self._load().outputs)

    def resources(self) -> list[ResourceState]:
        """The resources in the state file, in dependency order."""
        return list(self._load().resources)

    def resource(self, name: str) -> ResourceState:
        """The live resource named ``name`` in the state file."""
        for res in self._load().resources:
            if res.name == name and not res.delete:
                return res
        raise KeyError(f"no resource named {name!r} in {self.state_file}")


def _restore(
    old: Mapping[str, Any], new: Mapping[str, Any], res: ResourceState, hasher: SecretHasher
) -> dict[str, Any]:
    """Stored form of values read back: secrets handed out as ``[secret]`` keep their digest."""
    result: dict[str, Any] = {}
    secret_keys = {k for k, v in old.items() if isinstance(v, StoredSecret)}
    secret_keys |= set(res.additional_secret_outputs)
    for key, value in new.items():
        if key == PROVIDER_KEY:
            continue
        previous = old.get(key)
        if isinstance(previous, StoredSecret) and value == SECRET_MASK:
            result[key] = previous
        else:
            result.update(store_props({key: value}, secret_keys, hasher))
    return result


def _changed(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for key in sorted(set(old) | set(new)):
        if key.startswith("__"):
            continue
        if key not in old:
            kinds[key] = "add"
        elif key not in new:
            kinds[key] = "delete"
        elif old[key] != new[key]:
            kinds[key] = "update"
    return kinds
