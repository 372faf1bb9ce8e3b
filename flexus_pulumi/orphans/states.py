"""What a stack's state holds: read from a ``pulumi stack export`` file or from the offline
driver's state file, without decrypting anything (instance ids and ownership keys are not
secrets).

A stack *holds* an instance when one of its ``Instance`` resources has it as its id (or
adopts it), or one of its ``InstanceGroup`` resources lists it among its members —
including replaced resources still waiting for deletion. A resource only read
(``Instance.get``, external) holds nothing: the stack does not manage it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flexus_pulumi.engine.identity import KEY_PROP, PURCHASE_PROP, STACK_PROP

INSTANCE_TYPE_SUFFIX = "flexus:Instance"
GROUP_TYPE_SUFFIX = "flexus:InstanceGroup"


class StateError(ValueError):
    """A state file cannot be read (the message names the file and why)."""


@dataclass(frozen=True)
class Holder:
    """One resource of a stack's state that holds instances (or was being created)."""

    stack: str
    urn: str
    key: str | None = None
    purchase: str | None = None
    #: The power state its inputs ask for (``running`` / ``stopped``), when they say.
    power_state: str | None = None

    @property
    def name(self) -> str:
        """The resource's name (the end of its URN)."""
        return self.urn.split("::")[-1]


@dataclass
class StackHoldings:
    """What one stack state holds: ``held`` maps each instance id to the resources holding
    it; ``resources`` are its purchase-backed resources by resource key; ``pending`` the
    resources whose create was interrupted (``pulumi stack export``'s pending
    operations), by key."""

    stack: str
    source: str
    held: dict[str, list[Holder]] = field(default_factory=dict)
    resources: dict[str, Holder] = field(default_factory=dict)
    pending: dict[str, Holder] = field(default_factory=dict)

    def hold(self, instance_id: str, holder: Holder) -> None:
        """Record that ``holder`` holds ``instance_id`` (once per resource)."""
        holders = self.held.setdefault(instance_id, [])
        if holder.urn not in {h.urn for h in holders}:
            holders.append(holder)


def load_state(
    path: str | Path, text: str | None = None, *, stack: str | None = None
) -> StackHoldings:
    """The holdings of a state file (``text`` when already read, e.g. from standard input).
    ``stack`` (``project/stack``) is needed only when the state names none (no resources)."""
    source = str(path)
    try:
        data = json.loads(text if text is not None else Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise StateError(f"{source}: cannot read it: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise StateError(f"{source}: not JSON: {exc}") from None
    if not isinstance(data, Mapping):
        raise StateError(f"{source}: not a stack state (a JSON object is expected)")
    if isinstance(data.get("deployment"), Mapping):  # `pulumi stack export`
        deployment = data["deployment"]
        resources = deployment.get("resources") or []
        pending = deployment.get("pending_operations") or []
        named = None
    elif "resources" in data and "stack" in data and "project" in data:  # the offline driver
        resources = data.get("resources") or []
        pending = []
        named = f"{data['project']}/{data['stack']}"
    else:
        raise StateError(
            f"{source}: neither `pulumi stack export` output nor an offline driver state file"
        )
    name = stack or named or _stack_of(resources)
    if not name:
        raise StateError(
            f"{source}: the state holds no resources to tell its stack: give --stack PROJECT/STACK"
        )
    holdings = StackHoldings(name, source)
    for res in resources:
        if isinstance(res, Mapping):
            _read_resource(holdings, res)
    for operation in pending:
        res = operation.get("resource") if isinstance(operation, Mapping) else None
        if isinstance(res, Mapping) and operation.get("type") == "creating":
            holder = _holder(name, res)
            if holder.key:
                holdings.pending[holder.key] = holder
    return holdings


def _stack_of(resources: Iterable[Any]) -> str | None:
    """``project/stack`` from the resources: a flexus resource's ``__stack`` input, else the
    first URN (``urn:pulumi:STACK::PROJECT::…``)."""
    urn = None
    for res in resources:
        if not isinstance(res, Mapping):
            continue
        inputs = res.get("inputs") or {}
        if isinstance(inputs.get(STACK_PROP), str):
            return str(inputs[STACK_PROP])
        urn = urn or res.get("urn")
    if isinstance(urn, str) and urn.startswith("urn:pulumi:"):
        parts = urn[len("urn:pulumi:") :].split("::")
        if len(parts) >= 2:
            return f"{parts[1]}/{parts[0]}"
    return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _holder(stack: str, res: Mapping[str, Any]) -> Holder:
    inputs = res.get("inputs") or {}
    outputs = res.get("outputs") or {}
    key = _text(inputs.get(KEY_PROP)) or _text(outputs.get(KEY_PROP))
    purchase = _text(inputs.get(PURCHASE_PROP)) or _text(outputs.get(PURCHASE_PROP))
    power = _text(inputs.get("power_state"))
    return Holder(stack, str(res.get("urn") or ""), key, purchase, power)


def _read_resource(holdings: StackHoldings, res: Mapping[str, Any]) -> None:
    kind = str(res.get("type") or "")
    if res.get("external") or not kind.endswith((INSTANCE_TYPE_SUFFIX, GROUP_TYPE_SUFFIX)):
        return
    holder = _holder(holdings.stack, res)
    if holder.key:
        holdings.resources.setdefault(holder.key, holder)
    inputs = res.get("inputs") or {}
    outputs = res.get("outputs") or {}
    ids: list[Any] = []
    if kind.endswith(INSTANCE_TYPE_SUFFIX):
        ids += [res.get("id"), outputs.get("instance_id"), inputs.get("adopt_instance_id")]
    else:
        ids += list(outputs.get("instance_ids") or [])
        ids += [
            m.get("instance_id") for m in outputs.get("instances") or [] if isinstance(m, Mapping)
        ]
    for instance_id in ids:
        if _text(instance_id):
            holdings.hold(str(instance_id), holder)


__all__ = ["Holder", "StackHoldings", "StateError", "load_state"]
