"""What marks the instances a resource bought, so that a later run finds them.

Pulumi records nothing when a create fails, even if the order went through, and never
tells a provider the resource's URN. So the program computes each resource's key — a hash
of project, stack, type, parent and name (``__adoption_key``) — and check derives the
purchase digest from what is bought (:meth:`PurchaseSpec.digest`: spec, image, region,
extras, ``replace_trigger``). Every instance bought is tagged:

=======================  ===========================================================
``flexus-pulumi``        ``{key}.{digest}``: this purchase of this resource (an
                         earlier package version wrote ``{key}.{generation}``)
``flexus-pulumi-stack``  ``{project}/{stack}``: the stack that bought it
``flexus-pulumi-order``  one send of the purchase (see
                         :meth:`~flexus_pulumi.engine.ledger.Ledger.place`)
=======================  ===========================================================

An earlier attempt's instance is adopted only when it carries the same ``{key}.{digest}``
— the same resource asking for the same thing. Because the digest comes from the inputs
alone, the engine's olds-less second Check on a replacement gives the replacement a new
digest whenever what is bought changed. A replacement that changes nothing bought
(``pulumi up --replace``, ``replace_with``…) knows the purchase it replaces
(``__prior_purchase``: its digest, from the old inputs of the engine's first Check, see
:meth:`~flexus_pulumi.engine.ledger.Ledger.checked`) and buys under a tag of its own
(:func:`replacement_tag`) — the same for every retry of that replacement, never the
replaced one's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

#: Tag keys the package sets on what it buys. Users cannot set keys with this prefix.
PURCHASE_TAG = "flexus-pulumi"
STACK_TAG = "flexus-pulumi-stack"
SEND_TAG = "flexus-pulumi-order"

#: Hidden inputs (the CLI hides ``__`` keys from diffs).
KEY_PROP = "__adoption_key"
STACK_PROP = "__stack"
PURCHASE_PROP = "__purchase"
PRIOR_PROP = "__prior_purchase"
#: Written by earlier versions; read to find what they bought.
GENERATION_PROP = "__generation"
#: Output: the ``flexus-pulumi`` tag on the resource's instances.
TAG_OUTPUT = "purchase_tag"


def resource_key(project: str, stack: str, type_token: str, name: str, parent: str = "") -> str:
    """A stable 20-hex-digit key for one resource of one stack."""
    text = "\x00".join((project, stack, type_token, parent, name))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def purchase_tag(key: str, digest: str) -> str:
    """The ``flexus-pulumi`` tag value of a purchase."""
    return f"{key}.{digest}"


def replacement_tag(key: str, digest: str, live: Iterable[str]) -> str:
    """The tag of a replacement that buys the very same purchase as the one it replaces
    (``pulumi up --replace``, ``replace_with``…): ``{key}.{digest}.{n}``, ``n`` one more than
    the oldest of this purchase's tags among ``live`` (the tags of the instances the cloud
    lists now: ``{key}.{digest}`` counts as 0, as does an earlier version's random mark).
    The replaced instances carry the oldest one; an interrupted attempt of this very
    replacement carries the next — which a rerun finds again, never the replaced ones."""
    base = purchase_tag(key, digest)
    numbers = []
    for tag in live:
        if tag == base:
            numbers.append(0)
        elif tag.startswith(f"{base}."):
            suffix = tag[len(base) + 1 :]
            numbers.append(int(suffix) if suffix.isdigit() else 0)
    return f"{base}.{min(numbers, default=0) + 1}"


def replaced_tags(key: str, prior: str | None) -> tuple[str, ...]:
    """The tags of the purchase a replacement replaces (``prior``: its digest, or an
    earlier version's ``generation-N``), as prefixes: ``{key}.{prior}`` itself and every
    ``{key}.{prior}.…`` — its instances are the replaced resource's, not strays."""
    if not prior:
        return ()
    mark = f"{key}.{prior.removeprefix('generation-')}"
    return (mark, f"{mark}.")


def recorded_tag(outputs: Mapping[str, Any]) -> str | None:
    """The tag on the instances a resource's outputs describe: ``purchase_tag``, or the
    ``{key}.{generation}`` an earlier version used."""
    tag = outputs.get(TAG_OUTPUT)
    if isinstance(tag, str) and tag:
        return tag
    key = outputs.get(KEY_PROP)
    if not isinstance(key, str) or not key:
        return None
    generation = outputs.get(GENERATION_PROP)
    number = int(generation) if isinstance(generation, (int, float)) else 0
    return f"{key}.{number}"


def key_of(tag: str) -> str:
    """The resource key part of a ``flexus-pulumi`` tag value."""
    return tag.split(".", 1)[0]


def purchase_tags(tag: str, stack: str | None) -> list[tuple[str, str]]:
    """The tags that mark one purchase (see the module docs)."""
    tags = [(PURCHASE_TAG, tag)]
    if stack:
        tags.append((STACK_TAG, stack))
    return tags


__all__ = [
    "GENERATION_PROP",
    "KEY_PROP",
    "PRIOR_PROP",
    "PURCHASE_PROP",
    "PURCHASE_TAG",
    "SEND_TAG",
    "STACK_PROP",
    "STACK_TAG",
    "TAG_OUTPUT",
    "key_of",
    "purchase_tag",
    "purchase_tags",
    "recorded_tag",
    "replaced_tags",
    "replacement_tag",
    "resource_key",
]
