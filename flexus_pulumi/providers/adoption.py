"""Who may manage an existing instance: the rules of ``adopt_instance_id`` and of moving an
instance from one stack to another.

What the cloud tells: an instance bought through this package carries, for good, the tags
``flexus-pulumi = {resource key}.{purchase}`` and ``flexus-pulumi-stack = project/stack``
(no Flexus L API changes tags after purchase). So:

- an instance bought by *this* resource (same key) is adopted as before;
- one another Pulumi stack bought — or another resource of this stack — is refused, with
  its owner named, unless ``adopt_from_stack`` names that stack: the explicit hand-over,
  after the owner released it (``retain_on_delete=True``, ``pulumi up``, then removed from
  its program and ``pulumi up`` again);
- one bought outside Pulumi (no tag) carries no owner: it is adopted; the cloud cannot say
  whether another stack adopted it too.

What the cloud cannot tell, the program and the orphan report can: two resources of one
program adopting the same instance are refused at registration (:func:`claim`), and
``flexus-pulumi orphans a.json b.json`` names an instance that two states hold.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi

from flexus_pulumi.cloud import ConfigResource
from flexus_pulumi.engine.identity import KEY_PROP, PURCHASE_TAG, STACK_PROP, STACK_TAG, key_of

ADOPT_PROP = "adopt_instance_id"
FROM_PROP = "adopt_from_stack"

#: Instance id -> the resource adopting it, per program run (keyed by the run's root stack
#: resource, so nothing survives the run).
_claims: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()


@dataclass
class Verdict:
    """Whether a resource may adopt an instance: the problems (refused when any) and what
    to tell the user."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def owner_of(instance: ConfigResource) -> str | None:
    """The stack that bought ``instance`` (``project/stack``), from its tags; None when
    bought outside Pulumi (or by a version that did not tag the stack)."""
    return instance.tags.get(STACK_TAG) or None


def judge(instance: ConfigResource, props: Mapping[str, Any]) -> Verdict:
    """Whether the resource whose checked inputs are ``props`` may manage ``instance``
    (see the module docs for the rules)."""
    verdict = Verdict()
    tag = instance.tags.get(PURCHASE_TAG)
    stated = props.get(FROM_PROP)
    here = str(props.get(STACK_PROP) or "")
    owner = owner_of(instance)
    if not tag:
        if stated:
            verdict.notes.append(
                f"it carries no flexus-pulumi tag (bought outside Pulumi): adopt_from_stack "
                f"{stated!r} cannot be verified"
            )
        return verdict
    if key_of(tag) == props.get(KEY_PROP):
        return verdict  # this very resource bought it
    if owner and owner == here:
        who = f"another resource of this stack ({owner})"
    elif owner:
        who = f"stack {owner} (for another resource)"
    else:
        who = "another resource of a Pulumi stack"
    if stated is None:
        release = (
            "if it released the instance (retain_on_delete=True and `pulumi up`, then removed "
            "from its program and `pulumi up` again), set adopt_from_stack="
            f"{(owner or 'project/stack')!r} to take it over here"
        )
        if owner and owner == here:
            release += " (within one stack, rename with aliases=... instead)"
        verdict.problems.append(
            f"{who} bought it and may still manage it; {release} — see Moving instances in "
            "the README"
        )
    elif owner and stated != owner:
        verdict.problems.append(
            f"adopt_from_stack says {stated!r}, but {who} bought it (its {STACK_TAG} tag "
            f"reads {owner!r})"
        )
    else:
        verdict.notes.append(
            f"taking it over from {who} (adopt_from_stack): that stack must no longer hold it "
            "in its state"
        )
    return verdict


def claim(resource_name: str, instance_id: Any) -> None:
    """Record that ``resource_name`` adopts ``instance_id`` in the running program; raise
    :class:`ValueError` naming both resources when another one already does. Ids not known
    yet (outputs) are not checked."""
    if not isinstance(instance_id, str):
        return
    root = pulumi.runtime.get_root_resource()
    if root is None:
        return
    claims = _claims.setdefault(root, {})
    other = claims.get(instance_id)
    if other is not None and other != resource_name:
        raise ValueError(
            f"Instance {resource_name!r}: adopt_instance_id {instance_id} is already adopted "
            f"by Instance {other!r} of this program: one instance is managed by one resource"
        )
    claims[instance_id] = resource_name


__all__ = ["ADOPT_PROP", "FROM_PROP", "Verdict", "claim", "judge", "owner_of"]
