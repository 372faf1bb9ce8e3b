"""The step logic of one run: what the engine decides for each registered resource.

For each dynamic resource the program registers: ``check`` (olds = the stored inputs) →
``diff`` against the stored outputs → same / create / update / replace (create before
delete, or delete before replace when the provider or the resource option asks) → the
provider call (not in a preview) → the state written. Components are recorded with their
parent chain, without provider calls. After the program, resources it no longer registers
and replaced resources are deleted, dependents and children first.

Calls arrive concurrently from the SDK's registration threads; the provider server serves
four at a time, as under the engine.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from .errors import CheckProblem, OperationFailure
from .plan import (
    CREATE,
    CREATE_REPLACEMENT,
    DELETE,
    DELETE_REPLACED,
    REPLACE,
    SAME,
    UPDATE,
    Diagnostic,
    Step,
)
from .provider_server import PROVIDER_KEY, ProviderCallError, ProviderServer, ProviderServerError
from .secrets import (
    SECRET_MASK,
    SecretHasher,
    StoredSecret,
    is_unknown,
    mask,
    recover,
    same_value,
    split_secrets,
    store_props,
    wrap_secrets,
)
from .state import STACK_TYPE, ResourceState, StackState, urn_name

DYNAMIC_PREFIX = "pulumi-python:dynamic"

#: How many provider operations the engine runs at once against the Python provider server
#: (its thread pool); deletes at the end of a run use the same width.
PARALLEL = 4


@dataclass
class Goal:
    """A resource as the program registered it (inputs with secrets wrapped)."""

    urn: str
    type: str
    name: str
    custom: bool
    parent: str = ""
    dependencies: list[str] = field(default_factory=list)
    inputs: dict[str, Any] = field(default_factory=dict)
    delete_before_replace: bool = False
    ignore_changes: list[str] = field(default_factory=list)
    replace_on_changes: list[str] = field(default_factory=list)
    protect: bool = False
    retain_on_delete: bool = False
    additional_secret_outputs: list[str] = field(default_factory=list)


@dataclass
class Registration:
    """What the program gets back: id and outputs (secrets wrapped); ``failed`` in previews."""

    id: str
    outputs: dict[str, Any]
    failed: bool = False


class StepFailed(Exception):
    """A step failed; the failure is recorded on the deployment."""


class Unsupported(Exception):
    """The program used something the driver does not provide."""


class LazyServer:
    """Starts the provider server on first use; one per driver operation."""

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
        """Stop the server if it was started."""
        with self._lock:
            if self._server is not None:
                self._server.close()
                self._server = None


class Deployment:
    """One run over one state: steps decided, provider calls made, state saved."""

    def __init__(
        self,
        *,
        state: StackState,
        preview: bool,
        server: LazyServer,
        hasher: SecretHasher,
        save: Callable[[StackState], None],
        emit: Callable[[str], None],
        stack_urn: str,
    ) -> None:
        self.state = state
        self.preview = preview
        self.stack_urn = stack_urn
        self._server = server
        self._hasher = hasher
        self._save_fn = save
        self._emit = emit
        self._old_live = state.live()
        self._registered: set[str] = set()
        self._replaced_in_preview: list[ResourceState] = []
        self._lock = threading.RLock()
        self._idle = threading.Condition(self._lock)
        self._inflight = 0
        self.aborted = False
        self.steps: list[Step] = []
        self.diagnostics: list[Diagnostic] = []
        self.problems: list[CheckProblem] = []
        self.failures: list[OperationFailure] = []
        self.unsupported: list[str] = []
        self.outputs: dict[str, Any] = {}

    # -- bookkeeping ---------------------------------------------------------------------

    def wait_idle(self) -> None:
        """Block until no registration is in flight."""
        with self._idle:
            while self._inflight:
                self._idle.wait()

    def log(self, message: str, severity: str = "info", urn: str = "") -> None:
        """Record a diagnostic (program log lines, provider output)."""
        with self._lock:
            self.diagnostics.append(Diagnostic(message, severity, urn))

    def _record(self, step: Step) -> None:
        with self._lock:
            self.steps.append(step)

    def _save(self) -> None:
        if not self.preview:
            with self._lock:
                self._save_fn(self.state)

    def _index(self, entry: ResourceState) -> int | None:
        for i, res in enumerate(self.state.resources):
            if res is entry:
                return i
        return None

    def _put(self, new: ResourceState, old: ResourceState | None) -> None:
        if self.preview:
            return
        with self._lock:
            index = self._index(old) if old is not None else None
            if index is None:
                self.state.resources.append(new)
            else:
                self.state.resources[index] = new
            self._save()

    def _put_replacement(self, new: ResourceState, old: ResourceState) -> ResourceState:
        pending = dataclasses.replace(old, delete=True)
        if self.preview:
            return pending
        with self._lock:
            index = self._index(old)
            if index is None:
                self.state.resources.append(new)
                self.state.resources.append(pending)
            else:
                self.state.resources[index] = new
                self.state.resources.insert(index + 1, pending)
            self._save()
        return pending

    def _remove(self, entry: ResourceState) -> None:
        if self.preview:
            return
        with self._lock:
            index = self._index(entry)
            if index is not None:
                del self.state.resources[index]
            self._save()

    def _halt(self, urn: str) -> Registration:
        """After a failed check or diff: a preview goes on (the registration is marked
        failed, so every problem gets reported); a deployment stops."""
        if self.preview:
            return Registration("", {}, failed=True)
        raise StepFailed(urn) from None

    def _fail(self, goal_urn: str, op: str, message: str, details: str = "") -> None:
        with self._lock:
            self.failures.append(OperationFailure(goal_urn, op, message, details))
            self.diagnostics.append(Diagnostic(f"{op} failed: {message}", "error", goal_urn))
            if not self.preview:
                self.aborted = True
        self._emit(f" ** {op} {urn_name(goal_urn)} failed: {message}")

    def _provider_error(self, urn: str, op: str, exc: Exception) -> None:
        if isinstance(exc, ProviderCallError):
            self._fail(urn, op, exc.message, exc.details)
        else:
            self._fail(urn, op, str(exc))

    def view(
        self,
        res: ResourceState,
        *,
        inputs_secret: set[str] | None = None,
        outputs_secret: set[str] | None = None,
    ) -> dict[str, Any]:
        """A ResourceV3 display copy of ``res`` (secrets masked)."""
        data: dict[str, Any] = {"urn": res.urn, "custom": res.custom}
        if res.delete:
            data["delete"] = True
        if res.id:
            data["id"] = res.id
        data["type"] = res.type
        inputs = mask(res.inputs, inputs_secret or set())
        outputs = mask(res.outputs, outputs_secret or set())
        if res.dynamic:
            inputs[PROVIDER_KEY] = SECRET_MASK
            outputs[PROVIDER_KEY] = SECRET_MASK
        if inputs:
            data["inputs"] = inputs
        if outputs:
            data["outputs"] = outputs
        if res.parent:
            data["parent"] = res.parent
        if res.dependencies:
            data["dependencies"] = list(res.dependencies)
        return data

    # -- registration --------------------------------------------------------------------

    def register(self, goal: Goal) -> Registration:
        """Decide and (unless previewing) perform the step for one registered resource."""
        with self._lock:
            if self.aborted:
                raise StepFailed(f"{goal.urn}: not started, an earlier step failed")
            if goal.urn in self._registered:
                self.unsupported.append(f"duplicate resource URN {goal.urn}")
                self.aborted = True
                raise Unsupported(f"Duplicate resource URN '{goal.urn}'")
            self._registered.add(goal.urn)
            self._inflight += 1
        try:
            if not goal.custom:
                return self._register_component(goal)
            if not goal.type.startswith(DYNAMIC_PREFIX):
                message = (
                    f"{goal.type} ({goal.name}): only Python dynamic resources can be "
                    "deployed offline; use the pulumi CLI for other providers"
                )
                with self._lock:
                    self.unsupported.append(message)
                    self.aborted = True
                raise Unsupported(message)
            return self._register_dynamic(goal)
        finally:
            with self._idle:
                self._inflight -= 1
                self._idle.notify_all()

    def _register_component(self, goal: Goal) -> Registration:
        old = self._old_live.get(goal.urn)
        inputs, secret = split_secrets(goal.inputs)
        new = ResourceState(
            urn=goal.urn,
            type=goal.type,
            custom=False,
            inputs=store_props(inputs, secret, self._hasher),
            outputs=dict(old.outputs) if old else {},
            parent=goal.parent,
            dependencies=list(goal.dependencies),
            protect=goal.protect,
            retain_on_delete=goal.retain_on_delete,
        )
        if old is None:
            op = CREATE
            changed: dict[str, str] = {}
        else:
            changed = self._input_diff(old.inputs, inputs)
            op = UPDATE if changed else SAME
        self._put(new, old)
        self._record(
            Step(
                op,
                goal.urn,
                old_state=self.view(old) if old else None,
                new_state=self.view(new),
                diff_reasons=sorted(changed) if op == UPDATE else [],
                detailed_diff=_detailed(changed, []) if op == UPDATE else None,
            )
        )
        if op != SAME and goal.type != STACK_TYPE and not self.preview:
            self._emit(f" {_symbol(op)} {goal.type} {goal.name} {_past(op)}")
        return Registration("", {})

    def register_outputs(self, urn: str, outputs: Mapping[str, Any]) -> None:
        """Record ``register_outputs`` of a component, or the stack's exports."""
        plain, secret = split_secrets(outputs)
        stored = store_props(plain, secret, self._hasher)
        with self._lock:
            if urn == self.stack_urn:
                self.outputs = mask(plain, secret)
                if not self.preview:
                    self.state.outputs = stored
            for step in self.steps:
                if step.urn == urn and step.new_state is not None and urn != self.stack_urn:
                    step.new_state["outputs"] = mask(plain, secret)
            if not self.preview and urn != self.stack_urn:
                for res in self.state.resources:
                    if res.urn == urn and not res.delete:
                        res.outputs = stored
            self._save()

    def _register_dynamic(self, goal: Goal) -> Registration:
        old = self._old_live.get(goal.urn)
        news, news_secret = split_secrets(goal.inputs)
        provider = str(news.pop(PROVIDER_KEY, "") or "")
        news_secret.discard(PROVIDER_KEY)
        if old is not None and goal.ignore_changes:
            _ignore_changes(news, old, goal.ignore_changes, self._hasher)
        if not self.preview and any(is_unknown(v) for v in news.values()):
            self._fail(goal.urn, "check", "an input is still unknown during the update")
            raise StepFailed(goal.urn)
        try:
            server = self._server.get()
        except ProviderServerError as exc:
            self._fail(goal.urn, "check", str(exc))
            raise StepFailed(goal.urn) from None

        old_inputs: dict[str, Any] = {}
        if old is not None:
            old_inputs, _ = recover(old.inputs, news, self._hasher)
            old_inputs[PROVIDER_KEY] = old.provider
        try:
            checked = server.check(
                old_inputs,
                {**news, PROVIDER_KEY: provider},
                urn=goal.urn,
                name=goal.name,
                type_=goal.type,
            )
        except (ProviderCallError, ProviderServerError) as exc:
            self._provider_error(goal.urn, "check", exc)
            return self._halt(goal.urn)
        if checked.failures:
            self._check_failed(goal, news, news_secret, checked.failures)
            return self._halt(goal.urn)

        inputs = dict(checked.inputs)
        inputs.pop(PROVIDER_KEY, None)
        secret_in = {k for k in news_secret if k in inputs}
        base = ResourceState(
            urn=goal.urn,
            type=goal.type,
            custom=True,
            inputs=store_props(inputs, secret_in, self._hasher),
            parent=goal.parent,
            dependencies=list(goal.dependencies),
            provider=provider,
            protect=goal.protect,
            retain_on_delete=goal.retain_on_delete,
            additional_secret_outputs=list(goal.additional_secret_outputs),
        )
        if old is None:
            return self._create(goal, base, inputs, secret_in, provider)

        old_outputs, old_out_secret = recover(old.outputs, inputs, self._hasher)
        try:
            diff = server.diff(
                old.id,
                {**old_outputs, PROVIDER_KEY: old.provider},
                {**inputs, PROVIDER_KEY: provider},
                old_inputs=old_inputs,
                urn=goal.urn,
                name=goal.name,
                type_=goal.type,
            )
        except (ProviderCallError, ProviderServerError) as exc:
            self._provider_error(goal.urn, "diff", exc)
            return self._halt(goal.urn)

        changed = self._input_diff(old.inputs, inputs)
        reasons = sorted(changed)
        if diff.changes is None:
            changes = bool(changed) or old.provider != provider
            if old.provider != provider:
                reasons.append(PROVIDER_KEY)
        else:
            changes = diff.changes
        replace_keys = list(diff.replaces)
        wildcard = "*" in goal.replace_on_changes
        for key in reasons:
            if (wildcard or key in goal.replace_on_changes) and key not in replace_keys:
                replace_keys.append(key)

        if not changes:
            return self._same(goal, old, base, inputs, old_outputs, old_out_secret, provider)
        detailed = _detailed(changed, replace_keys)
        if replace_keys:
            return self._replace(
                goal,
                old,
                base,
                inputs,
                secret_in,
                provider,
                reasons,
                replace_keys,
                detailed,
                delete_first=diff.delete_before_replace or goal.delete_before_replace,
            )
        return self._update(
            goal, old, base, inputs, secret_in, provider, old_outputs, old_inputs, reasons, detailed
        )

    def _check_failed(
        self,
        goal: Goal,
        news: Mapping[str, Any],
        secret: set[str],
        failures: list[Any],
    ) -> None:
        with self._lock:
            for failure in failures:
                prop = failure.property
                if prop and prop in news:
                    shown = SECRET_MASK if prop in secret else mask({prop: news[prop]})[prop]
                    message = (
                        f"{goal.type} resource '{goal.name}': property {prop} value "
                        f"{{{shown}}} has a problem: {failure.reason}"
                    )
                elif prop:
                    message = (
                        f"{goal.type} resource '{goal.name}': property {prop} has a problem: "
                        f"{failure.reason}"
                    )
                else:
                    message = f"{goal.type} resource '{goal.name}' has a problem: {failure.reason}"
                self.problems.append(
                    CheckProblem(goal.urn, goal.type, goal.name, prop, failure.reason)
                )
                self.diagnostics.append(Diagnostic(message, "error", goal.urn))
            if not self.preview:
                self.aborted = True

    def _input_diff(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, str]:
        kinds: dict[str, str] = {}
        for key in sorted(set(old) | set(new)):
            if key.startswith("__"):
                continue
            if key not in old:
                kinds[key] = "add"
            elif key not in new:
                kinds[key] = "delete"
            elif not same_value(old[key], new[key], self._hasher):
                kinds[key] = "update"
        return kinds

    def _program_outputs(
        self, outputs: Mapping[str, Any], secret: set[str], provider: str
    ) -> dict[str, Any]:
        return wrap_secrets({**outputs, PROVIDER_KEY: provider}, secret | {PROVIDER_KEY})

    def _secret_outputs(self, goal: Goal, outs: Mapping[str, Any], secret_in: set[str]) -> set[str]:
        extra = set(goal.additional_secret_outputs)
        return {k for k in outs if k in secret_in or k in extra}

    # -- the steps -----------------------------------------------------------------------

    def _same(
        self,
        goal: Goal,
        old: ResourceState,
        base: ResourceState,
        inputs: dict[str, Any],
        old_outputs: dict[str, Any],
        old_out_secret: set[str],
        provider: str,
    ) -> Registration:
        new = dataclasses.replace(base, id=old.id, outputs=dict(old.outputs))
        self._put(new, old)
        self._record(Step(SAME, goal.urn, old_state=self.view(old), new_state=self.view(new)))
        return Registration(old.id, self._program_outputs(old_outputs, old_out_secret, provider))

    def _call_create(
        self, goal: Goal, inputs: dict[str, Any], provider: str, op: str
    ) -> tuple[str, dict[str, Any]]:
        started = time.monotonic()
        try:
            new_id, outs = self._server.get().create(
                {**inputs, PROVIDER_KEY: provider},
                urn=goal.urn,
                name=goal.name,
                type_=goal.type,
            )
        except (ProviderCallError, ProviderServerError) as exc:
            self._provider_error(goal.urn, op, exc)
            raise StepFailed(goal.urn) from None
        outs.pop(PROVIDER_KEY, None)
        self._emit(f" {_symbol(op)} {goal.type} {goal.name} {_past(op)} ({_since(started)})")
        return new_id, outs

    def _create(
        self,
        goal: Goal,
        base: ResourceState,
        inputs: dict[str, Any],
        secret_in: set[str],
        provider: str,
    ) -> Registration:
        if self.preview:
            new = dataclasses.replace(base, outputs=dict(base.inputs))
            self._record(Step(CREATE, goal.urn, new_state=self.view(new)))
            return Registration("", self._program_outputs(inputs, secret_in, provider))
        new_id, outs = self._call_create(goal, inputs, provider, CREATE)
        out_secret = self._secret_outputs(goal, outs, secret_in)
        new = dataclasses.replace(
            base, id=new_id, outputs=store_props(outs, out_secret, self._hasher)
        )
        self._put(new, None)
        self._record(Step(CREATE, goal.urn, new_state=self.view(new)))
        return Registration(new_id, self._program_outputs(outs, out_secret, provider))

    def _update(
        self,
        goal: Goal,
        old: ResourceState,
        base: ResourceState,
        inputs: dict[str, Any],
        secret_in: set[str],
        provider: str,
        old_outputs: dict[str, Any],
        old_inputs: dict[str, Any],
        reasons: list[str],
        detailed: dict[str, dict[str, Any]],
    ) -> Registration:
        if self.preview:
            new = dataclasses.replace(base, id=old.id, outputs=dict(base.inputs))
            outs = inputs
            out_secret = secret_in
        else:
            started = time.monotonic()
            try:
                outs = self._server.get().update(
                    old.id,
                    {**old_outputs, PROVIDER_KEY: old.provider},
                    {**inputs, PROVIDER_KEY: provider},
                    old_inputs=old_inputs,
                    urn=goal.urn,
                    name=goal.name,
                    type_=goal.type,
                )
            except (ProviderCallError, ProviderServerError) as exc:
                self._provider_error(goal.urn, UPDATE, exc)
                raise StepFailed(goal.urn) from None
            outs.pop(PROVIDER_KEY, None)
            out_secret = self._secret_outputs(goal, outs, secret_in)
            new = dataclasses.replace(
                base, id=old.id, outputs=store_props(outs, out_secret, self._hasher)
            )
            self._put(new, old)
            self._emit(f" ~  {goal.type} {goal.name} updated ({_since(started)})")
        self._record(
            Step(
                UPDATE,
                goal.urn,
                old_state=self.view(old),
                new_state=self.view(new),
                diff_reasons=reasons,
                detailed_diff=detailed,
            )
        )
        return Registration(old.id, self._program_outputs(outs, out_secret, provider))

    def _replace(
        self,
        goal: Goal,
        old: ResourceState,
        base: ResourceState,
        inputs: dict[str, Any],
        secret_in: set[str],
        provider: str,
        reasons: list[str],
        replace_keys: list[str],
        detailed: dict[str, dict[str, Any]],
        *,
        delete_first: bool,
    ) -> Registration:
        if old.protect:
            self._fail(
                goal.urn,
                REPLACE,
                "unable to replace a protected resource; set protect=False first",
            )
            return self._halt(goal.urn)

        def replace_step(new: ResourceState) -> Step:
            return Step(
                REPLACE,
                goal.urn,
                old_state=self.view(old),
                new_state=self.view(new),
                diff_reasons=reasons,
                replace_reasons=list(replace_keys),
                detailed_diff=detailed,
            )

        if self.preview:
            new = dataclasses.replace(base, outputs=dict(base.inputs))
            if delete_first:
                self._record(Step(DELETE_REPLACED, goal.urn, old_state=self.view(old)))
                self._record(replace_step(new))
                self._record(Step(CREATE_REPLACEMENT, goal.urn, new_state=self.view(new)))
            else:
                self._record(Step(CREATE_REPLACEMENT, goal.urn, new_state=self.view(new)))
                self._record(replace_step(new))
                with self._lock:
                    self._replaced_in_preview.append(dataclasses.replace(old, delete=True))
            return Registration("", self._program_outputs(inputs, secret_in, provider))

        if delete_first:
            self._delete_one(old, DELETE_REPLACED)
            new_id, outs = self._call_create(goal, inputs, provider, CREATE_REPLACEMENT)
            out_secret = self._secret_outputs(goal, outs, secret_in)
            new = dataclasses.replace(
                base, id=new_id, outputs=store_props(outs, out_secret, self._hasher)
            )
            self._put(new, None)
            self._record(replace_step(new))
            self._record(Step(CREATE_REPLACEMENT, goal.urn, new_state=self.view(new)))
        else:
            new_id, outs = self._call_create(goal, inputs, provider, CREATE_REPLACEMENT)
            out_secret = self._secret_outputs(goal, outs, secret_in)
            new = dataclasses.replace(
                base, id=new_id, outputs=store_props(outs, out_secret, self._hasher)
            )
            self._put_replacement(new, old)
            self._record(Step(CREATE_REPLACEMENT, goal.urn, new_state=self.view(new)))
            self._record(replace_step(new))
        return Registration(new_id, self._program_outputs(outs, out_secret, provider))

    # -- deletes -------------------------------------------------------------------------

    def _delete_one(self, res: ResourceState, op: str) -> None:
        """Delete one resource (provider call for dynamic ones) and drop it from the state."""
        if res.protect:
            self._fail(
                res.urn, op, "unable to delete a protected resource; set protect=False first"
            )
            raise StepFailed(res.urn)
        if not self.preview and res.dynamic and not res.retain_on_delete:
            started = time.monotonic()
            props, _ = recover(res.outputs, {}, self._hasher)
            old_inputs, _ = recover(res.inputs, {}, self._hasher)
            try:
                self._server.get().delete(
                    res.id,
                    {**props, PROVIDER_KEY: res.provider},
                    old_inputs={**old_inputs, PROVIDER_KEY: res.provider},
                    urn=res.urn,
                    name=res.name,
                    type_=res.type,
                )
            except (ProviderCallError, ProviderServerError) as exc:
                self._provider_error(res.urn, op, exc)
                raise StepFailed(res.urn) from None
            self._emit(f" {_symbol(op)} {res.type} {res.name} {_past(op)} ({_since(started)})")
        elif not self.preview and res.type != STACK_TYPE:
            self._emit(f" {_symbol(op)} {res.type} {res.name} {_past(op)}")
        self._remove(res)
        self._record(Step(op, res.urn, old_state=self.view(res)))

    def condemned(self) -> list[ResourceState]:
        """Resources to delete after the program: unregistered ones and replaced ones."""
        with self._lock:
            found = [r for r in self.state.resources if r.delete or r.urn not in self._registered]
            return found + list(self._replaced_in_preview)

    def delete_all(self, resources: list[ResourceState]) -> None:
        """Delete ``resources`` dependents first, up to :data:`PARALLEL` at a time."""
        for batch in deletion_batches(resources):
            if self.aborted:
                return
            ops = [(r, DELETE_REPLACED if r.delete else DELETE) for r in batch]
            if len(ops) == 1 or self.preview:
                for res, op in ops:
                    try:
                        self._delete_one(res, op)
                    except StepFailed:
                        return
                continue
            with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
                futures = [pool.submit(self._delete_one, res, op) for res, op in ops]
                for future in futures:
                    with contextlib.suppress(StepFailed):
                        future.result()


def deletion_batches(resources: list[ResourceState]) -> list[list[ResourceState]]:
    """Batches of resources that can be deleted together, dependents and children first.

    A resource goes in a batch only after every resource (in ``resources``) whose parent or
    dependencies name it; within a batch, later-created resources come first.
    """
    remaining = list(resources)
    batches: list[list[ResourceState]] = []
    while remaining:
        needed: set[str] = set()
        for res in remaining:
            needed.update(d for d in res.dependencies if d != res.urn)
            if res.parent:
                needed.add(res.parent)
        batch = [r for r in remaining if r.urn not in needed or _only_self(r, remaining)]
        if not batch:  # a cycle: break it at the most recent resource
            batch = [remaining[-1]]
        batch.reverse()
        batches.append(batch)
        chosen = {id(r) for r in batch}
        remaining = [r for r in remaining if id(r) not in chosen]
    return batches


def _only_self(res: ResourceState, remaining: list[ResourceState]) -> bool:
    """Whether the only resources naming ``res.urn`` are replaced copies of itself."""
    return all(
        other.urn == res.urn
        for other in remaining
        if other is not res and (res.urn in other.dependencies or other.parent == res.urn)
    )


def _ignore_changes(
    news: dict[str, Any], old: ResourceState, keys: list[str], hasher: SecretHasher
) -> None:
    for key in keys:
        top = key.split(".", 1)[0].split("[", 1)[0]
        if top in old.inputs:
            value = old.inputs[top]
            if isinstance(value, StoredSecret):
                if not hasher.matches(value, news.get(top)):
                    continue  # the old secret cannot be recovered: keep the program's value
            else:
                news[top] = value
        else:
            news.pop(top, None)


def _detailed(changed: Mapping[str, str], replace_keys: list[str]) -> dict[str, dict[str, Any]]:
    detailed: dict[str, dict[str, Any]] = {}
    for key, kind in changed.items():
        suffix = "-replace" if key in replace_keys else ""
        detailed[key] = {"kind": kind + suffix, "inputDiff": True}
    for key in replace_keys:
        if key not in detailed and not key.startswith("__"):
            detailed[key] = {"kind": "update-replace", "inputDiff": False}
    return detailed


def _symbol(op: str) -> str:
    return {
        CREATE: "+ ",
        UPDATE: "~ ",
        DELETE: "- ",
        REPLACE: "+-",
        CREATE_REPLACEMENT: "++",
        DELETE_REPLACED: "--",
    }.get(op, "  ")


def _past(op: str) -> str:
    return {
        CREATE: "created",
        UPDATE: "updated",
        DELETE: "deleted",
        REPLACE: "replaced",
        CREATE_REPLACEMENT: "created replacement",
        DELETE_REPLACED: "deleted original",
    }.get(op, op)


def _since(started: float) -> str:
    return f"{time.monotonic() - started:.2f}s"
