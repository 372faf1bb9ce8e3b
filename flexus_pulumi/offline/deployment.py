"""One run over one state (pkg/resource/deploy/deployment_executor.go): registrations from
the program go to the :class:`~.step_generator.StepGenerator` one at a time, their steps to
the :class:`~.step_executor.StepExecutor` (in the registering thread, so independent
resources proceed in parallel, four provider calls at a time as the provider server's pool
allows); after the program, the deletes, scheduled in antichains.

A failed ``Check`` (or any step-generation error) stops the run at that resource: later
registrations fail without steps. A failed step stops new steps from starting, except a
refused delete of a protected resource, after which the run carries on and fails at the end.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from . import graph
from .errors import CheckProblem, OperationFailure
from .plan import Diagnostic, Step
from .properties import Props, SecretValue
from .provider_server import ProviderServer
from .state import StackState
from .step_executor import ProtectedDelete, StepExecutor, StepFailed
from .step_generator import Bail, Sink, StepGenerator, Unsupported
from .steps import Goal, PlannedStep, ReadGoal

#: Provider operations the Python provider server runs at once (its thread pool).
PARALLEL = 4

__all__ = [
    "PARALLEL",
    "Deployment",
    "LazyServer",
    "Registration",
    "StepFailed",
    "Unsupported",
]


@dataclass
class Registration:
    """What the program gets back: URN, id and outputs (with secret markers)."""

    urn: str
    id: str
    outputs: Props


class LazyServer:
    """Starts a provider server on first use; one per deployment, as the engine starts one
    plugin process per operation (a preview and its update each have their own)."""

    def __init__(self, factory: Callable[[], ProviderServer]) -> None:
        self._factory = factory
        self._server: ProviderServer | None = None
        self._lock = threading.Lock()

    def get(self) -> ProviderServer:
        """The running server."""
        with self._lock:
            if self._server is None:
                self._server = self._factory().start()
            return self._server

    def close(self) -> None:
        """Stop the server if it was started (its exit is awaited in the background)."""
        with self._lock:
            if self._server is not None:
                self._server.close(wait=False)
                self._server = None


class Deployment:
    """One preview or update of the program over ``state``."""

    def __init__(
        self,
        *,
        state: StackState,
        preview: bool,
        server: LazyServer,
        provider_inputs: Props,
        save: Callable[[StackState], None],
        emit: Callable[[str], None],
        stack_urn: str,
    ) -> None:
        self.state = state
        self.preview = preview
        self.stack_urn = stack_urn
        self._emit = emit
        self._lock = threading.RLock()
        self._generate_lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._inflight = 0
        self.steps: list[Step] = []
        self.diagnostics: list[Diagnostic] = []
        self.failures: list[OperationFailure] = []
        self.problems: list[CheckProblem] = []  # of one resource: the run stops there
        self.unsupported: list[str] = []
        self.errored = False  # an error that lets a preview go on (sg.sawError)
        self.halted = False  # step generation stopped
        self.cancelled = False  # a step failed: no new steps start
        self.generator = StepGenerator(
            state=state,
            preview=preview,
            server=server.get,
            provider_inputs=provider_inputs,
            sink=Sink(
                diagnose=self.diagnose,
                fail=self._fail,
                saw_error=self._saw_error,
                check_failed=self._problem,
            ),
        )
        self.executor = StepExecutor(
            state=state,
            preview=preview,
            server=server.get,
            save=save,
            record=self._record,
            diagnose=self.diagnose,
            fail=self._fail,
            emit=emit,
            deleting=lambda: self.generator.deletes,
        )

    # -- bookkeeping ---------------------------------------------------------------------

    def diagnose(self, diagnostic: Diagnostic) -> None:
        """Record a diagnostic."""
        with self._lock:
            self.diagnostics.append(diagnostic)

    def log(self, message: str, severity: str = "info", urn: str = "") -> None:
        """Record a diagnostic (program log lines, provider output)."""
        self.diagnose(Diagnostic(message, severity, urn))

    def refuse(self, message: str) -> None:
        """Record something the program used that the driver refuses; the run stops."""
        with self._lock:
            self.unsupported.append(message)
        self.halted = True

    def _record(self, step: Step) -> None:
        with self._lock:
            self.steps.append(step)

    def _fail(self, failure: OperationFailure) -> None:
        with self._lock:
            self.failures.append(failure)

    def _saw_error(self) -> None:
        with self._lock:
            self.errored = True

    def _problem(self, problem: CheckProblem) -> None:
        with self._lock:
            self.problems.append(problem)

    def wait_idle(self) -> None:
        """Block until no registration is in flight."""
        with self._idle:
            while self._inflight:
                self._idle.wait()

    # -- registrations -------------------------------------------------------------------

    def register(self, goal: Goal | ReadGoal) -> Registration:
        """Decide and apply the steps of one registration (or read, for a
        :class:`ReadGoal`); raises :class:`StepFailed` if they cannot be taken (the reason
        is recorded)."""
        with self._lock:
            self._inflight += 1
        try:
            with self._generate_lock:
                if self.halted or self.cancelled:
                    raise StepFailed(f"{goal.name}: not started, the deployment stopped")
                try:
                    steps = (
                        self.generator.generate_read(goal)
                        if isinstance(goal, ReadGoal)
                        else self.generator.generate(goal)
                    )
                except Bail:
                    self.halted = True
                    raise StepFailed(goal.name) from None
                except Unsupported as exc:
                    self.halted = True
                    with self._lock:
                        self.unsupported.append(str(exc))
                    raise
            return self._apply_chain(steps)
        finally:
            with self._idle:
                self._inflight -= 1
                self._idle.notify_all()

    def _apply_chain(self, steps: list[PlannedStep]) -> Registration:
        result: PlannedStep | None = None
        for step in steps:
            if self.cancelled:
                raise StepFailed(f"{step.urn}: not started, an earlier step failed")
            try:
                self.executor.apply(step)
            except ProtectedDelete:
                raise
            except StepFailed:
                self.cancelled = True
                raise
            if step.completes_registration:
                result = step
        assert result is not None and result.new is not None
        return Registration(result.urn, result.new.id, dict(result.new.outputs))

    def register_outputs(self, urn: str, outputs: Mapping[str, Any]) -> None:
        """``RegisterResourceOutputs`` of a component or of the stack."""
        new = self.generator.news.get(urn)
        if new is None:
            return
        new.outputs = dict(outputs)
        self.executor.save()

    @property
    def outputs(self) -> Props:
        """The stack's exports as registered in this run."""
        root = self.generator.news.get(self.stack_urn)
        return dict(root.outputs) if root else {}

    # -- deletes -------------------------------------------------------------------------

    def run_deletes(self, steps: list[PlannedStep] | None = None) -> None:
        """Delete what the program no longer declares and what was replaced, dependents and
        children first, each antichain in parallel."""
        if self.halted or self.cancelled:
            return
        if steps is None:
            with self._generate_lock:
                steps = self.generator.generate_deletes()
        by_state = {id(s.old): s for s in steps if s.old is not None}
        condemned = [s.old for s in steps if s.old is not None]
        for batch in graph.deletion_antichains(condemned):
            if self.cancelled:
                return
            batch_steps = [by_state[id(res)] for res in batch]
            if len(batch_steps) == 1 or self.preview:
                for step in batch_steps:
                    self._delete(step)
                continue
            with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
                list(pool.map(self._delete, batch_steps))

    def _delete(self, step: PlannedStep) -> None:
        if self.cancelled:
            return
        try:
            self.executor.apply(step)
        except ProtectedDelete:
            return
        except StepFailed:
            self.cancelled = True


def provider_inputs(config: Mapping[str, Any], secret_keys: set[str]) -> Props:
    """The inputs of the default ``pulumi-python`` provider: the whole stack config, keys
    namespaced, secrets marked (deploy/target.go ``GetPackageConfig``)."""
    return {k: SecretValue(v) if k in secret_keys else v for k, v in config.items()}
