"""Deciding steps, as pkg/resource/deploy/step_generator.go decides them.

One registration at a time (the engine's step generator is a single loop, so ``Check`` and
``Diff`` never run concurrently): find the old state (by URN, then by alias), ``Check``
(olds = old inputs after ``ignore_changes``, none on a create), ``Diff`` (olds = old
outputs) unless a replacement trigger changed, ``replace_on_changes`` applied to the
changed keys and detailed diff the engine has, then same / update / replace. On a
replacement the engine calls ``Check`` a second time with no olds and the program's raw
inputs, and its answer becomes the replacement's inputs. A delete-before-replace deletes
the dependents that the change would replace first (``calculateDependentReplacements``).
After the program, :meth:`StepGenerator.generate_deletes` condemns what the program no
longer registers and the replaced resources.

A resource the program *reads* (``get`` / ``ResourceOptions(id=...)``) gets a ``read``
step (``GenerateReadSteps``): it is recorded as external, never deleted — a later run that
no longer reads it discards it from the state, and one that declares it as managed creates
it anew, as the engine does with an external resource (``wasExternal``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import graph
from .errors import CheckProblem, OperationFailure
from .plan import Diagnostic
from .properties import (
    COMPUTED,
    Props,
    annotate_secrets,
    contains_unknowns,
    deep_equals,
    diff_inputs,
    display,
    parse_path,
    path_contains,
    props_deep_equals,
    reset_path,
    unwrap,
)
from .provider_server import (
    PROVIDER_KEY,
    CheckFailureInfo,
    ProviderCallError,
    ProviderServer,
    ProviderServerError,
)
from .state import (
    DEFAULT_PROVIDER_NAME,
    PROVIDER_TYPE,
    STACK_TYPE,
    ResourceState,
    StackState,
    make_urn,
    urn_name,
    urn_qualified_type,
    urn_type,
)
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
    AliasSpec,
    Goal,
    PlannedStep,
    ReadGoal,
)

#: The ID of a provider created in a preview (deploy/providers ``UnknownID``).
UNKNOWN_PROVIDER_ID = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

DYNAMIC_PREFIX = "pulumi-python:dynamic"


class Bail(Exception):
    """Step generation stopped; the reason is already among the diagnostics."""


class Unsupported(Exception):
    """The program used something the driver does not provide (the message names it)."""


@dataclass
class DiffResult:
    """``plugin.DiffResult``: ``changes`` is ``"some"``, ``"none"`` or ``"unknown"``."""

    changes: str
    replace_keys: list[str] = field(default_factory=list)
    changed_keys: list[str] = field(default_factory=list)
    detailed: dict[str, str] | None = None
    delete_before_replace: bool = False

    @property
    def replace(self) -> bool:
        """``DiffResult.Replace``: a replace key or a replacing detailed-diff entry."""
        detailed = self.detailed or {}
        return bool(self.replace_keys) or any(k.endswith("-replace") for k in detailed.values())


@dataclass
class Sink:
    """Where the generator reports (the deployment's diagnostics and failures)."""

    diagnose: Callable[[Diagnostic], None]
    fail: Callable[[OperationFailure], None]
    #: Set when an error was reported that lets a preview go on (``sg.sawError``).
    saw_error: Callable[[], None]
    #: Each check failure, as a problem the driver's error lists.
    check_failed: Callable[[CheckProblem], None]


class StepGenerator:
    """The decisions of one deployment (preview or update) over one old state."""

    def __init__(
        self,
        *,
        state: StackState,
        preview: bool,
        server: Callable[[], ProviderServer],
        provider_inputs: Props,
        sink: Sink,
    ) -> None:
        self.state = state
        self.preview = preview
        self._server = server
        self._provider_inputs = provider_inputs
        self._sink = sink
        self.prev: list[ResourceState] = list(state.resources)
        self.olds: dict[str, ResourceState] = state.live()
        self.urns: set[str] = set()
        self.news: dict[str, ResourceState] = {}
        self.creates: set[str] = set()
        self.sames: set[str] = set()
        self.updates: set[str] = set()
        self.deletes: set[str] = set()
        self.replaces: set[str] = set()
        self.reads: set[str] = set()
        self.pending_deletes: set[int] = set()
        self.dependent_replace_keys: dict[str, list[str]] = {}
        self.aliased: dict[str, str] = {}  # old URN -> the new URN claiming it
        self.aliases: dict[str, str] = {}  # new URN -> the old URN it took over
        self._provider_ref = ""

    # -- helpers -------------------------------------------------------------------------

    @property
    def stack(self) -> str:
        """The stack name."""
        return self.state.stack

    @property
    def project(self) -> str:
        """The project name."""
        return self.state.project

    def _error(self, urn: str, message: str) -> None:
        self._sink.diagnose(Diagnostic(message, "error", urn))

    def _provider_failed(self, urn: str, op: str, exc: Exception) -> Bail:
        message = exc.message if isinstance(exc, ProviderCallError) else str(exc)
        details = exc.details if isinstance(exc, ProviderCallError) else ""
        self._sink.fail(OperationFailure(urn, op, message, details))
        return Bail(urn)

    def _checked(self, urn: str, goal: Goal, olds: Props, news: Props) -> Props:
        """``Check``; its failures reported as the engine reports them (against the
        program's inputs) and the run stopped there."""
        inputs, failures = self._check(urn, olds, news)
        if failures:
            self._issue_check_failures(urn, goal.type, goal.inputs, failures)
            raise Bail(urn)
        return inputs

    def _check(self, urn: str, olds: Props, news: Props) -> tuple[Props, list[CheckFailureInfo]]:
        try:
            outcome = self._server().check(
                olds,
                news,
                urn=urn,
                name=urn_name(urn),
                type_=urn_type(urn),
                preview=self.preview,
            )
        except (ProviderCallError, ProviderServerError) as exc:
            raise self._provider_failed(urn, "check", exc) from None
        inputs = dict(outcome.inputs)
        annotate_secrets(inputs, news)
        return inputs, list(outcome.failures)

    def _issue_check_failures(
        self, urn: str, type_: str, shown: Props, failures: list[CheckFailureInfo]
    ) -> None:
        """``issueCheckFailures``: one error per failure, naming the property's value."""
        for failure in failures:
            name = urn_name(urn)
            self._sink.check_failed(
                CheckProblem(urn, type_, name, failure.property, failure.reason)
            )
            if failure.property:
                value = display(shown[failure.property]) if failure.property in shown else None
                text = "<nil>" if value is None else value
                self._error(
                    urn,
                    f"{type_} resource '{name}': property {failure.property} value "
                    f"{{{text}}} has a problem: {failure.reason}",
                )
            else:
                self._error(urn, f"{type_} resource '{name}' has a problem: {failure.reason}")

    # -- old state and aliases -----------------------------------------------------------

    def _alias_urn(self, goal: Goal, alias: AliasSpec) -> str:
        """``collapseAliasToUrn``."""
        if alias.urn:
            return alias.urn
        name = alias.name or goal.name
        type_ = alias.type or goal.type
        parent = alias.parent or goal.parent
        if alias.parent and alias.parent in self.aliases:
            parent = self.aliases[alias.parent]
        if alias.no_parent or (parent and urn_qualified_type(parent) == STACK_TYPE):
            parent = ""
        return make_urn(
            alias.stack or self.stack, alias.project or self.project, parent, type_, name
        )

    def _generate_aliases(self, goal: Goal) -> list[str]:
        """``generateAliases``: the goal's own aliases, then those inherited from its parent."""
        found: list[str] = []
        for alias in goal.aliases:
            found.append(self._alias_urn(goal, alias))
        parent_alias = self.aliases.get(goal.parent) if goal.parent else None
        if parent_alias:
            parent_name = urn_name(goal.parent)

            def inherited(type_: str, name: str) -> str:
                alias_name = name
                if name.startswith(parent_name):
                    alias_name = urn_name(parent_alias) + name[len(parent_name) :]
                return make_urn(self.stack, self.project, parent_alias, type_, alias_name)

            found.append(inherited(goal.type, goal.name))
            for alias in goal.aliases:
                child = self._alias_urn(goal, alias)
                found.append(inherited(urn_type(child), urn_name(child)))
        return list(dict.fromkeys(found))

    def _old_resource(self, urn: str, goal: Goal) -> tuple[ResourceState | None, str]:
        """``getOldResource``: by URN first, then by alias (the alias taken is recorded)."""
        if urn in self.aliased:
            raise self._bail(
                urn,
                f"Duplicate resource alias '{urn}' applied to resource with URN "
                f"'{self.aliased[urn]}' conflicting with resource with URN '{urn}'",
            )
        for candidate in [urn, *self._generate_aliases(goal)]:
            old = self.olds.get(candidate)
            if old is None:
                continue
            if candidate != urn:
                if candidate in self.urns or candidate in self.aliased:
                    raise self._bail(
                        urn,
                        f"Duplicate resource alias '{candidate}' applied to resource with URN "
                        f"'{urn}' conflicting with resource with URN "
                        f"'{self.aliased.get(candidate, candidate)}'",
                    )
                self.aliased[candidate] = urn
                self.aliases[urn] = candidate
                return old, candidate
            return old, ""
        return None, ""

    def _bail(self, urn: str, message: str) -> Bail:
        self._error(urn, message)
        return Bail(urn)

    # -- the default provider ------------------------------------------------------------

    def default_provider(self) -> tuple[str, list[PlannedStep]]:
        """The reference of the default ``pulumi-python`` provider, registering it (its
        step) the first time a dynamic resource asks for it."""
        if self._provider_ref:
            return self._provider_ref, []
        urn = make_urn(self.stack, self.project, "", PROVIDER_TYPE, DEFAULT_PROVIDER_NAME)
        self.urns.add(urn)
        new = ResourceState(
            urn=urn, type=PROVIDER_TYPE, custom=True, inputs=copy.deepcopy(self._provider_inputs)
        )
        old = self.olds.get(urn)
        if old is None:
            self.creates.add(urn)
            step = PlannedStep(CREATE, urn, new=new)
            new_id = UNKNOWN_PROVIDER_ID if self.preview else _new_provider_id()
        else:
            new_id = old.id
            if props_deep_equals(old.inputs, new.inputs):
                self.sames.add(urn)
                step = PlannedStep(SAME, urn, old=old, new=new)
            else:
                self.updates.add(urn)
                changed = diff_inputs(old.inputs, new.inputs)
                step = PlannedStep(
                    UPDATE,
                    urn,
                    old=old,
                    new=new,
                    diffs=changed.changed_keys,
                    detailed=changed.detailed,
                )
        step.new_id = new_id
        self.news[urn] = new
        self._provider_ref = f"{urn}::{new_id}"
        return self._provider_ref, [step]

    # -- registrations -------------------------------------------------------------------

    def generate(self, goal: Goal) -> list[PlannedStep]:
        """The steps for one registration (the last one completes it)."""
        urn = make_urn(self.stack, self.project, goal.parent, goal.type, goal.name)
        if urn in self.urns:
            raise self._bail(urn, f"Duplicate resource URN '{urn}'; try giving it a unique name")
        self.urns.add(urn)
        steps: list[PlannedStep] = []
        provider = ""
        if goal.custom:
            if not goal.type.startswith(DYNAMIC_PREFIX):
                raise Unsupported(
                    f"{goal.type} ({goal.name}): only Python dynamic resources can be "
                    "deployed offline; use the pulumi CLI for other providers"
                )
            provider, steps = self.default_provider()
        old, alias = self._old_resource(urn, goal)
        new = ResourceState(
            urn=urn,
            type=goal.type,
            custom=goal.custom,
            inputs=copy.deepcopy(goal.inputs),
            parent=goal.parent,
            dependencies=list(goal.dependencies),
            property_dependencies={k: list(v) for k, v in goal.property_dependencies.items()},
            provider=provider,
            protect=goal.protect,
            retain_on_delete=goal.retain_on_delete,
            additional_secret_outputs=list(goal.additional_secret_outputs),
            aliases=[alias] if alias else [],
            deleted_with=goal.deleted_with,
            replace_with=list(goal.replace_with),
            replacement_trigger=goal.replacement_trigger,
            ignore_changes=list(goal.ignore_changes),
            replace_on_changes=list(goal.replace_on_changes),
        )
        self.news[urn] = new
        recreating = urn in self.deletes
        if old is not None and old.external and goal.custom:
            return steps + self._take_over_external(goal, urn, old, new)
        inputs = new.inputs
        if old is not None:
            inputs = self._process_ignore_changes(urn, new.inputs, old.inputs, goal.ignore_changes)
        if goal.custom:
            if recreating or old is None:
                inputs = self._checked(urn, goal, {}, goal.inputs)
            else:
                inputs = self._checked(urn, goal, old.inputs, inputs)
            new.inputs = inputs
        if recreating:
            assert old is not None
            self.deletes.discard(urn)
            self.replaces.add(urn)
            keys = self.dependent_replace_keys.get(urn, [])
            return [
                *steps,
                PlannedStep(REPLACE, urn, old=old, new=new),
                PlannedStep(
                    CREATE_REPLACEMENT,
                    urn,
                    old=old,
                    new=new,
                    keys=list(keys),
                    completes_registration=True,
                ),
            ]
        if old is not None:
            return steps + self._steps_from_diff(goal, urn, old, new, inputs)
        self.creates.add(urn)
        return [*steps, PlannedStep(CREATE, urn, new=new, completes_registration=True)]

    def _take_over_external(
        self, goal: Goal, urn: str, old: ResourceState, new: ResourceState
    ) -> list[PlannedStep]:
        """``wasExternal``: a resource read in an earlier run is now declared as managed.
        Pulumi does not own what it read, so it creates the resource anew (checked with no
        olds) and discards the read one from the state at the end."""
        new.inputs = self._checked(urn, goal, {}, goal.inputs)
        self.creates.add(urn)
        return [
            PlannedStep(
                CREATE_REPLACEMENT,
                urn,
                old=old,
                new=new,
                pending_delete=True,
                completes_registration=True,
            ),
            PlannedStep(REPLACE, urn, old=old, new=new, pending_delete=True),
        ]

    def generate_read(self, goal: ReadGoal) -> list[PlannedStep]:
        """``GenerateReadSteps``: the steps for one read (the last one completes it)."""
        urn = make_urn(self.stack, self.project, goal.parent, goal.type, goal.name)
        if urn in self.urns:
            raise self._bail(urn, f"Duplicate resource URN '{urn}'; try giving it a unique name")
        self.urns.add(urn)
        if not goal.type.startswith(DYNAMIC_PREFIX):
            raise Unsupported(
                f"{goal.type} ({goal.name}): only Python dynamic resources can be read "
                "offline; use the pulumi CLI for other providers"
            )
        provider, steps = self.default_provider()
        if not goal.id:
            raise self._bail(urn, f"Expected an ID for {urn}")
        old = self.olds.get(urn)
        if old is not None and not old.external and old.id != goal.id:
            raise Unsupported(
                f"{goal.type} ({goal.name}): reading id {goal.id} under the name of a resource "
                f"this stack manages (id {old.id}) is not supported offline: the engine would "
                "read it and delete the managed one (a read-replacement)"
            )
        new = ResourceState(
            urn=urn,
            type=goal.type,
            custom=True,
            id=goal.id,
            inputs=copy.deepcopy(goal.inputs),
            parent=goal.parent,
            dependencies=list(goal.dependencies),
            provider=provider,
            additional_secret_outputs=list(goal.additional_secret_outputs),
            external=True,
        )
        self.reads.add(urn)
        self.news[urn] = new
        return [*steps, PlannedStep(READ, urn, old=old, new=new, completes_registration=True)]

    def _process_ignore_changes(
        self, urn: str, inputs: Props, old_inputs: Props, ignore_changes: list[str]
    ) -> Props:
        ignored, invalid = process_ignore_changes(inputs, old_inputs, ignore_changes)
        if invalid:
            self._sink.diagnose(_invalid_ignore_changes(urn, invalid))
        return ignored

    def _steps_from_diff(
        self, goal: Goal, urn: str, old: ResourceState, new: ResourceState, inputs: Props
    ) -> list[PlannedStep]:
        if not self.preview and contains_unknowns(new.replacement_trigger):
            self._sink.saw_error()
            raise self._bail(urn, f"replacement trigger contains unknowns for {urn}")
        trigger = _should_trigger_replace(new.replacement_trigger, old.replacement_trigger)
        diff = DiffResult("some") if trigger else self._diff(goal, urn, old, new, inputs)
        diff = _apply_replace_on_changes(diff, goal.replace_on_changes)
        if diff.changes == "some" or old.pending_replacement:
            if diff.replace or trigger or old.pending_replacement:
                return self._replace(goal, urn, old, new, diff)
            self.updates.add(urn)
            return [
                PlannedStep(
                    UPDATE,
                    urn,
                    old=old,
                    new=new,
                    diffs=list(diff.changed_keys),
                    detailed=diff.detailed,
                    completes_registration=True,
                )
            ]
        self.sames.add(urn)
        return [PlannedStep(SAME, urn, old=old, new=new, completes_registration=True)]

    def _diff(
        self, goal: Goal, urn: str, old: ResourceState, new: ResourceState, inputs: Props
    ) -> DiffResult:
        """``stepGenerator.diff`` and ``diffResource``."""
        if new.replace_with and any(u in self.replaces for u in new.replace_with):
            return DiffResult("some", replace_keys=["replaceWith"])
        if new.deleted_with and new.deleted_with in self.replaces:
            return DiffResult("some", replace_keys=["deletedWith"])
        if not goal.custom:
            return DiffResult("none" if props_deep_equals(old.inputs, inputs) else "some")
        return self._diff_resource(
            urn, old.id, old.inputs, old.outputs, inputs, goal.ignore_changes, self.preview
        )

    def _diff_resource(
        self,
        urn: str,
        id_: str,
        old_inputs: Props,
        old_outputs: Props,
        new_inputs: Props,
        ignore_changes: list[str],
        allow_unknowns: bool,
    ) -> DiffResult:
        try:
            return diff_resource(
                self._server(),
                urn,
                id_,
                old_inputs,
                old_outputs,
                new_inputs,
                ignore_changes,
                allow_unknowns,
                self._sink.diagnose,
            )
        except (ProviderCallError, ProviderServerError) as exc:
            raise self._provider_failed(urn, "diff", exc) from None

    def _replace(
        self, goal: Goal, urn: str, old: ResourceState, new: ResourceState, diff: DiffResult
    ) -> list[PlannedStep]:
        if new.protect and old.protect:
            self._error(
                urn,
                f'unable to replace resource "{urn}"\nas it is currently marked for protection. '
                "To unprotect the resource, remove the `protect` flag from the resource in your "
                "Pulumi program and run `pulumi up`",
            )
            self._sink.saw_error()
            if not self.preview:
                raise Bail(urn)
        self.replaces.add(urn)
        # "If we are going to perform a replacement, we need to recompute the default values."
        if goal.custom:
            new.inputs = self._checked(urn, goal, {}, goal.inputs)
        dbr = diff.delete_before_replace
        if goal.delete_before_replace is not None:
            dbr = goal.delete_before_replace
        if not dbr:
            create, replace = _replacement_pair(urn, old, new, diff, pending_delete=True)
            return [create, replace]
        steps: list[PlannedStep] = []
        to_replace = self._dependent_replacements(old) + self._cascade_replacements(urn)
        for dependent, dep_keys in reversed(to_replace):
            if id(dependent) in self.pending_deletes:
                continue
            self.dependent_replace_keys[dependent.urn] = dep_keys
            if dependent.delete:
                steps.append(PlannedStep(DELETE, dependent.urn, old=dependent))
            else:
                if dependent.protect:
                    raise self._bail(
                        urn,
                        f'unable to replace resource "{dependent.urn}" as part of replacing '
                        f'"{urn}" as it is currently marked for protection. To unprotect the '
                        "resource, remove the `protect` flag from the resource in your Pulumi "
                        "program and run `pulumi up`",
                    )
                steps.append(
                    PlannedStep(
                        DELETE_REPLACED, dependent.urn, old=dependent, pending_replacement=True
                    )
                )
            self.deletes.add(dependent.urn)
            self.pending_deletes.add(id(dependent))
        if not old.pending_replacement:
            self.deletes.add(old.urn)
            steps.append(PlannedStep(DELETE_REPLACED, urn, old=old, pending_replacement=True))
        create, replace = _replacement_pair(urn, old, new, diff, pending_delete=False)
        return [*steps, replace, create]

    def _dependent_replacements(self, root: ResourceState) -> list[tuple[ResourceState, list[str]]]:
        """``calculateDependentReplacements``: the dependents whose provider ``Diff`` says a
        change of what they take from a replaced resource replaces them."""
        replace_set = {root.urn}
        impossible = self.creates | self.sames | self.updates | self.deletes | self.replaces
        found: list[tuple[ResourceState, list[str]]] = []
        for dependent in graph.depending_on(self.prev, root, impossible):
            replace, keys = self._requires_replacement(dependent, replace_set)
            if replace:
                found.append((dependent, keys))
                replace_set.add(dependent.urn)
        return found

    def _requires_replacement(
        self, res: ResourceState, replace_set: set[str]
    ) -> tuple[bool, list[str]]:
        if not res.custom:
            return False, []
        if res.deleted_with and res.deleted_with in replace_set:
            return True, []
        has_dependency = False
        inputs_for_diff: Props = {}
        for key, value in res.inputs.items():
            if any(u in replace_set for u in res.property_dependencies.get(key, [])):
                has_dependency = True
                value = COMPUTED
            inputs_for_diff[key] = value
        if not has_dependency:
            return False, []
        diff = self._diff_resource(
            res.urn, res.id, res.inputs, res.outputs, inputs_for_diff, res.ignore_changes, True
        )
        diff = _apply_replace_on_changes(diff, res.replace_on_changes)
        return diff.replace, list(diff.replace_keys)

    def _cascade_replacements(self, urn: str) -> list[tuple[ResourceState, list[str]]]:
        """``findDependentCascadeReplacements``: resources replaced or deleted with ``urn``."""
        found: list[tuple[ResourceState, list[str]]] = []
        seen: set[str] = set()
        for candidate_urn, state in [*self.news.items(), *self.olds.items()]:
            if candidate_urn in seen:
                continue
            if urn in state.replace_with or state.deleted_with == urn:
                found.append((state, []))
                seen.add(candidate_urn)
        return found

    # -- after the program ---------------------------------------------------------------

    def operated_on(self, urn: str) -> bool:
        """``isOperatedOn``: the resource got a step in this deployment."""
        return (
            any(
                urn in group
                for group in (
                    self.creates,
                    self.sames,
                    self.updates,
                    self.deletes,
                    self.replaces,
                    self.reads,
                )
            )
            or urn in self.aliased
        )

    def generate_deletes(self) -> list[PlannedStep]:
        """``GenerateDeletes``: replaced resources, and those the program did not register."""
        steps: list[PlannedStep] = []
        for res in self.prev:
            if res.delete:
                if id(res) in self.pending_deletes:
                    continue
                self.deletes.add(res.urn)
                op = DISCARD_REPLACED if res.external else DELETE_REPLACED
                steps.append(PlannedStep(op, res.urn, old=res))
            elif not self.operated_on(res.urn):
                self.deletes.add(res.urn)
                if res.external:
                    op = READ_DISCARD
                else:
                    op = REMOVE_PENDING_REPLACE if res.pending_replacement else DELETE
                steps.append(PlannedStep(op, res.urn, old=res))
        return steps


def _replacement_pair(
    urn: str, old: ResourceState, new: ResourceState, diff: DiffResult, *, pending_delete: bool
) -> tuple[PlannedStep, PlannedStep]:
    """The create-replacement (which completes the registration) and replace steps."""
    details: dict[str, Any] = {
        "keys": list(diff.replace_keys),
        "diffs": list(diff.changed_keys),
        "detailed": diff.detailed,
    }
    create = PlannedStep(
        CREATE_REPLACEMENT,
        urn,
        old=old,
        new=new,
        pending_delete=pending_delete,
        completes_registration=True,
        **details,
    )
    return create, PlannedStep(REPLACE, urn, old=old, new=new, **details)


def process_ignore_changes(
    inputs: Props, old_inputs: Props, ignore_changes: list[str]
) -> tuple[Props, list[str]]:
    """``processIgnoreChanges``: ``inputs`` with each ignored path reset to its old value,
    and the paths that ran into added or removed elements."""
    if not ignore_changes:
        return inputs, []
    ignored = copy.deepcopy(inputs)
    invalid: list[str] = []
    for text in ignore_changes:
        try:
            path = parse_path(text)
        except ValueError:
            continue
        if not reset_path(path, old_inputs, ignored):
            invalid.append(text)
    return ignored, invalid


def _invalid_ignore_changes(urn: str, invalid: list[str]) -> Diagnostic:
    return Diagnostic(
        f'cannot ignore changes in added or removed elements of the path: "{", ".join(invalid)}"',
        "info",
        urn,
    )


def diff_resource(
    server: ProviderServer,
    urn: str,
    id_: str,
    old_inputs: Props,
    old_outputs: Props,
    new_inputs: Props,
    ignore_changes: list[str],
    allow_unknowns: bool,
    diagnose: Callable[[Diagnostic], None],
) -> DiffResult:
    """``diffResource``: the provider's Diff (olds = old outputs); on ``DIFF_UNKNOWN`` the
    engine's own diff of the old inputs and the new ones (after ``ignore_changes``)."""
    outcome = server.diff(
        id_,
        old_outputs,
        new_inputs,
        old_inputs=old_inputs,
        urn=urn,
        name=urn_name(urn),
        type_=urn_type(urn),
        preview=allow_unknowns,
        ignore_changes=ignore_changes,
    )
    result = DiffResult(
        "unknown" if outcome.changes is None else ("some" if outcome.changes else "none"),
        replace_keys=list(outcome.replaces),
        delete_before_replace=outcome.delete_before_replace,
    )
    if result.changes == "unknown":
        processed, invalid = process_ignore_changes(new_inputs, old_inputs, ignore_changes)
        if invalid:
            diagnose(_invalid_ignore_changes(urn, invalid))
        changes = diff_inputs(old_inputs, processed)
        if changes.any_changes:
            result.changes = "some"
            result.changed_keys = changes.changed_keys
            result.detailed = dict(changes.detailed)
        else:
            result.changes = "none"
    return result


def _new_provider_id() -> str:
    import uuid

    return str(uuid.uuid4())


def _should_trigger_replace(new: Any, old: Any) -> bool:
    """``shouldTriggerReplace``: unknowns always trigger; a missing trigger never does."""
    if contains_unknowns(new) or contains_unknowns(old):
        return True
    if new is None or old is None:
        return False
    return not deep_equals(unwrap(new), unwrap(old))


def _apply_replace_on_changes(diff: DiffResult, replace_on_changes: list[str]) -> DiffResult:
    """``applyReplaceOnChanges``: changed keys and detailed-diff paths under a
    ``replace_on_changes`` path become replacements. A provider that answers DIFF_SOME
    without changed keys or a detailed diff (every Python dynamic provider) gives it
    nothing to act on."""
    if diff.changes != "some" or not replace_on_changes:
        return diff
    paths = [parse_path(p) for p in replace_on_changes]
    detailed = None
    if diff.detailed is not None:
        detailed = {}
        for key, kind in diff.detailed.items():
            try:
                key_path = parse_path(key)
            except ValueError:
                key_path = [key]
            if any(path_contains(p, key_path) for p in paths) and not kind.endswith("-replace"):
                kind += "-replace"
            detailed[key] = kind
    replace_keys = list(diff.replace_keys)
    for key in diff.changed_keys:
        try:
            key_path = parse_path(key)
        except ValueError:
            continue
        if any(path_contains(p, key_path) for p in paths) and key not in replace_keys:
            replace_keys.append(key)
    return DiffResult(
        diff.changes, replace_keys, list(diff.changed_keys), detailed, diff.delete_before_replace
    )


__all__ = [
    "DELETE",
    "PROVIDER_KEY",
    "SAME",
    "Bail",
    "DiffResult",
    "Sink",
    "StepGenerator",
    "Unsupported",
]
