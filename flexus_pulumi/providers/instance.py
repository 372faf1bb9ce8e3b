"""``Instance``: one Flexus L instance — bought on create, changed through ECS, unsubscribed
on delete. Type token ``pulumi-python:dynamic/flexus:Instance``.

An ``Instance`` is a member set of one (see :mod:`flexus_pulumi.engine.member_set`): it
buys, finds what an interrupted attempt bought, converges and unsubscribes exactly as an
``InstanceGroup`` does; its resource id is the instance id.

- **check** validates every rule of the vendor's tables at once, each failure naming the
  input; fills the documented defaults (see :mod:`flexus_pulumi.schema.instance`);
  derives the purchase identity (see :mod:`flexus_pulumi.engine.identity`).
- **diff** follows each input's effect: spec, image, region, extras and
  ``replace_trigger`` replace; ECS settings update in place; the rest is recorded only.
- **create** adopts what an interrupted attempt bought for the same purchase, or buys;
  then applies server name, description, hostname, password and power state, and reads
  what the order cost (``order_cost``, see :mod:`.order_cost`).
- **read** (refresh) reads Config and ECS: a vanished instance leaves the state; drift is
  reported and written into the inputs. For :meth:`Instance.get` it describes the instance
  as the cloud shows it (read-only: never changed, never unsubscribed).
- **update** modifies the server, resets the password, starts/stops/reboots as asked.
- **delete** unsubscribes it (data disk, backup, host security and EIP go with it) and
  waits until Config no longer lists it.

``adopt_instance_id`` manages an existing instance instead of buying one; who may adopt
what (and moving an instance between stacks with ``adopt_from_stack``) is in
:mod:`.adoption`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, overload

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from flexus_pulumi.args import ImageArgs, InstanceArgs
from flexus_pulumi.catalog import spec_details
from flexus_pulumi.cloud import ConfigResource
from flexus_pulumi.cloud.errors import FlexusError, NotFoundError
from flexus_pulumi.common import DEFAULT_ORDER_TIMEOUT, INSTANCE
from flexus_pulumi.engine.converge import Previous
from flexus_pulumi.engine.drift import purchase_drift, server_drift
from flexus_pulumi.engine.identity import KEY_PROP, PURCHASE_TAG, TAG_OUTPUT, recorded_tag
from flexus_pulumi.engine.member import Member
from flexus_pulumi.engine.member_set import MemberSet
from flexus_pulumi.engine.progress import say
from flexus_pulumi.enums import PeriodType, PlanSpec, PowerState, Region
from flexus_pulumi.outputs import InstanceSpec, OrderCost
from flexus_pulumi.schema.finite import refuse_non_finite
from flexus_pulumi.schema.instance import INSTANCE_SCHEMA
from flexus_pulumi.schema.outputs import INSTANCE_OUTPUTS
from flexus_pulumi.schema.specs import ServerSpec

from . import adoption, settings
from .arguments import resource_inputs
from .listing import find_instance
from .order_cost import order_cost
from .purchase import (
    check_purchase_resource,
    create_members,
    diff_purchase_resource,
    member_set,
    previous_of,
    public_inputs,
    registration,
)
from .read_back import carried_inputs, recorded_inputs, refreshed_inputs

TYPE_TOKEN = INSTANCE.token
ADOPT_PROP = adoption.ADOPT_PROP


def instance_outputs(
    inputs: Mapping[str, Any],
    member: Member,
    *,
    fingerprint: str | None,
    hostname_pending: bool,
    password_pending: bool,
    tag: str | None,
    cost: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The full outputs of an ``Instance`` (``cost``: its ``order_cost``, default none)."""
    out = public_inputs(inputs, INSTANCE_OUTPUTS)
    out.update(carried_inputs(inputs))
    out.update(
        instance_id=member.instance_id,
        instance_name=member.name,
        order_id=member.order_id,
        server_id=member.server_id,
        public_ip=member.public_ip,
        private_ip=member.private_ip,
        traffic_package_id=member.traffic_package_id,
        data_disk_id=member.data_disk_id,
        backup_vault_id=member.backup_vault_id,
        host_security_id=member.host_security_id,
        status=member.status,
        actual_server_name=member.server_name,
        actual_hostname=member.hostname,
        hostname_pending=hostname_pending,
        password_pending=password_pending,
        spec=spec_details(inputs.get("plan_spec") or member.spec_code),
        admin_password_fingerprint=fingerprint,
        order_cost=dict(cost) if cost is not None else None,
    )
    out[TAG_OUTPUT] = tag
    return out


def recorded_member(outputs: Mapping[str, Any]) -> Member:
    """The instance an ``Instance``'s outputs describe."""
    return Member(
        instance_id=str(outputs.get("instance_id") or ""),
        status=outputs.get("status"),
        server_name=outputs.get("actual_server_name"),
        hostname=outputs.get("actual_hostname"),
    )


class InstanceProvider(settings.ConfiguredProvider):
    """The dynamic provider behind :class:`Instance`. Holds no attributes: credentials come
    from ``configure()`` (stack config) or the environment, see :mod:`.settings`."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return check_purchase_resource(_olds, news, group=False, outputs=INSTANCE_OUTPUTS)

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        change = diff_purchase_resource(
            INSTANCE_SCHEMA, _olds, _news, [recorded_member(_olds)], numbered=False
        )
        return change.result()

    def create(self, props: dict[str, Any]) -> CreateResult:
        label = str(props.get("name"))
        if props.get(ADOPT_PROP):
            instance = _adopt_existing(props, label)
            tag = instance.tags.get(PURCHASE_TAG)
            members = member_set(props, tag or "", numbered=False, label=label)
            member = Member.from_cloud(instance, tag_key=PURCHASE_TAG)
            fresh: Collection[str] = ()
        else:
            members, [member] = create_members(props, 1, numbered=False, label=label)
            tag = members.tag
            fresh = {member.instance_id}
        outs = _converge(members, member, props, Previous(), fresh=fresh, tag=tag)
        outs["order_cost"] = order_cost(members.client, outs.get("order_id"), None, label)
        return CreateResult(member.instance_id, outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        label = str(props.get("name") or id_)
        region = props.get("region")
        client = settings.client(region)
        first_get = KEY_PROP not in props and not props.get("instance_id")
        try:
            instance = find_instance(client, region, id_)
            if instance.deleted or not instance.server_id:
                raise NotFoundError(404, "", f"instance {id_} is deleted")
            member = Member.from_cloud(instance, client.get_server(instance.server_id))
        except NotFoundError:
            if first_get:
                raise FlexusError(
                    f"Instance.get: instance {id_} does not exist (or Config does not list it "
                    "yet, right after its purchase)"
                ) from None
            say(label, f"instance {id_} no longer exists: removing it from the state")
            return ReadResult(None, {})
        if KEY_PROP not in props:  # Instance.get: the instance as the cloud shows it
            return ReadResult(id_, observed_outputs(member, instance.tags.get(PURCHASE_TAG)))
        recorded = recorded_inputs(props, INSTANCE_SCHEMA)
        pending = bool(props.get("hostname_pending"))
        observed: dict[str, Any] = {}
        for drift in (
            server_drift([member], recorded, numbered=False, hostname_pending=pending),
            purchase_drift([member], recorded),
        ):
            for note in drift.notes:
                say(label, f"drift: {note}")
            observed.update(drift.inputs)
        inputs = refreshed_inputs(recorded, observed)
        outs = instance_outputs(
            {**props, **observed},
            member,
            fingerprint=props.get("admin_password_fingerprint"),
            hostname_pending=pending and member.hostname != props.get("hostname"),
            password_pending=bool(props.get("password_pending")),
            tag=recorded_tag(props),
            cost=props.get("order_cost"),
        )
        return ReadResult(id_, outs, inputs)

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        label = str(_news.get("name") or _id)
        tag = recorded_tag(_olds)
        members = member_set(_news, tag or "", numbered=False, label=label)
        member = Member.from_cloud(members.client.get_instance(_id), tag_key=PURCHASE_TAG)
        outs = _converge(members, member, _news, previous_of(_olds), fresh=(), tag=tag)
        outs["order_cost"] = order_cost(
            members.client, outs.get("order_id"), _olds.get("order_cost"), label
        )
        return UpdateResult(outs)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        label = str(_props.get("name") or _id)
        members = member_set(_props, recorded_tag(_props) or "", numbered=False, label=label)
        timeout = float(_props.get("order_timeout") or DEFAULT_ORDER_TIMEOUT)
        members.unsubscribe([_id], timeout=timeout)


def _converge(
    members: MemberSet,
    member: Member,
    props: Mapping[str, Any],
    previous: Previous,
    *,
    fresh: Collection[str],
    tag: str | None,
) -> dict[str, Any]:
    """Converge the instance's server to ``props`` and return the outputs."""
    [member] = members.observe([member])
    done = members.converge([member], ServerSpec.from_inputs(props), previous, fresh=fresh)
    [member] = members.observe(done.members) if done.touched else done.members
    return instance_outputs(
        props,
        member,
        fingerprint=done.fingerprint,
        hostname_pending=done.hostname_pending,
        password_pending=done.password_pending,
        tag=tag,
    )


def observed_outputs(member: Member, tag: str | None) -> dict[str, Any]:
    """The outputs of an ``Instance.get``: what the cloud shows, its region, spec and name
    included."""
    observed = {
        "name": member.name,
        "region": member.region,
        "plan_spec": member.spec_code,
        "server_name": member.server_name,
        "hostname": member.hostname,
        "power_state": member.power,
    }
    return instance_outputs(
        {k: v for k, v in observed.items() if v is not None},
        member,
        fingerprint=None,
        hostname_pending=False,
        password_pending=False,
        tag=tag,
    )


def _adopt_existing(props: Mapping[str, Any], label: str) -> ConfigResource:
    """The instance ``adopt_instance_id`` names, once checked to match the inputs and to
    be this resource's to take (see :mod:`.adoption`)."""
    instance_id = str(props[ADOPT_PROP])
    client = settings.client(props.get("region"))
    try:
        instance = client.get_instance(instance_id)
    except NotFoundError:
        raise FlexusError(f"adopt_instance_id: instance {instance_id} does not exist") from None
    problems = []
    if instance.deleted or not instance.server_id:
        problems.append("it is deleted or has no server")
    if instance.region_id and instance.region_id != props.get("region"):
        problems.append(f"it is in {instance.region_id}, region says {props.get('region')}")
    if instance.spec_code and instance.spec_code != props.get("plan_spec"):
        problems.append(
            f"its spec is {instance.spec_code}, plan_spec says {props.get('plan_spec')}"
        )
    verdict = adoption.judge(instance, props)
    problems += verdict.problems
    if problems:
        raise FlexusError(f"adopt_instance_id: cannot adopt {instance_id}: " + "; ".join(problems))
    say(label, f"adopting existing instance {instance_id} (nothing is bought)")
    for note in verdict.notes:
        say(label, f"adopting {instance_id}: {note}")
    return instance


class Instance(Resource, module="flexus", name="Instance"):
    """A Flexus L instance bought on ``pulumi up`` and unsubscribed on ``pulumi destroy``.

    Inputs as keyword arguments, or as an :class:`~flexus_pulumi.InstanceArgs`::

        Instance("web", name="web", plan_spec=PlanSpec.HF_LARGE_1_30M_LINUX,
                 image=ImageArgs(ImageName.WORDPRESS, "6.4"), region=Region.AP_SOUTHEAST_3)
        Instance("web", InstanceArgs(name="web", plan_spec="hf.large.1.30m.linux",
                 image=ImageArgs("WordPress", "6.4")), opts)

    Every output, and every input but the password, is a typed attribute.
    """

    # --- generated: Instance (python -m flexus_pulumi.schema.codegen rewrites it) ---
    instance_id: pulumi.Output[str]
    """Flexus L instance id (24 hex digits); also the resource id."""
    instance_name: pulumi.Output[str]
    """The name the instance was bought with."""
    order_id: pulumi.Output[str]
    """The order that bought it."""
    server_id: pulumi.Output[str]
    """Its ECS server's id."""
    public_ip: pulumi.Output[str]
    """Its EIP's address."""
    private_ip: pulumi.Output[str | None]
    """Its server's private address."""
    traffic_package_id: pulumi.Output[str | None]
    """Its traffic package's id (see get_traffic)."""
    data_disk_id: pulumi.Output[str | None]
    """The data disk's id, when data_disk_size was set (from Config's bundle, else the server's
    attached volumes)."""
    backup_vault_id: pulumi.Output[str | None]
    """The backup vault's id, when backup_size was set (and Config lists it)."""
    host_security_id: pulumi.Output[str | None]
    """The host security's id, when host_security was true (and listed)."""
    status: pulumi.Output[str]
    """ECS status: ACTIVE, SHUTOFF, REBOOT, …"""
    actual_server_name: pulumi.Output[str]
    """The server's name as ECS reports it."""
    actual_hostname: pulumi.Output[str | None]
    """The hostname the server runs with (a new one waits for a reboot)."""
    order_cost: pulumi.Output[OrderCost | None]
    """What the order cost, from BSS's order details: ``{order_id, amount, currency}`` (+ ``note``:
    the emulator's prices are made up); None when BSS cannot say."""
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
    adopt_instance_id: pulumi.Output[str | None]
    """Manage this existing instance (bought in the console or by a script, or released by another
    stack) instead of buying one: its region, spec and image must match. See *Moving instances*."""
    adopt_from_stack: pulumi.Output[str | None]
    """With ``adopt_instance_id``: the stack that bought the instance and has released it, as
    ``project/stack`` (its ``flexus-pulumi-stack`` tag). Taking over an instance another Pulumi
    stack bought is refused without it. See *Moving instances*."""

    @overload
    def __init__(
        self,
        resource_name: str,
        args: InstanceArgs,
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
        adopt_instance_id: pulumi.Input[str] | None = None,
        adopt_from_stack: pulumi.Input[str] | None = None,
    ) -> None: ...

    # --- end generated: Instance ---

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """``Instance(name, InstanceArgs(...), opts=None)`` or ``Instance(name, opts=None,
        **inputs)``; raises :class:`TypeError` naming an unknown or missing input."""
        given, opts = resource_inputs("Instance", resource_name, InstanceArgs, args, kwargs)
        refuse_non_finite("Instance", resource_name, given.to_props())
        adoption.claim(resource_name, given.adopt_instance_id)
        props, options = registration(
            given.to_props(), "flexus:Instance", resource_name, _PLACEHOLDERS, opts
        )
        super().__init__(InstanceProvider(), resource_name, props, options)

    @classmethod
    def get(
        cls,
        resource_name: str,
        id: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
        *,
        region: pulumi.Input[Region | str] | None = None,
    ) -> Instance:
        """An existing instance, read-only: its outputs (addresses, server, status, spec,
        ``purchase_tag``…) as the cloud shows them, read on every preview and up. The
        stack never changes or unsubscribes it; it only leaves the state when the program
        stops reading it. ``region`` (default: ``flexus:region``) is where to look first.
        Needs credentials in a preview too. To manage an existing instance instead, see
        ``adopt_instance_id``."""
        props: dict[str, Any] = {**dict.fromkeys(_PLACEHOLDERS), "region": region}
        read = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        instance = cls.__new__(cls)
        Resource.__init__(instance, InstanceProvider(), resource_name, props, read)
        return instance


#: What an ``Instance`` registers as its outputs (each a typed attribute): its outputs, and
#: the inputs it repeats in them (none set means None).
_PLACEHOLDERS = (*INSTANCE_OUTPUTS, *(f.name for f in INSTANCE_SCHEMA.fields if not f.secret))

__all__ = ["Instance"]
