"""``pulumi refresh``: read every dynamic resource back (pkg/resource/deploy/step.go
``RefreshStep.Apply``).

``Read`` gets the old outputs and the old inputs; a resource read back without an id has
gone and leaves the state; otherwise its outputs, and its inputs when ``read`` returns them,
replace the stored ones (secretness carried over from the old values, ``annotateSecrets``).
Whether it counts as changed is the provider's ``Diff`` run the other way round — olds = the
refreshed state, news = the old inputs — so a provider that reports drift as no change
keeps the resource ``same``. A resource the program read (external) is not diffed by its
provider: it changed when its outputs did (step.go ``RefreshStep``, "diffing outputs only").
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from .errors import OperationFailure
from .plan import Diagnostic, Step
from .properties import annotate_secrets, props_deep_equals
from .provider_server import ProviderCallError, ProviderServer, ProviderServerError
from .state import PROVIDER_TYPE, ResourceState, StackState
from .step_executor import view
from .step_generator import diff_resource
from .steps import DELETE, REFRESH, SAME, UPDATE

#: Reads the engine runs at once against the Python provider server (its thread pool).
PARALLEL = 4


class Refresh:
    """One refresh of ``state`` (saved after every read)."""

    def __init__(
        self,
        state: StackState,
        server: Callable[[], ProviderServer],
        save: Callable[[StackState], None],
        emit: Callable[[str], None],
    ) -> None:
        self.state = state
        self._server = server
        self._save = save
        self._emit = emit
        self._lock = threading.Lock()
        self.steps: list[Step] = []
        self.failures: list[OperationFailure] = []
        self.diagnostics: list[Diagnostic] = []

    def run(self) -> None:
        """Read every custom resource of the dynamic provider, up to four at a time. Every
        other resource gets a refresh step too (deployment_executor.go ``refresh``: one for
        each resource of the snapshot), which never changes anything (step.go
        ``RefreshStep.Apply``: components, the stack, providers and pending replacements):
        counted ``same``, but for providers, which the engine never counts."""
        targets = [
            r
            for r in self.state.resources
            if r.dynamic and r.type != PROVIDER_TYPE and not r.pending_replacement
        ]
        for res in self.state.resources:
            if res not in targets and res.type != PROVIDER_TYPE and not res.delete:
                view_ = view(res)
                self.steps.append(
                    Step(REFRESH, res.urn, view_, view_, counted_as=SAME, provider=res.provider)
                )
        with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
            list(pool.map(self._refresh_one, targets))

    def _refresh_one(self, old: ResourceState) -> None:
        with self._lock:
            if self.failures:
                return
        try:
            outcome = self._server().read(
                old.id, old.outputs, inputs=old.inputs, urn=old.urn, name=old.name, type_=old.type
            )
            if not outcome.id:
                self._gone(old)
                return
            new = old.copy()
            new.id = outcome.id
            new.outputs = dict(outcome.outputs)
            annotate_secrets(new.outputs, old.outputs)
            if outcome.inputs is not None:
                new.inputs = dict(outcome.inputs)
                annotate_secrets(new.inputs, old.inputs)
            if old.external:
                self._record(old, new, changed=not props_deep_equals(old.outputs, new.outputs))
                return
            diff = diff_resource(
                self._server(),
                old.urn,
                new.id,
                new.inputs,
                new.outputs,
                old.inputs,
                old.ignore_changes,
                False,
                self._diagnose,
            )
        except (ProviderCallError, ProviderServerError) as exc:
            message = exc.message if isinstance(exc, ProviderCallError) else str(exc)
            details = exc.details if isinstance(exc, ProviderCallError) else ""
            with self._lock:
                self.failures.append(OperationFailure(old.urn, "refresh", message, details))
                self.diagnostics.append(Diagnostic(f"refresh failed: {message}", "error", old.urn))
            return
        detailed = None
        if diff.detailed is not None:
            inverse = {"add": "delete", "delete": "add"}
            detailed = {
                path: {"kind": inverse.get(kind, kind), "inputDiff": True}
                for path, kind in sorted(diff.detailed.items())
            }
        self._record(
            old, new, changed=diff.changes == "some", keys=diff.changed_keys, detailed=detailed
        )

    def _record(
        self,
        old: ResourceState,
        new: ResourceState,
        *,
        changed: bool,
        keys: list[str] | None = None,
        detailed: dict[str, dict[str, object]] | None = None,
    ) -> None:
        with self._lock:
            self.state.resources = [new if r is old else r for r in self.state.resources]
            self.steps.append(
                Step(
                    REFRESH,
                    old.urn,
                    old_state=view(old),
                    new_state=view(new),
                    diff_reasons=list(keys or []),
                    detailed_diff=detailed,
                    counted_as=UPDATE if changed else SAME,
                    provider=old.provider,
                )
            )
            self._save(self.state)
        if changed:
            self._emit(f" ~  {old.type} {old.name} changed outside Pulumi")

    def _gone(self, old: ResourceState) -> None:
        with self._lock:
            self.state.resources = [r for r in self.state.resources if r is not old]
            self.steps.append(
                Step(
                    REFRESH, old.urn, old_state=view(old), counted_as=DELETE, provider=old.provider
                )
            )
            self._save(self.state)
        self._emit(f" -  {old.type} {old.name} gone (removed from the state)")

    def _diagnose(self, diagnostic: Diagnostic) -> None:
        with self._lock:
            self.diagnostics.append(diagnostic)
