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
from typing import Any, overload

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from flexus_pulumi.args import ImageArgs, InstanceGroupArgs
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
from flexus_pulumi.enums import PeriodType, PlanSpec, PowerState, Region
from flexus_pulumi.outputs import GroupMember, InstanceSpec, OrderCost
from flexus_pulumi.schema.finite import refuse_non_finite
from flexus_pulumi.schema.instance import GROUP_SCHEMA
from flexus_pulumi.schema.outputs import GROUP_OUTPUTS, MEMBER_RECORD_FIELDS
from flexus_pulumi.schema.specs import PurchaseSpec, ServerSpec

from . import settings
from .arguments import resource_inputs
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

    Inputs as keyword arguments, or as an :class:`~flexus_pulumi.InstanceGroupArgs`::

        InstanceGroup("web", name="web", plan_spec=PlanSpec.HF_LARGE_1_30M_LINUX,
                      image=ImageArgs(ImageName.WORDPRESS, "6.4"), count=12)
        InstanceGroup("web", InstanceGroupArgs(name="web", plan_spec="hf.large.1.30m.linux",
                      image=ImageArgs("WordPress", "6.4"), count=12), opts)

    Every output, and every input but the password, is a typed attribute.
    """

    # --- generated: InstanceGroup (python -m flexus_pulumi.schema.codegen rewrites it) ---
    instances: pulumi.Output[list[GroupMember]]
    """Members, oldest first: a ``GroupMember`` each."""
    instance_ids: pulumi.Output[list[str]]
    """Member instance ids, oldest first."""
    public_ips: pulumi.Output[list[str]]
    """Member public addresses, oldest first."""
    order_ids: pulumi.Output[list[str]]
    """Orders that bought the members, oldest first, without repeats."""
    order_costs: pulumi.Output[list[OrderCost]]
    """What each of those orders cost, from BSS's order details: an ``OrderCost`` (``{order_id,
    amount, currency}``, + ``note``: the emulator's prices are made up) each, for those BSS
    prices."""
    admin_password_fingerprint: pulumi.Output[str | None]
    """Salted PBKDF2 fingerprint of admin_password (never the text)."""
    hostname_pending: pulumi.Output[bool]
    """True while a hostname change waits for a reboot."""
    password_pending: pulumi.Output[bool]
    """True while a password change waits for a start or reboot."""
    spec: pulumi.Output[InstanceSpec | None]
    """vcpus, memory_gib, system_disk_gib, bandwidth_mbps, traffic_gb of plan_spec."""
    purchase_tag: pulumi.Output[str | None]
    """The ``flexus-pulumi`` tag on the instances it bought (its ownership mark)."""
    name: pulumi.Output[str]
    """Instance name: 1-128 letters, digits, ``_`` or ``-``, starting with a letter. No API renames
    a bought instance: to rename the server, set ``server_name``."""
    plan_spec: pulumi.Output[str]
    """Plan spec: a ``PlanSpec`` or its code, e.g. ``hf.large.1.30m.linux`` (2 vCPU, 2 GiB, 60 GiB
    disk, 30 Mbps)."""
    image: pulumi.Output[dict[str, str]]
    """``{name, version}`` of an app or system image (e.g. WordPress 6.4, Ubuntu 22.04), or ``{id}``
    of a private image."""
    region: pulumi.Output[str]
    """A ``Region`` or its code: ``ap-southeast-1`` (Hong Kong), ``ap-southeast-3`` (Singapore),
    ``ap-southeast-2`` (Bangkok), ``tr-west-1`` (Istanbul), ``sa-brazil-1`` (São Paulo),
    ``me-east-1`` (Riyadh)."""
    description: pulumi.Output[str]
    """Instance description at purchase (0-1024 chars)."""
    period_type: pulumi.Output[str]
    """Subscription period unit (``PeriodType``): ``month`` or ``year``."""
    period_num: pulumi.Output[int]
    """Number of periods: 1-9 months or 1-3 years."""
    auto_renew: pulumi.Output[bool]
    """Renew automatically at expiry."""
    auto_pay: pulumi.Output[bool]
    """Pay the order from the account balance. With ``false`` the order waits for payment (pay it in
    the console; ``up`` waits, with progress, up to ``order_timeout``)."""
    data_disk_size: pulumi.Output[int | None]
    """Data disk (evs) bought with it, in GiB: 10-2048."""
    backup_size: pulumi.Output[int | None]
    """Backup vault (cbr) bought with it, in GiB: 10-2048."""
    host_security: pulumi.Output[bool]
    """Buy host security (hss) with it."""
    tags: pulumi.Output[dict[str, str]]
    """Tags at purchase: key 1-32 chars, value 0-2048 chars. Keys starting with ``flexus-pulumi``
    are reserved."""
    hostname: pulumi.Output[str | None]
    """Server hostname (group members: ``{hostname}-{index}``). A new server is rebooted once so
    that it takes effect; a later change waits for a reboot (see ``reboot_for_changes``)."""
    server_name: pulumi.Output[str | None]
    """ECS server name, 1-64 chars (group members: ``{server_name}-{index}``); default: as the cloud
    named it."""
    server_description: pulumi.Output[str | None]
    """ECS server description (0-85 chars, no ``<`` ``>``)."""
    power_state: pulumi.Output[str]
    """``running`` or ``stopped`` (``PowerState``)."""
    reboot_for_changes: pulumi.Output[bool]
    """Allow a reboot so that a hostname or password change takes effect at once."""
    replace_trigger: pulumi.Output[str | int | None]
    """Any value; changing it buys a new instance (and unsubscribes the old one)."""
    order_timeout: pulumi.Output[float]
    """Seconds to wait for an order (and for Config to list what it bought)."""
    action_timeout: pulumi.Output[float]
    """Seconds to wait for an ECS job (start, stop, reboot)."""
    count: pulumi.Output[int]
    """Number of identical instances, 1 to ``max_count``. More buys the difference in one order per
    200; fewer unsubscribes ``remove_members`` first, then the newest."""
    remove_members: pulumi.Output[list[str] | None]
    """Instance ids to unsubscribe first when ``count`` goes down (default: the newest go)."""
    max_count: pulumi.Output[int]
    """The largest ``count`` allowed: a guard against a typo buying thousands of servers. Raise it
    explicitly for bigger groups (at most 100000)."""

    @overload
    def __init__(
        self,
        resource_name: str,
        args: InstanceGroupArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        name: pulumi.Input[str],
        plan_spec: pulumi.Input[PlanSpec | str],
        image: ImageArgs | pulumi.Input[Mapping[str, pulumi.Input[str]]],
        region: pulumi.Input[Region | str] | None = None,
        description: pulumi.Input[str] | None = None,
        period_type: pulumi.Input[PeriodType | str] | None = None,
        period_num: pulumi.Input[int] | None = None,
        auto_renew: pulumi.Input[bool] | None = None,
        auto_pay: pulumi.Input[bool] | None = None,
        data_disk_size: pulumi.Input[int] | None = None,
        backup_size: pulumi.Input[int] | None = None,
        host_security: pulumi.Input[bool] | None = None,
        tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        hostname: pulumi.Input[str] | None = None,
        server_name: pulumi.Input[str] | None = None,
        server_description: pulumi.Input[str] | None = None,
        power_state: pulumi.Input[PowerState | str] | None = None,
        admin_password: pulumi.Input[str] | None = None,
        reboot_for_changes: pulumi.Input[bool] | None = None,
        replace_trigger: pulumi.Input[str | int] | None = None,
        order_timeout: pulumi.Input[float] | None = None,
        action_timeout: pulumi.Input[float] | None = None,
        count: pulumi.Input[int],
        remove_members: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        max_count: pulumi.Input[int] | None = None,
    ) -> None: ...

    # --- end generated: InstanceGroup ---

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """``InstanceGroup(name, InstanceGroupArgs(...), opts=None)`` or
        ``InstanceGroup(name, opts=None, **inputs)``; raises :class:`TypeError` naming an
        unknown or missing input."""
        given, opts = resource_inputs(
            "InstanceGroup", resource_name, InstanceGroupArgs, args, kwargs
        )
        refuse_non_finite("InstanceGroup", resource_name, given.to_props())
        props, options = registration(
            given.to_props(), "flexus:InstanceGroup", resource_name, _PLACEHOLDERS, opts
        )
        super().__init__(InstanceGroupProvider(), resource_name, props, options)


#: What an ``InstanceGroup`` registers as its outputs (each a typed attribute): its
#: outputs, and the inputs it repeats in them (none set means None).
_PLACEHOLDERS = (*GROUP_OUTPUTS, *(f.name for f in GROUP_SCHEMA.fields if not f.secret))


__all__ = ["InstanceGroup"]
