"""What ``Instance`` and ``InstanceGroup`` share: check (with the purchase identity), the
diff policy from the schema, the member set a call works on, and registration.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CheckFailure, CheckResult, DiffResult

from flexus_pulumi.common import is_unknown
from flexus_pulumi.engine.converge import Previous, wanted
from flexus_pulumi.engine.fingerprints import matches
from flexus_pulumi.engine.identity import (
    GENERATION_PROP,
    KEY_PROP,
    PRIOR_PROP,
    PURCHASE_PROP,
    STACK_PROP,
    TAG_OUTPUT,
    purchase_tag,
    recorded_tag,
    resource_key,
)
from flexus_pulumi.engine.member import Member
from flexus_pulumi.engine.member_set import MemberSet
from flexus_pulumi.schema.fields import Schema
from flexus_pulumi.schema.instance_rules import check_member
from flexus_pulumi.schema.specs import PurchaseSpec

from . import settings
from .program_config import review_program_config

SECRET_INPUTS = ("admin_password",)


def check_purchase_resource(
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    *,
    group: bool,
    outputs: Iterable[str],
) -> CheckResult:
    """``check`` of Instance / InstanceGroup: every rule at once, named by input; then the
    purchase identity: ``__purchase`` from what is bought, and ``__prior_purchase`` — the
    purchase a replacement replaces, read from the old inputs by the engine's first Check
    and handed by the process's ledger to its second, olds-less one (see
    :meth:`~flexus_pulumi.engine.ledger.Ledger.checked`)."""
    checked = check_member(
        news,
        group=group,
        default_region=settings.default_region(),
        ignore=(*outputs, TAG_OUTPUT),
    )
    inputs = checked.inputs
    inputs.pop(GENERATION_PROP, None)
    inputs.pop(PRIOR_PROP, None)
    failures = [CheckFailure(p.field, p.message) for p in checked.problems]
    key = inputs.get(KEY_PROP)
    if not isinstance(key, str) or not key:
        failures.append(
            CheckFailure(KEY_PROP, "is missing: register resources with flexus_pulumi's classes")
        )
        return CheckResult(inputs, failures)
    if checked.purchase is not None:
        inputs[PURCHASE_PROP] = checked.purchase.digest()
    prior = settings.ledger().checked(key, _prior_of(olds) if olds else None)
    if prior is not None:
        inputs[PRIOR_PROP] = prior
    return CheckResult(inputs, failures)


def _prior_of(olds: Mapping[str, Any]) -> str | None:
    """The purchase the old inputs describe: their digest, or an earlier version's
    generation (which never equals a digest)."""
    digest = olds.get(PURCHASE_PROP)
    if isinstance(digest, str) and digest:
        return digest
    if KEY_PROP in olds:
        generation = olds.get(GENERATION_PROP)
        return f"generation-{int(generation) if isinstance(generation, (int, float)) else 0}"
    return None


def create_members(
    props: Mapping[str, Any], quantity: int, *, numbered: bool, label: str
) -> tuple[MemberSet, list[Member]]:
    """A create's member set and its ``quantity`` members: what an interrupted attempt
    bought for this same purchase, then a purchase of the rest (see :func:`adopt_or_buy`).
    The set's tag is ``{key}.{digest}``, so that a retried create finds what an interrupted
    one bought — unless the create replaces the very same purchase (``pulumi up
    --replace``): then a tag of its own (see
    :meth:`~flexus_pulumi.engine.ledger.Ledger.replacement_tag`)."""
    key, digest = str(props[KEY_PROP]), str(props[PURCHASE_PROP])
    members = member_set(props, purchase_tag(key, digest), numbered=numbered, label=label)
    spec = PurchaseSpec.from_inputs(props)
    members.settle_earlier(spec)
    if props.get(PRIOR_PROP) == digest:
        members.tag = members.ledger.replacement_tag(
            members.client, key=key, digest=digest, region=members.region, stack=members.stack
        )
    return members, adopt_or_buy(members, props, quantity, settled=True)


def adopt_or_buy(
    members: MemberSet,
    props: Mapping[str, Any],
    quantity: int,
    *,
    have: Sequence[Member] = (),
    settled: bool = False,
) -> list[Member]:
    """``quantity`` more members for the resource whose checked inputs are ``props``:
    what an interrupted attempt bought for this same purchase, then a purchase of the
    rest. Instances the resource bought for something else (an interrupted attempt with
    other inputs) are never adopted, and nothing more is bought while they bill
    unmanaged: the error names each, with how to release it."""
    prior = props.get(PRIOR_PROP)
    return members.adopt_or_buy(
        PurchaseSpec.from_inputs(props),
        quantity,
        have=have,
        key=str(props.get(KEY_PROP) or ""),
        replaced=prior if isinstance(prior, str) and prior else None,
        settled=settled,
    )


def member_set(props: Mapping[str, Any], tag: str, *, numbered: bool, label: str) -> MemberSet:
    """The member set of a resource whose inputs or outputs are ``props``, on the
    process's client and ledger (which learns that no Check of it is pending any more)."""
    region = str(props.get("region") or settings.default_region() or "")
    stack = props.get(STACK_PROP)
    process = settings.process()
    key = props.get(KEY_PROP)
    if isinstance(key, str):
        process.ledger.done_with(key)
    return MemberSet(
        process.client(region or None),
        region=region,
        tag=tag,
        label=label,
        ledger=process.ledger,
        stack=str(stack) if stack else None,
        numbered=numbered,
    )


def recorded_set(olds: Mapping[str, Any], *, numbered: bool, label: str) -> MemberSet:
    """The member set the recorded outputs ``olds`` describe."""
    tag = recorded_tag(olds) or ""
    return member_set(olds, tag, numbered=numbered, label=label)


def previous_of(olds: Mapping[str, Any]) -> Previous:
    """What the last run recorded, from its outputs."""
    fingerprint = olds.get("admin_password_fingerprint")
    description = olds.get("server_description")
    hostname = olds.get("hostname")
    return Previous(
        fingerprint=fingerprint if isinstance(fingerprint, str) else None,
        hostname_pending=bool(olds.get("hostname_pending")),
        password_pending=bool(olds.get("password_pending")),
        hostname=hostname if isinstance(hostname, str) else None,
        server_description=description if isinstance(description, str) else None,
    )


def public_inputs(inputs: Mapping[str, Any], outputs: Iterable[str]) -> dict[str, Any]:
    """The inputs repeated in outputs (Pulumi hands diff the old *outputs*): no secrets,
    no computed keys, no ``__provider``, no replacement marker."""
    drop = {*SECRET_INPUTS, *outputs, "__provider", PRIOR_PROP}
    return {k: v for k, v in inputs.items() if k not in drop}


@dataclass(frozen=True)
class Change:
    """What a diff found: changed inputs, those forcing replacement, members drifted."""

    changed: tuple[str, ...]
    replaces: tuple[str, ...]
    drifted: tuple[str, ...]

    def result(self) -> DiffResult:
        """As Pulumi's DiffResult (create before delete, as Pulumi does by default)."""
        return DiffResult(
            changes=bool(self.changed or self.drifted),
            replaces=list(self.replaces),
            delete_before_replace=False,
        )


def diff_purchase_resource(
    schema: Schema,
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    members: Sequence[Member],
    *,
    numbered: bool,
) -> Change:
    """Compare the old outputs with the new inputs input by input, by each input's effect
    (see the schema); ``members`` are the recorded members, checked for drift."""
    changed: list[str] = []
    replaces: list[str] = []
    for f in schema.fields:
        if f.effect == "recorded":
            continue
        if f.secret:
            new = news.get(f.name)
            stored = olds.get(f"{f.name}_fingerprint")
            differs = new is not None and (
                is_unknown(new)
                or not matches(str(new), stored if isinstance(stored, str) else None)
            )
        else:
            differs = _differs(olds.get(f.name, f.default), news.get(f.name, f.default))
        if differs:
            changed.append(f.name)
            if f.effect == "replace":
                replaces.append(f.name)
    pending = bool(olds.get("hostname_pending")) or bool(olds.get("password_pending"))
    if pending and news.get("reboot_for_changes") is True and "reboot_for_changes" not in changed:
        changed.append("reboot_for_changes")
    drifted = drifted_members(members, news, numbered=numbered)
    return Change(tuple(changed), tuple(replaces), tuple(drifted))


def drifted_members(
    members: Sequence[Member], news: Mapping[str, Any], *, numbered: bool
) -> list[str]:
    """Members whose recorded power state or server name is not what ``news`` asks."""
    want_power = news.get("power_state")
    base = news.get("server_name")
    found: list[str] = []
    for member in members:
        wrong_power = (
            want_power in ("running", "stopped")
            and member.power is not None
            and member.power != want_power
        )
        name = (
            wanted(base, member, numbered)
            if isinstance(base, str) and not is_unknown(base)
            else None
        )
        wrong_name = name is not None and member.server_name not in (None, name)
        if wrong_power or wrong_name:
            found.append(member.instance_id)
    return found


def _differs(old: Any, new: Any) -> bool:
    if is_unknown(new):
        return True
    if isinstance(old, float) and old.is_integer():
        old = int(old)
    if isinstance(new, float) and new.is_integer():
        new = int(new)
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        return any(_differs(old.get(k), new.get(k)) for k in set(old) | set(new))
    return bool(old != new)


def registration(
    props: dict[str, Any],
    type_name: str,
    resource_name: str,
    outputs: Iterable[str],
    opts: pulumi.ResourceOptions | None,
) -> tuple[dict[str, Any], pulumi.ResourceOptions]:
    """Props and options for registering a purchase-backed resource: its key and stack, a
    placeholder for every output, and ``admin_password`` kept secret in outputs. The
    first registration of a program run reviews the stack config (see
    :func:`~.program_config.review_program_config`)."""
    review_program_config()
    parent = opts.parent if opts is not None else None
    parent_name = str(getattr(parent, "_name", "")) if parent is not None else ""
    project, stack = pulumi.get_project(), pulumi.get_stack()
    props = {
        **props,
        KEY_PROP: resource_key(project, stack, type_name, resource_name, parent_name),
        STACK_PROP: f"{project}/{stack}",
    }
    for out in outputs:
        props.setdefault(out, None)
    secret = pulumi.ResourceOptions(additional_secret_outputs=list(SECRET_INPUTS))
    return props, pulumi.ResourceOptions.merge(opts, secret)


__all__ = [
    "Change",
    "adopt_or_buy",
    "check_purchase_resource",
    "create_members",
    "diff_purchase_resource",
    "drifted_members",
    "member_set",
    "previous_of",
    "public_inputs",
    "recorded_set",
    "registration",
]
