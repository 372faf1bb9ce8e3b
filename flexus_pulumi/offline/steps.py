"""What the step generator hands the step executor: goals in, steps out (pkg/resource/deploy
``Goal``, ``Step`` and its kinds in step.go)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .properties import Props
from .state import ResourceState

SAME = "same"
CREATE = "create"
UPDATE = "update"
DELETE = "delete"
REPLACE = "replace"
CREATE_REPLACEMENT = "create-replacement"
DELETE_REPLACED = "delete-replaced"
REMOVE_PENDING_REPLACE = "remove-pending-replace"
READ = "read"
READ_DISCARD = "discard"
DISCARD_REPLACED = "discard-replaced"
REFRESH = "refresh"

#: Steps that are parts of a replacement (deploy.IsReplacementStep).
REPLACEMENT_STEPS = frozenset(
    {REPLACE, CREATE_REPLACEMENT, DELETE_REPLACED, REMOVE_PENDING_REPLACE, DISCARD_REPLACED}
)


@dataclass(frozen=True)
class AliasSpec:
    """One alias of a registration: a whole URN, or the parts that differ from the resource's."""

    urn: str = ""
    name: str = ""
    type: str = ""
    parent: str = ""
    no_parent: bool = False
    project: str = ""
    stack: str = ""


@dataclass
class Goal:
    """A resource as the program registered it (the engine's ``resource.Goal``)."""

    type: str
    name: str
    custom: bool
    parent: str = ""
    inputs: Props = field(default_factory=dict)
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    protect: bool = False
    retain_on_delete: bool = False
    delete_before_replace: bool | None = None
    ignore_changes: list[str] = field(default_factory=list)
    replace_on_changes: list[str] = field(default_factory=list)
    additional_secret_outputs: list[str] = field(default_factory=list)
    aliases: list[AliasSpec] = field(default_factory=list)
    deleted_with: str = ""
    replace_with: list[str] = field(default_factory=list)
    replacement_trigger: Any = None


@dataclass
class ReadGoal:
    """A resource the program reads rather than manages — ``get`` /
    ``ResourceOptions(id=...)`` (the engine's ``ReadResourceEvent``)."""

    type: str
    name: str
    id: str
    parent: str = ""
    inputs: Props = field(default_factory=dict)
    dependencies: list[str] = field(default_factory=list)
    additional_secret_outputs: list[str] = field(default_factory=list)


@dataclass
class PlannedStep:
    """One step decided by the generator; ``new`` is filled in as the executor applies it.

    ``keys`` are the properties forcing a replacement, ``diffs`` the changed ones and
    ``detailed`` the detailed diff (path -> kind), each as the provider or the engine
    produced them. ``pending_delete`` marks a create-replacement whose old resource is
    deleted after the program; ``pending_replacement`` a delete-replaced that runs before
    its replacement is created.
    """

    op: str
    urn: str
    old: ResourceState | None = None
    new: ResourceState | None = None
    keys: list[str] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    detailed: dict[str, str] | None = None
    pending_delete: bool = False
    pending_replacement: bool = False
    #: Whether the step is the registration's own result (what the program gets back).
    completes_registration: bool = False
    #: The id a provider resource gets (decided with the step: resources refer to it).
    new_id: str = ""

    @property
    def logical(self) -> bool:
        """``Step.Logical``: false for the parts of a replacement."""
        return self.op not in (
            CREATE_REPLACEMENT,
            DELETE_REPLACED,
            REMOVE_PENDING_REPLACE,
            DISCARD_REPLACED,
        )

    @property
    def provider(self) -> str:
        """``Step.Provider``: the provider reference of the resource stepped on."""
        replaced = self.op in (DELETE_REPLACED, DISCARD_REPLACED)
        state = self.new if self.new is not None and not replaced else self.old
        return state.provider if state is not None else ""
