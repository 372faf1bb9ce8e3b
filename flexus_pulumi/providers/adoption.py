"""Never buy twice: the keys that let a retried create find what an earlier attempt bought.

Pulumi records nothing when a create fails, even if the order went through, and the URN
is never passed to a provider. So each resource carries ``__adoption_key`` — a hash of its
project, stack, type and name, computed by the program — and ``__generation``, bumped by
``check`` whenever a change forces a new purchase. Every instance a resource buys is
tagged ``flexus-pulumi = {key}.{generation}`` and the order is placed with a
``Client-Request-Id`` derived from the same pair, so a retried create:

1. finds instances carrying its tag in Config and adopts them, or
2. repeats the purchase with the same ``Client-Request-Id``, which the cloud answers with
   the first purchase's order instead of buying again.

An instance with another resource's tag, or none, is never adopted.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from flexus_pulumi.cloud import ConfigResource

#: Tag key marking what a resource bought. Reserved: users cannot set it.
ADOPTION_TAG = "flexus-pulumi"
KEY_PROP = "__adoption_key"
GENERATION_PROP = "__generation"
_NAMESPACE = uuid.UUID("5f0c3b1e-6a55-4f3c-9a57-0d8c1c2a7e41")


def resource_key(project: str, stack: str, type_token: str, name: str, parent: str = "") -> str:
    """A stable 20-hex-digit key for one resource of one stack."""
    text = "\x00".join((project, stack, type_token, parent, name))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def tag_value(key: str, generation: int) -> str:
    """The adoption tag's value for ``key`` at ``generation``."""
    return f"{key}.{generation}"


def client_request_id(key: str, generation: int, purpose: str) -> str:
    """A deterministic ``Client-Request-Id`` (a UUID) for one logical purchase."""
    return str(uuid.uuid5(_NAMESPACE, f"{key}.{generation}.{purpose}"))


def generation(olds: Mapping[str, Any], forced_replacement: bool) -> int:
    """The generation for new inputs: the old one, plus one when a replacement is forced."""
    old = olds.get(GENERATION_PROP)
    number = int(old) if isinstance(old, (int, float)) else 0
    return number + 1 if forced_replacement and KEY_PROP in olds else number


def tagged(instances: Iterable[ConfigResource], tag: str) -> list[ConfigResource]:
    """The live instances carrying adoption tag ``tag``, oldest first."""
    found = [i for i in instances if i.tags.get(ADOPTION_TAG) == tag and not i.deleted]
    return sorted(found, key=lambda i: (i.created or "", i.name, i.id))
