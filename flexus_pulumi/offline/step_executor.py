"""Applying steps, as pkg/resource/deploy/step.go (each step's ``Apply``) and
step_executor.go apply them, and keeping the state as the engine's snapshot manager keeps it.

In a preview nothing reaches the provider but ``Check`` and ``Diff``: a create or update
takes its checked inputs as outputs, as the engine answers for a provider that does not
support previews (provider_plugin.go ``Create``/``Update`` with ``supportsPreview`` false);
a delete does nothing. Otherwise ``Create``/``Update``/``Delete`` go to the provider server
with plain values, their outputs get their secretness back from the inputs
(``annotateSecrets``), and after every step the step executor re-marks outputs secret —
``additional_secret_outputs``, and any output whose input of the same name is secret — and
the state is saved: the new states in the order their steps finished, then the old states
not yet superseded (a replaced resource stays, marked ``delete``, until it is deleted; one
deleted before its replacement stays as ``pendingReplacement`` until that is created).

A ``read`` step (``ReadStep.Apply``) runs in a preview too: ``Read`` gets the program's
properties as both its inputs and its state (which is how a dynamic provider finds its
``__provider``), unless the id is not known yet; what it answers becomes the outputs. A
read resource is external: deleting it (``discard``) only drops it from the state.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from .errors import OperationFailure
from .plan import Diagnostic, Step
from .properties import (
    COMPUTED,
    Props,
    annotate_secrets,
    display,
    display_props,
    is_secret,
    make_secret,
)
from .provider_server import ProviderCallError, ProviderServer, ProviderServerError
from .state import STACK_TYPE, ResourceState, StackState
from .steps import (
    CREATE,
    CREATE_REPLACEMENT,
    DELETE,
    DELETE_REPLACED,
    DISCARD_REPLACED,
    READ,
    READ_DISCARD,
    REMOVE_PENDING_REPLACE,
    REPLACE,
    SAME,
    UPDATE,
    PlannedStep,
)

#: The id of a resource read in a preview before its id is known (plugin.UnknownStringValue).
UNKNOWN_ID = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


class StepFailed(Exception):
    """A step failed; the failure is recorded on the deployment."""


class ProtectedDelete(StepFailed):
    """A delete refused because the resource is protected: the deployment carries on with
    its other steps (step_executor.go ``cancelDueToError``)."""


class StepExecutor:
    """Applies steps of one deployment and keeps its state."""

    def __init__(
        self,
        *,
        state: StackState,
        preview: bool,
        server: Callable[[], ProviderServer],
        save: Callable[[StackState], None],
        record: Callable[[Step], None],
        diagnose: Callable[[Diagnostic], None],
        fail: Callable[[OperationFailure], None],
        emit: Callable[[str], None],
        deleting: Callable[[], set[str]],
    ) -> None:
        self.state = state
        self.preview = preview
        self._server = server
        self._save_fn = save
        self._record = record
        self._diagnose = diagnose
        self._fail = fail
        self._emit = emit
        self._deleting = deleting
        self._lock = threading.RLock()
        self._prev: list[ResourceState] = list(state.resources)
        self._done: list[ResourceState] = []
        self._removed: set[int] = set()

    # -- the snapshot --------------------------------------------------------------------

    def _snapshot(self) -> None:
        with self._lock:
            done_ids = {id(r) for r in self._done}
            rest = [r for r in self._prev if id(r) not in self._removed and id(r) not in done_ids]
            self.state.resources = [*self._done, *rest]
            if not self.preview:
                self._save_fn(self.state)

    def _finish(self, new: ResourceState | None, old: ResourceState | None) -> None:
        if new is not None:
            _remark_secrets(new, self._diagnose)
        with self._lock:
            if old is not None:
                self._removed.add(id(old))
            if new is not None:
                self._done.append(new)
        self._snapshot()

    def save(self) -> None:
        """Write the state as it stands (after ``register_outputs``)."""
        self._snapshot()

    # -- applying ------------------------------------------------------------------------

    def apply(self, step: PlannedStep) -> None:
        """Apply one step: run it, re-mark secrets, keep the state, and record it once done
        (as the engine's pre-step event shows it; the default provider's steps and removals
        of pending replacements are internal and not shown, update.go ``isInternalStep``). A
        step that fails is not recorded: a plan lists what was done, as the engine counts
        it."""
        shown = None if _internal(step) else self.display(step)
        self._apply(step)
        if shown is not None:
            self._record(shown)

    def _apply(self, step: PlannedStep) -> None:
        started = time.monotonic()
        if step.op == SAME:
            self._same(step)
        elif step.op in (CREATE, CREATE_REPLACEMENT):
            self._create(step)
        elif step.op == UPDATE:
            self._update(step)
        elif step.op in (DELETE, DELETE_REPLACED, READ_DISCARD, DISCARD_REPLACED):
            self._delete(step)
        elif step.op == READ:
            self._read(step)
        elif step.op == REMOVE_PENDING_REPLACE:
            self._finish(None, step.old)
        elif step.op == REPLACE:
            return
        if (not self.preview or step.op == READ) and step.op != SAME and _shown(step):
            self._emit(f" {_SYMBOLS[step.op]} {_label(step)} {_PAST[step.op]} ({_since(started)})")

    def _same(self, step: PlannedStep) -> None:
        assert step.old is not None and step.new is not None
        step.new.id = step.old.id
        step.new.outputs = _copy_props(step.old.outputs)
        self._finish(step.new, step.old)

    def _create(self, step: PlannedStep) -> None:
        new = step.new
        assert new is not None
        if new.type.startswith("pulumi:providers:"):
            new.id = step.new_id
            new.outputs = _copy_props(new.inputs)
        elif new.custom:
            if self.preview:
                new.id = ""
                new.outputs = _copy_props(new.inputs)
            else:
                new.id, new.outputs = self._call_create(step, new)
        if step.op == CREATE_REPLACEMENT and step.old is not None:
            if step.pending_delete:
                step.old.delete = True
                self._finish(new, None)
            else:
                self._finish(new, step.old)
            return
        self._finish(new, None)

    def _call_create(self, step: PlannedStep, new: ResourceState) -> tuple[str, Props]:
        try:
            new_id, outs = self._server().create(
                new.inputs, urn=new.urn, name=new.name, type_=_own_type(new)
            )
        except (ProviderCallError, ProviderServerError) as exc:
            raise self._failed(step, exc) from None
        annotate_secrets(outs, new.inputs)
        return new_id, outs

    def _read(self, step: PlannedStep) -> None:
        new = step.new
        assert new is not None
        if new.id == UNKNOWN_ID:
            new.outputs = {}
        else:
            try:
                outcome = self._server().read(
                    new.id,
                    new.inputs,
                    inputs=new.inputs,
                    urn=new.urn,
                    name=new.name,
                    type_=_own_type(new),
                )
            except (ProviderCallError, ProviderServerError) as exc:
                raise self._failed(step, exc) from None
            if not outcome.outputs:
                raise self._failed(step, LookupError(f"resource '{new.id}' does not exist"))
            outputs = dict(outcome.outputs)
            annotate_secrets(outputs, new.inputs)
            new.outputs = outputs
            if outcome.id:
                new.id = outcome.id
        self._finish(new, step.old)

    def _update(self, step: PlannedStep) -> None:
        old, new = step.old, step.new
        assert old is not None and new is not None
        new.id = old.id
        if new.type.startswith("pulumi:providers:"):
            new.outputs = _copy_props(new.inputs)
        elif not new.custom:
            new.outputs = _copy_props(old.outputs)
        elif self.preview:
            new.outputs = _copy_props(new.inputs)
        else:
            try:
                outs = self._server().update(
                    old.id,
                    old.outputs,
                    new.inputs,
                    old_inputs=old.inputs,
                    urn=new.urn,
                    name=new.name,
                    type_=_own_type(new),
                )
            except (ProviderCallError, ProviderServerError) as exc:
                raise self._failed(step, exc) from None
            annotate_secrets(outs, new.inputs)
            new.outputs = outs
        self._finish(new, old)

    def _delete(self, step: PlannedStep) -> None:
        old = step.old
        assert old is not None
        if step.op == DELETE and old.protect:
            message = (
                f'resource "{old.urn}" cannot be deleted\nbecause it is protected. To unprotect '
                "the resource, either remove the `protect` flag from the resource in your Pulumi "
                "program and run `pulumi up`, or use the command:\n"
                f"`pulumi state unprotect '{old.urn}'`"
            )
            self._diagnose(Diagnostic(message, "error", old.urn))
            self._fail(OperationFailure(old.urn, step.op, message))
            raise ProtectedDelete(old.urn)
        if (
            self.preview
            or old.retain_on_delete
            or (old.deleted_with and old.deleted_with in self._deleting())
        ):
            pass
        elif old.external:
            pass  # Pulumi does not own what it read: it only leaves the state
        elif old.dynamic and not old.type.startswith("pulumi:providers:"):
            try:
                self._server().delete(
                    old.id,
                    old.outputs,
                    old_inputs=old.inputs,
                    urn=old.urn,
                    name=old.name,
                    type_=_own_type(old),
                )
            except (ProviderCallError, ProviderServerError) as exc:
                raise self._failed(step, exc) from None
        if step.pending_replacement:
            old.pending_replacement = True
            self._snapshot()
        else:
            self._finish(None, old)

    def _failed(self, step: PlannedStep, exc: Exception) -> StepFailed:
        message = exc.message if isinstance(exc, ProviderCallError) else str(exc)
        details = exc.details if isinstance(exc, ProviderCallError) else ""
        op = step.op
        # the engine shows the provider's own error text: for a Python provider, the
        # traceback its server sends (step_executor.go, the step's error as a diagnostic)
        self._diagnose(Diagnostic(details.strip() or message, "error", step.urn))
        self._fail(OperationFailure(step.urn, op, message, details))
        self._emit(f" ** {op} {step.urn.rsplit('::', 1)[-1]} failed: {message}")
        return StepFailed(step.urn)

    # -- display -------------------------------------------------------------------------

    def display(self, step: PlannedStep) -> Step:
        """The step as the engine's pre-step event shows it (json.go ``PreviewStep``)."""
        shows_old = step.op not in (CREATE,)
        shows_new = step.op not in (
            DELETE,
            DELETE_REPLACED,
            REMOVE_PENDING_REPLACE,
            READ_DISCARD,
            DISCARD_REPLACED,
        )
        has_keys = step.op in (CREATE, CREATE_REPLACEMENT, REPLACE)
        has_diffs = step.op in (CREATE, CREATE_REPLACEMENT, REPLACE, UPDATE)
        return Step(
            op=step.op,
            urn=step.urn,
            provider=step.provider,
            old_state=view(step.old) if shows_old and step.old is not None else None,
            new_state=view(step.new) if shows_new and step.new is not None else None,
            diff_reasons=list(step.diffs) if has_diffs else [],
            replace_reasons=list(step.keys) if has_keys else [],
            detailed_diff=_detailed_json(step.detailed) if has_diffs else None,
            logical=step.logical,
        )


def view(res: ResourceState) -> dict[str, Any]:
    """A ``ResourceV3`` display copy of ``res`` (every secret shown as ``"[secret]"``)."""
    data: dict[str, Any] = {"urn": res.urn, "custom": res.custom}
    if res.delete:
        data["delete"] = True
    if res.id:
        data["id"] = res.id
    data["type"] = res.type
    optional: dict[str, Any] = {
        "inputs": display_props(res.inputs),
        "outputs": display_props(res.outputs),
        "parent": res.parent,
        "protect": res.protect,
        "dependencies": list(res.dependencies),
        "provider": res.provider,
        "propertyDependencies": {k: list(v) for k, v in res.property_dependencies.items() if v},
        "pendingReplacement": res.pending_replacement,
        "additionalSecretOutputs": list(res.additional_secret_outputs),
        "aliases": list(res.aliases),
        "retainOnDelete": res.retain_on_delete,
        "deletedWith": res.deleted_with,
        "replaceWith": list(res.replace_with),
        "ignoreChanges": list(res.ignore_changes),
        "replaceOnChanges": list(res.replace_on_changes),
    }
    data.update({k: v for k, v in optional.items() if v})
    if res.replacement_trigger is not None:
        data["replacementTrigger"] = display(res.replacement_trigger)
    if res.external:
        data["external"] = True
    return data


def _detailed_json(detailed: dict[str, str] | None) -> dict[str, dict[str, Any]] | None:
    if detailed is None:
        return None
    return {path: {"kind": kind, "inputDiff": True} for path, kind in sorted(detailed.items())}


def _remark_secrets(new: ResourceState, diagnose: Callable[[Diagnostic], None]) -> None:
    """step_executor.go: ``additional_secret_outputs`` and outputs whose same-named input is
    secret become secrets."""
    for key in new.additional_secret_outputs:
        if key == "id":
            diagnose(
                Diagnostic(
                    "The 'id' property cannot be made secret. See pulumi/pulumi#2717 for more "
                    "details.",
                    "warning",
                    new.urn,
                )
            )
        elif key in new.outputs and not is_secret(new.outputs[key]):
            new.outputs[key] = make_secret(new.outputs[key])
    for key, value in list(new.outputs.items()):
        if not is_secret(value) and is_secret(new.inputs.get(key)):
            new.outputs[key] = make_secret(value)


def _copy_props(props: Props) -> Props:
    from .state import _copy

    copied: Props = _copy(props)
    return copied


def _internal(step: PlannedStep) -> bool:
    res = step.new or step.old
    is_provider = res is not None and res.type.startswith("pulumi:providers:")
    return is_provider or step.op == REMOVE_PENDING_REPLACE


def _own_type(res: ResourceState) -> str:
    return res.type


def _shown(step: PlannedStep) -> bool:
    res = step.new or step.old
    return res is not None and res.type != STACK_TYPE and step.op != REPLACE and not _internal(step)


def _label(step: PlannedStep) -> str:
    res = step.new or step.old
    assert res is not None
    return f"{res.type} {res.name}"


_SYMBOLS = {
    CREATE: "+ ",
    UPDATE: "~ ",
    DELETE: "- ",
    CREATE_REPLACEMENT: "++",
    DELETE_REPLACED: "--",
    REMOVE_PENDING_REPLACE: "- ",
    READ: "> ",
    READ_DISCARD: "< ",
    DISCARD_REPLACED: "<<",
}
_PAST = {
    CREATE: "created",
    UPDATE: "updated",
    DELETE: "deleted",
    CREATE_REPLACEMENT: "created replacement",
    DELETE_REPLACED: "deleted original",
    REMOVE_PENDING_REPLACE: "removed from the state",
    READ: "read",
    READ_DISCARD: "discarded from the state",
    DISCARD_REPLACED: "discarded from the state",
}


def _since(started: float) -> str:
    return f"{time.monotonic() - started:.2f}s"


__all__ = ["COMPUTED", "ProtectedDelete", "StepExecutor", "StepFailed", "view"]
