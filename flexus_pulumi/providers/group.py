"""``InstanceGroup``: ``count`` identical Flexus L instances bought together and managed as
one resource. Type token ``pulumi-python:dynamic/flexus:InstanceGroup``.

The dynamic-provider server runs four operations at once for a whole stack, so N
``Instance`` resources that each wait for their own order take about N/4 order times. A
group buys its members in orders of up to 200 (``purchase_quantity``), all placed at once
and waited for together — one order time for 10,000 members — and changes them with batch
calls. It is a member set of ``count`` (see :mod:`flexus_pulumi.engine.member_set`): the
same engine as ``Instance``, so it behaves the same on create, update, refresh and delete.

Inputs: every ``Instance`` input but ``adopt_instance_id`` (see
:mod:`flexus_pulumi.schema.instance`), plus ``count``, ``remove_members`` and
``max_count``. ``count`` changes in place; spec, image, region, extras and
``replace_trigger`` replace the whole group (a new group is bought, then the old one
unsubscribed).

- **create** adopts what an interrupted attempt bought for the same purchase and buys the
  rest; then applies server names, hostnames, password and power state in batches.
- **update**: *scale out* buys the difference (after adopting members an interrupted
  scale-out bought); *scale in* unsubscribes ``remove_members`` first, then the
  **newest**, 10 per call, and waits until they are gone; then converges every member.
- **read** (refresh) reads one Config listing (pages of 200) and the servers: members
  gone out of band are dropped and reported, members carrying the group's tag but not
  recorded are adopted; drift is reported and written into the inputs.
- **delete** unsubscribes every member (and any the tag finds), 10 per call.

Members are listed oldest first; each holds a slot ``index`` (1, 2, …): new members take
the lowest free slots, and member ``i`` is named ``{server_name}-{i}`` /
``{hostname}-{i}``. Instance names come from the API: an order of N > 1 names its
instances ``{name}-0001`` … ``{name}-NNNN``, an order of one keeps ``{name}``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from flexus_pulumi.args import InstanceGroupArgs
from flexus_pulumi.catalog import spec_details
from flexus_pulumi.cloud.errors import FlexusError
from flexus_pulumi.common import DEFAULT_ORDER_TIMEOUT, INSTANCE_GROUP
from flexus_pulumi.engine.converge import Previous
from flexus_pulumi.engine.drift import purchase_drift, server_drift
from flexus_pulumi.engine.ecs_batch import ids_text
from flexus_pulumi.engine.identity import TAG_OUTPUT, recorded_tag
from flexus_pulumi.engine.member import Member
from flexus_pulumi.engine.member_set import MemberSet, choose_removals, members_of, slot
from flexus_pulumi.engine.progress import say
from flexus_pulumi.schema.finite import refuse_non_finite
from flexus_pulumi.schema.instance import GROUP_SCHEMA
from flexus_pulumi.schema.outputs import GROUP_OUTPUTS, MEMBER_RECORD_FIELDS
from flexus_pulumi.schema.specs import PurchaseSpec, ServerSpec

from . import settings
from .order_cost import order_costs
from .purchase import (
    adopt_or_buy,
    check_purchase_resource,
    create_members,
    diff_purchase_resource,
    previous_of,
    public_inputs,
    recorded_set,
    registration,
)
from .read_back import carried_inputs, recorded_inputs, refreshed_inputs

TYPE_TOKEN = INSTANCE_GROUP.token


def group_id(tag: str) -> str:
    """The resource id of a group: stable across scale changes."""
    return f"group-{tag}"


def member_record(member: Member) -> dict[str, Any]:
    """The ``instances`` entry of one member."""
    values = member.as_dict()
    return {key: values.get(key) for key in MEMBER_RECORD_FIELDS}


def group_outputs(
    inputs: Mapping[str, Any],
    members: Sequence[Member],
    *,
    fingerprint: str | None,
    hostname_pending: bool,
    password_pending: bool,
    tag: str | None,
    costs: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The full outputs of an ``InstanceGroup`` (``costs``: its ``order_costs``, default
    none)."""
    out = public_inputs(inputs, GROUP_OUTPUTS)
    out.update(carried_inputs(inputs))
    records = [member_record(m) for m in members]
    out.update(
        count=len(records),
        instances=records,
        instance_ids=[m.instance_id for m in members],
        public_ips=[m.public_ip for m in members],
        order_ids=list(dict.fromkeys(m.order_id for m in members if m.order_id)),
        admin_password_fingerprint=fingerprint,
        hostname_pending=hostname_pending,
        password_pending=password_pending,
        spec=spec_details(inputs.get("plan_spec")),
        order_costs=list(costs or []),
    )
    out[TAG_OUTPUT] = tag
    return out


class InstanceGroupProvider(settings.ConfiguredProvider):
    """The dynamic provider behind :class:`InstanceGroup`. Holds no attributes: credentials
    come from ``configure()`` (stack config) or the environment, see :mod:`.settings`."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return check_purchase_resource(_olds, news, group=True, outputs=GROUP_OUTPUTS)

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        recorded = members_of(_olds.get("instances"))
        change = diff_purchase_resource(GROUP_SCHEMA, _olds, _news, recorded, numbered=True)
        return change.result()

    def create(self, props: dict[str, Any]) -> CreateResult:
        label = str(props.get("name"))
        members, bought = create_members(props, int(props["count"]), numbered=True, label=label)
        outs = _converge(
            members, bought, props, Previous(), fresh={m.instance_id for m in bought}, costs=None
        )
        say(label, f"group of {len(bought)} ready")
        return CreateResult(group_id(members.tag), outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        label = str(props.get("name") or id_)
        members = recorded_set(props, numbered=True, label=label)
        found = members.reconcile(members_of(props.get("instances")))
        current = [*found.members, *_adopted(found.members, found.unrecorded, label)]
        if not current:
            say(label, "no member of the group exists any more: removing it from the state")
            return ReadResult(None, {})
        current = members.observe(current)
        recorded = recorded_inputs(props, GROUP_SCHEMA)
        observed: dict[str, Any] = {"count": len(current)}
        pending = bool(props.get("hostname_pending"))
        for drift in (
            server_drift(current, recorded, numbered=True, hostname_pending=pending),
            purchase_drift(current, recorded),
        ):
            for note in drift.notes:
                say(label, f"drift: {note}")
            observed.update(drift.inputs)
        outs = group_outputs(
            {**props, **observed},
            current,
            fingerprint=props.get("admin_password_fingerprint"),
            hostname_pending=pending,
            password_pending=bool(props.get("password_pending")),
            tag=recorded_tag(props),
        )
        ordered = set(outs["order_ids"])
        outs["order_costs"] = [
            c
            for c in props.get("order_costs") or []
            if isinstance(c, Mapping) and c.get("order_id") in ordered
        ]
        return ReadResult(id_, outs, refreshed_inputs(recorded, observed))

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        label = str(_news.get("name") or _id)
        members = recorded_set({**_olds, **_news}, numbered=True, label=label)
        recorded = members_of(_olds.get("instances"))
        target = int(_news["count"])
        if target != len(recorded):
            # what an interrupted scale-out bought must be listed before counting members
            members.settle_earlier(PurchaseSpec.from_inputs(_news))
        found = members.reconcile(recorded)
        adopted = _adopted(found.members, found.unrecorded, label)
        current = [*found.members, *adopted]
        fresh = {m.instance_id for m in adopted}
        timeout = float(_news.get("order_timeout") or DEFAULT_ORDER_TIMEOUT)
        if target < len(current):
            current = _scale_in(members, current, target, _news, timeout)
        elif target > len(current):
            say(label, f"scaling out {len(current)} → {target}")
            more = adopt_or_buy(members, _news, target - len(current), have=current, settled=True)
            current += more
            fresh |= {m.instance_id for m in more}
        outs = _converge(
            members, current, _news, previous_of(_olds), fresh=fresh, costs=_olds.get("order_costs")
        )
        return UpdateResult(outs)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        label = str(_props.get("name") or _id)
        members = recorded_set(_props, numbered=True, label=label)
        recorded = [m.instance_id for m in members_of(_props.get("instances"))]
        listed = [i.id for i in members.listed()]
        live = set(listed)
        missing = [i for i in recorded if i not in live]
        if missing:
            say(label, f"{len(missing)} member(s) already gone: " + ids_text(missing))
        targets = [i for i in dict.fromkeys([*recorded, *listed]) if i in live]
        members.unsubscribe(
            targets, timeout=float(_props.get("order_timeout") or DEFAULT_ORDER_TIMEOUT)
        )


def _adopted(have: Sequence[Member], unrecorded: Sequence[Any], label: str) -> list[Member]:
    """Instances carrying the group's tag but not recorded (an interrupted scale-out
    bought them), as new members."""
    if not unrecorded:
        return []
    say(
        label,
        f"adopting {len(unrecorded)} member(s) carrying this group's tag but not in its state "
        "(bought by an interrupted scale-out): " + ids_text([i.id for i in unrecorded]),
    )
    return slot(have, unrecorded)


def _scale_in(
    members: MemberSet,
    current: list[Member],
    target: int,
    news: Mapping[str, Any],
    timeout: float,
) -> list[Member]:
    named = [str(i) for i in news.get("remove_members") or ()]
    strangers = sorted(set(named) - {m.instance_id for m in current})
    if strangers:
        # A mistyped id must not let the newest member go in its place.
        raise FlexusError(
            f"remove_members: {', '.join(strangers)} not member(s) of this group; nothing "
            "was unsubscribed. Members: " + ", ".join(m.instance_id for m in current)
        )
    victims = choose_removals(current, len(current) - target, named)
    say(
        members.label,
        f"scaling in {len(current)} → {target}: removing "
        + ids_text([f"{v.name} ({v.instance_id})" for v in victims]),
    )
    gone = {v.instance_id for v in victims}
    members.unsubscribe(sorted(gone), timeout=timeout)
    return [m for m in current if m.instance_id not in gone]


def _converge(
    members: MemberSet,
    current: Sequence[Member],
    props: Mapping[str, Any],
    previous: Previous,
    *,
    fresh: Collection[str],
    costs: Any,
) -> dict[str, Any]:
    """Converge the members to ``props`` and return the outputs; ``costs`` are the order
    costs recorded so far (the others are read from BSS)."""
    observed = members.observe(current)
    done = members.converge(observed, ServerSpec.from_inputs(props), previous, fresh=fresh)
    order_ids = list(dict.fromkeys(m.order_id for m in done.members if m.order_id))
    return group_outputs(
        props,
        done.members,
        fingerprint=done.fingerprint,
        hostname_pending=done.hostname_pending,
        password_pending=done.password_pending,
        tag=members.tag,
        costs=order_costs(members.client, order_ids, costs, members.label),
    )


class InstanceGroup(Resource, module="flexus", name="InstanceGroup"):
    """``count`` identical Flexus L instances bought together (see the module docs).

    ``InstanceGroup("web", InstanceGroupArgs(name="web", plan_spec="hf.large.1.30m.linux",
    image=ImageArgs("WordPress", "6.4"), count=12))``
    """

    count: pulumi.Output[int]
    instances: pulumi.Output[list[dict[str, Any]]]
    instance_ids: pulumi.Output[list[str]]
    public_ips: pulumi.Output[list[str]]
    order_ids: pulumi.Output[list[str]]
    admin_password_fingerprint: pulumi.Output[str | None]
    hostname_pending: pulumi.Output[bool]
    password_pending: pulumi.Output[bool]
    spec: pulumi.Output[dict[str, Any] | None]
    purchase_tag: pulumi.Output[str | None]
    order_costs: pulumi.Output[list[dict[str, Any]]]

    def __init__(
        self,
        resource_name: str,
        args: InstanceGroupArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        refuse_non_finite("InstanceGroup", resource_name, args.to_props())
        props, options = registration(
            args.to_props(), "flexus:InstanceGroup", resource_name, GROUP_OUTPUTS, opts
        )
        super().__init__(InstanceGroupProvider(), resource_name, props, options)


__all__ = [
    "TYPE_TOKEN",
    "InstanceGroup",
    "InstanceGroupProvider",
    "group_id",
    "group_outputs",
    "member_record",
]
