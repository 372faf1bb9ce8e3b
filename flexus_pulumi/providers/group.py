"""``InstanceGroup``: N identical Flexus L instances bought in one order and managed as one
resource. Type token ``pulumi-python:dynamic/flexus:InstanceGroup``.

The dynamic-provider server runs four operations at once for a whole stack, so N
``Instance`` resources that each wait for their own order take about N/4 order times. A
group buys its members with ``purchase_quantity = count`` — one order, one wait — and
changes them with batch calls.

Inputs: every :class:`~flexus_pulumi.providers.instance.Instance` input (see
:data:`~flexus_pulumi.providers.inputs.PROPERTIES`) plus ``count`` (1 or more) and the
optional ``remove_members`` (instance ids to unsubscribe first when ``count`` goes down).
``count`` changes in place; spec, image, region, extras and ``replace_trigger`` replace
the whole group (a new group is bought, then the old one unsubscribed).

Lifecycle:

- **create** buys ``count`` members: one order of up to 200 (:data:`ORDER_MAX`), or
  several orders of at most 200 placed together and waited for concurrently, so 350
  members take about one order time. Then it applies server names, hostnames, password
  and power state with batch calls.
- **update** (a change of ``count``, ``power_state``, ``admin_password``,
  ``server_name``, ``hostname``, ``server_description``):

  - *scale out* buys the difference in one order (or several, as above);
  - *scale in* unsubscribes the members listed in ``remove_members`` first, then the
    **newest** (the end of ``instances``), 10 per BSS call, and waits until they are gone;
  - power state: one ECS start or stop call for every member not yet in the wanted state
    (1000 servers a call); password: one reset call for all members (or for the new ones
    only, when it did not change); server name, hostname and description: one ECS modify
    per member that needs it (ECS has no batch modify).
- **read** (refresh) reads **one** Config listing of the region (pages of 200) and no ECS
  call: members unsubscribed out of band are dropped from the outputs and reported,
  members carrying the group's tag but not recorded (an interrupted scale-out) are
  adopted and reported; power state (Config's ``RUNNING``/``STOPPED``) and server names
  are compared with the inputs. When no member is left the group leaves the state.
  Hostnames are not read back (Config does not list them).
- **delete** unsubscribes every member (and any member an interrupted scale-out bought),
  10 per call, and waits until Config no longer lists them.

Members and their names:

- ``instances`` lists the members oldest first; each is a dict of :data:`MEMBER_FIELDS`.
- Instance names come from the API: an order of N > 1 names its instances
  ``{name}-0001`` … ``{name}-NNNN``, an order of one keeps ``{name}``. A scale-out is a new
  order, so its members are named from 0001 again (names may repeat; ids do not).
- Each member holds a slot ``index`` (1, 2, …): new members take the lowest free slots.
  With ``server_name`` set, member servers are named ``{server_name}-{index}``; with
  ``hostname`` set, hostnames are ``{hostname}-{index}``. Slots stay with their member,
  so removing one member renames nobody.

Never buying twice (see :mod:`.adoption`): every member carries the group's adoption tag.
A retried create adopts what the first attempt bought, or repeats the purchase with the
same ``Client-Request-Id``. A scale-out's purchase is named ``scale-to-{count}.{serial}``
(``serial`` = :data:`scale_serial`, the number of earlier membership changes), so a
retried scale-out reuses its ``Client-Request-Id`` while a later scale-out to the same
count after a scale-in gets a new one. Members listed with the tag but not recorded are
adopted before anything is bought.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
    UpdateResult,
)

from flexus_pulumi import catalog
from flexus_pulumi.cloud import ConfigResource, FlexusClient, ServerDetails
from flexus_pulumi.cloud.errors import FlexusError
from flexus_pulumi.cloud.models.config import ECS_INSTANCE

from . import settings
from .adoption import GENERATION_PROP, KEY_PROP, tag_value
from .fingerprints import fingerprint, matches, password_unchanged
from .inputs import GROUP_PROPERTIES, PROPERTIES, diff_inputs, is_unknown
from .instance import InstanceArgs, check_resource, purchase_registration
from .lifecycle import (
    UNSUBSCRIBE_MAX,
    buy,
    listed_with_tag,
    request_unsubscribe,
    wait_until_gone,
)
from .outputs import public_inputs, spec_details
from .progress import say
from .server_ops import RUNNING, STOPPED, reboot, reset_passwords, set_power

TYPE_TOKEN = "pulumi-python:dynamic/flexus:InstanceGroup"  # noqa: S105 - a type token
#: Instances one order can buy; larger groups are split into orders of at most this many.
ORDER_MAX = catalog.QUANTITY_RANGE[1]
#: The optional input naming members to remove first on scale-in.
REMOVE_MEMBERS = "remove_members"
#: Output counting membership changes (scale-ins, scale-outs, adoptions).
SCALE_SERIAL = "scale_serial"

#: Fields of each member in ``instances``, documented.
MEMBER_FIELDS: dict[str, str] = {
    "index": "Slot number (1, 2, …) used for server names and hostnames.",
    "instance_id": "Flexus L instance id.",
    "server_id": "ECS server id.",
    "public_ip": "EIP address.",
    "private_ip": "Private address.",
    "name": "Instance name, as the API named it ({name}-0001 … for an order of several).",
    "server_name": "ECS server name.",
    "hostname": "Hostname the group set ({hostname}-{index}); None when not managed.",
    "status": "Config's instance status: RUNNING or STOPPED.",
    "order_id": "The order that bought it.",
    "traffic_package_id": "Traffic package id.",
    "data_disk_id": "Data disk id, when data_disk_size was set.",
    "backup_vault_id": "Backup vault id, when backup_size was set.",
    "host_security_id": "Host security id, when host_security was true.",
}

#: Every computed output of a group (besides the inputs it repeats), documented.
GROUP_OUTPUTS: dict[str, str] = {
    "instances": "Members, oldest first: a dict of MEMBER_FIELDS each.",
    "instance_ids": "Member instance ids, oldest first.",
    "public_ips": "Member public addresses, oldest first.",
    "order_ids": "Orders that bought the members, oldest first, without repeats.",
    "admin_password_fingerprint": "Salted fingerprint of admin_password (never the text).",
    "hostname_pending": "True while a hostname change waits for a reboot.",
    "spec": "vcpus, memory_gib, system_disk_gib, bandwidth_mbps, traffic_gb of plan_spec.",
    SCALE_SERIAL: "Membership changes so far; part of each scale-out's idempotency key.",
}

_STATUS_OF_POWER = {RUNNING: "RUNNING", STOPPED: "STOPPED"}
_POWER_OF_STATUS = {v: k for k, v in _STATUS_OF_POWER.items()}


# -- members -----------------------------------------------------------------------------


def group_id(key: str, generation: int) -> str:
    """The resource id of a group: stable across scale changes."""
    return f"group-{tag_value(key, generation)}"


def member_server_name(base: str, index: int) -> str:
    """The server name of member ``index`` when ``server_name`` is ``base``."""
    return f"{base}-{index}"


def member_hostname(base: str, index: int) -> str:
    """The hostname of member ``index`` when ``hostname`` is ``base``."""
    return f"{base}-{index}"


def _private_ip(instance: ConfigResource) -> str | None:
    for member in instance.properties.resources:
        if member.logical_resource_type != ECS_INSTANCE:
            continue
        nics = member.attributes.get("nics")
        if not nics:
            return None
        try:
            parsed = json.loads(nics)
        except ValueError:
            return None
        if isinstance(parsed, list) and parsed and isinstance(parsed[0], Mapping):
            address = parsed[0].get("ip_address")
            return str(address) if address else None
    return None


def member_record(
    instance: ConfigResource, index: int, previous: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The ``instances`` entry of one member, from its Config listing entry."""
    extras = {e.type: e.id for e in instance.extras}
    return {
        "index": index,
        "instance_id": instance.id,
        "server_id": instance.server_id,
        "public_ip": instance.public_ip,
        "private_ip": _private_ip(instance),
        "name": instance.name,
        "server_name": instance.server_name,
        "hostname": (previous or {}).get("hostname"),
        "status": instance.status,
        "order_id": instance.order_id,
        "traffic_package_id": instance.traffic_package_id,
        "data_disk_id": extras.get("evs"),
        "backup_vault_id": extras.get("cbr"),
        "host_security_id": extras.get("hss"),
    }


def ids_text(ids: Sequence[str], limit: int = 10) -> str:
    """Ids for a progress line: all of them up to ``limit`` (default 10), else the first
    ``limit`` and how many more."""
    shown = ", ".join(ids[:limit])
    return shown if len(ids) <= limit else f"{shown} and {len(ids) - limit} more"


def _free_indices(taken: Iterable[int], how_many: int) -> list[int]:
    used = set(taken)
    found: list[int] = []
    candidate = 1
    while len(found) < how_many:
        if candidate not in used:
            found.append(candidate)
        candidate += 1
    return found


def add_members(
    members: Sequence[Mapping[str, Any]], instances: Sequence[ConfigResource]
) -> list[dict[str, Any]]:
    """``members`` followed by ``instances`` as new members in the lowest free slots."""
    slots = _free_indices((int(m["index"]) for m in members), len(instances))
    return [dict(m) for m in members] + [
        member_record(i, slot) for i, slot in zip(instances, slots, strict=True)
    ]


def choose_removals(
    members: Sequence[Mapping[str, Any]], how_many: int, remove_first: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """The members a scale-in by ``how_many`` unsubscribes: those whose instance id is in
    ``remove_first`` (in that order), then the newest (from the end of the list)."""
    by_id = {str(m["instance_id"]): m for m in members}
    chosen: list[Mapping[str, Any]] = [by_id[i] for i in dict.fromkeys(remove_first) if i in by_id]
    chosen_ids = {str(m["instance_id"]) for m in chosen}
    chosen += [m for m in reversed(members) if str(m["instance_id"]) not in chosen_ids]
    return [dict(m) for m in chosen[: max(how_many, 0)]]


@dataclass
class Reconciled:
    """Recorded members checked against the listing: those still there (refreshed), those
    gone out of band, and those listed with the tag but not recorded (adopted)."""

    members: list[dict[str, Any]]
    gone: list[dict[str, Any]] = field(default_factory=list)
    adopted: list[str] = field(default_factory=list)


def reconcile(
    recorded: Sequence[Mapping[str, Any]], listed: Sequence[ConfigResource], label: str
) -> Reconciled:
    """Match the recorded members with the instances listed with the group's tag."""
    by_id = {i.id: i for i in listed}
    kept: list[dict[str, Any]] = []
    gone: list[dict[str, Any]] = []
    for member in recorded:
        instance = by_id.get(str(member.get("instance_id")))
        if instance is None:
            gone.append(dict(member))
        else:
            kept.append(member_record(instance, int(member["index"]), member))
    known = {str(m.get("instance_id")) for m in recorded}
    unknown = [i for i in listed if i.id not in known]
    if gone:
        say(
            label,
            f"{len(gone)} member(s) no longer exist (unsubscribed outside Pulumi?): "
            + ids_text([f"{m.get('name')} {m.get('instance_id')}" for m in gone]),
        )
    if unknown:
        say(
            label,
            f"adopting {len(unknown)} member(s) carrying this group's tag but not in its "
            "state (bought by an interrupted scale-out): " + ids_text([i.id for i in unknown]),
        )
    return Reconciled(add_members(kept, unknown), gone, [i.id for i in unknown])


def _records(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [dict(m) for m in value if isinstance(m, Mapping) and m.get("instance_id")]


# -- buying and unsubscribing ------------------------------------------------------------


def order_sizes(quantity: int) -> list[int]:
    """Orders of at most :data:`ORDER_MAX` making up ``quantity``: 350 → [200, 150]."""
    full, rest = divmod(quantity, ORDER_MAX)
    return [ORDER_MAX] * full + ([rest] if rest else [])


def buy_members(
    client: FlexusClient,
    inputs: Mapping[str, Any],
    *,
    quantity: int,
    tag: str,
    key: str,
    generation: int,
    purpose: str,
    label: str,
    already: int,
) -> list[ConfigResource]:
    """Buy ``quantity`` members carrying ``tag`` (``already`` carry it now), oldest first.

    One order up to :data:`ORDER_MAX`; more are split into several orders, all placed at
    once and waited for concurrently. Each order adopts what an earlier attempt of the same
    ``purpose`` bought (see :func:`~flexus_pulumi.providers.lifecycle.buy`)."""
    sizes = order_sizes(quantity)
    if len(sizes) == 1:
        return buy(
            client,
            inputs,
            quantity=quantity,
            tag=tag,
            key=key,
            generation=generation,
            purpose=purpose,
            label=label,
            already=already,
        )
    say(label, f"{quantity} instances: {len(sizes)} orders of at most {ORDER_MAX}, placed together")
    offsets = [already + sum(sizes[:n]) for n in range(len(sizes))]
    with ThreadPoolExecutor(max_workers=len(sizes), thread_name_prefix="flexus-order") as pool:
        futures = [
            pool.submit(
                buy,
                client,
                inputs,
                quantity=size,
                tag=tag,
                key=key,
                generation=generation,
                purpose=f"{purpose}.part-{n + 1}-of-{len(sizes)}",
                label=f"{label} (order {n + 1}/{len(sizes)})",
                already=offset,
            )
            for n, (size, offset) in enumerate(zip(sizes, offsets, strict=True))
        ]
        parts = [future.result() for future in futures]
    bought = {i.id: i for part in parts for i in part}
    if len(bought) < quantity:
        # Parts adopted overlapping slices of a partly listed purchase: read all once more.
        region = str(inputs["region"])
        listed = listed_with_tag(client, region, tag)
        bought = {i.id: i for i in listed[already:]} | bought
    ordered = sorted(bought.values(), key=lambda i: (i.created or "", i.name, i.id))
    return ordered[:quantity]


def unsubscribe_members(
    client: FlexusClient,
    instance_ids: Sequence[str],
    *,
    region: str,
    tag: str,
    label: str,
    timeout: float,
) -> None:
    """Unsubscribe the instances, :data:`UNSUBSCRIBE_MAX` per call, then wait until the
    region's listing no longer shows them with ``tag`` (one paged listing per poll).
    Instances already gone or already on their way out are not an error."""
    request_unsubscribe(client, instance_ids)
    say(
        label,
        f"unsubscribed {len(instance_ids)} member(s) in "
        f"{-(-len(instance_ids) // UNSUBSCRIBE_MAX)} call(s): " + ids_text(instance_ids),
    )
    wait_unlisted(client, instance_ids, region=region, tag=tag, label=label, timeout=timeout)


def wait_unlisted(
    client: FlexusClient,
    instance_ids: Sequence[str],
    *,
    region: str,
    tag: str,
    label: str,
    timeout: float,
) -> None:
    """Wait until no instance of ``instance_ids`` is listed live with ``tag`` (one paged
    listing per poll, however many members)."""

    def still_there(remaining: set[str]) -> set[str]:
        return {i.id for i in listed_with_tag(client, region, tag)} & remaining

    wait_until_gone(still_there, instance_ids, label=label, timeout=timeout, noun="member(s)")


# -- bringing members to the inputs ------------------------------------------------------


@dataclass(frozen=True)
class Converged:
    """Members after converging, the password fingerprint to record, and whether a
    hostname change still waits for a reboot."""

    members: list[dict[str, Any]]
    fingerprint: str | None
    hostname_pending: bool


def _power(member: Mapping[str, Any]) -> str | None:
    return _POWER_OF_STATUS.get(str(member.get("status")))


def _as_servers(members: Iterable[Mapping[str, Any]]) -> list[ServerDetails]:
    status = {RUNNING: "ACTIVE", STOPPED: "SHUTOFF"}
    return [
        ServerDetails(id=str(m["server_id"]), status=status.get(_power(m) or "", ""))
        for m in members
    ]


#: ECS modify calls in flight at once when many members need one.
MODIFY_WORKERS = 8


def modify_members(
    client: FlexusClient, changes: Mapping[str, Mapping[str, str]], label: str
) -> None:
    """Apply ``{server_id: {name?, description?, hostname?}}``: one ECS modify per server
    (there is no batch modify), :data:`MODIFY_WORKERS` at a time, one progress line."""
    if not changes:
        return

    def modify(item: tuple[str, Mapping[str, str]]) -> None:
        server_id, fields = item
        client.update_server(
            server_id,
            name=fields.get("name"),
            description=fields.get("description"),
            hostname=fields.get("hostname"),
        )

    with ThreadPoolExecutor(
        max_workers=min(MODIFY_WORKERS, len(changes)), thread_name_prefix="flexus-modify"
    ) as pool:
        list(pool.map(modify, changes.items()))
    what = sorted({k for fields in changes.values() for k in fields})
    say(label, f"set {', '.join(what)} of {len(changes)} server(s)")


def converge_members(
    client: FlexusClient,
    members: Sequence[Mapping[str, Any]],
    desired: Mapping[str, Any],
    previous: Mapping[str, Any],
    *,
    fresh: Iterable[str],
    label: str,
) -> Converged:
    """Apply ``desired`` to every member with batch calls; ``previous`` are the last
    outputs ({} on create); ``fresh`` are the instance ids bought by this operation."""
    timeout = float(desired.get("action_timeout") or 600)
    new_ids = set(fresh)
    out = [dict(m) for m in members]
    base_name = desired.get("server_name")
    base_host = desired.get("hostname")
    description = desired.get("server_description")
    describe_all = description is not None and description != previous.get("server_description")
    waiting = bool(previous.get("hostname_pending")) and base_host == previous.get("hostname")
    changes: dict[str, dict[str, str]] = {}
    renamed_hosts: set[str] = set()
    for member in out:
        fields: dict[str, str] = {}
        index = int(member["index"])
        if base_name and member.get("server_name") != member_server_name(base_name, index):
            fields["name"] = member_server_name(str(base_name), index)
        if base_host and member.get("hostname") != member_hostname(base_host, index):
            fields["hostname"] = member_hostname(str(base_host), index)
        if description is not None and (describe_all or member["instance_id"] in new_ids):
            fields["description"] = str(description)
        if fields:
            changes[str(member["server_id"])] = fields
            member["server_name"] = fields.get("name", member.get("server_name"))
            if "hostname" in fields:
                member["hostname"] = fields["hostname"]
                renamed_hosts.add(str(member["server_id"]))
    modify_members(client, changes, label)

    password = desired.get("admin_password")
    stored = previous.get("admin_password_fingerprint")
    password_targets: list[str] = []
    if password and not matches(password, stored):
        password_targets = [str(m["server_id"]) for m in out]
        stored = fingerprint(password)
    elif password:
        password_targets = [str(m["server_id"]) for m in out if m["instance_id"] in new_ids]
    if password and password_targets:
        reset_passwords(client, password_targets, password, label)

    all_servers = {str(m["server_id"]) for m in out}
    host_targets = all_servers if waiting else renamed_hosts
    needs_boot = host_targets | set(password_targets)
    booted: set[str] = set()
    want = desired.get("power_state")
    if want in (RUNNING, STOPPED):
        acted = set(set_power(client, _as_servers(out), str(want), label, timeout))
        for member in out:
            if member["server_id"] in acted:
                member["status"] = _STATUS_OF_POWER[str(want)]
        if want == RUNNING:
            booted |= acted  # a start applies a new hostname and password
    if desired.get("reboot_for_changes") and want == RUNNING:
        to_reboot = sorted(needs_boot - booted)
        if to_reboot:
            reboot(client, to_reboot, label, timeout)
            booted |= set(to_reboot)
    pending = bool(host_targets - booted)
    return Converged(out, stored, pending)


# -- outputs, check, diff ----------------------------------------------------------------


def group_outputs(
    inputs: Mapping[str, Any],
    members: Sequence[Mapping[str, Any]],
    *,
    fingerprint: str | None,
    hostname_pending: bool,
    serial: int,
) -> dict[str, Any]:
    """The full outputs of an ``InstanceGroup``."""
    out = public_inputs(inputs)
    for key in GROUP_OUTPUTS:
        out.pop(key, None)
    listed = [dict(m) for m in members]
    out["count"] = len(listed)
    out["instances"] = listed
    out["instance_ids"] = [m["instance_id"] for m in listed]
    out["public_ips"] = [m["public_ip"] for m in listed]
    out["order_ids"] = list(dict.fromkeys(m["order_id"] for m in listed if m.get("order_id")))
    out["admin_password_fingerprint"] = fingerprint
    out["hostname_pending"] = hostname_pending
    out["spec"] = spec_details(inputs.get("plan_spec"))
    out[SCALE_SERIAL] = serial
    return out


def check_group(olds: Mapping[str, Any], news: Mapping[str, Any]) -> CheckResult:
    """``check`` of a group: the Instance checks plus ``count``, ``remove_members`` and the
    length of the per-member server names and hostnames."""
    given = {k: v for k, v in news.items() if k not in GROUP_OUTPUTS and k != REMOVE_MEMBERS}
    result = check_resource(olds, given, group=True)
    inputs = dict(result.inputs)
    failures = list(result.failures or [])
    remove = news.get(REMOVE_MEMBERS)
    if remove is not None and not is_unknown(remove):
        if isinstance(remove, list) and all(isinstance(i, str) for i in remove):
            inputs[REMOVE_MEMBERS] = list(remove)
        else:
            failures.append(CheckFailure(REMOVE_MEMBERS, "must be a list of instance ids"))
    elif remove is not None:
        inputs[REMOVE_MEMBERS] = remove
    count = inputs.get("count")
    if isinstance(count, int) and count >= 1:
        longest = count
        for key, check, make in (
            ("server_name", catalog.check_server_name, member_server_name),
            ("hostname", catalog.check_hostname, member_hostname),
        ):
            base = inputs.get(key)
            if isinstance(base, str) and base and not is_unknown(base):
                for p in check(make(base, longest), key):
                    failures.append(
                        CheckFailure(key, f"as {make(base, longest)!r} (member names): {p.message}")
                    )
    return CheckResult(inputs, failures)


def members_drift(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """Members whose recorded power state or server name differs from ``news``."""
    want = news.get("power_state")
    base = news.get("server_name")
    drifted: list[str] = []
    for member in _records(olds.get("instances")):
        power = _power(member)
        wrong_power = want in (RUNNING, STOPPED) and power is not None and power != want
        index = int(member.get("index") or 0)
        wrong_name = (
            isinstance(base, str)
            and bool(base)
            and not is_unknown(base)
            and member.get("server_name") != member_server_name(base, index)
        )
        if wrong_power or wrong_name:
            drifted.append(str(member["instance_id"]))
    return drifted


# -- the provider ------------------------------------------------------------------------


class InstanceGroupProvider(settings.ConfiguredProvider):
    """The dynamic provider behind :class:`InstanceGroup`. Holds no attributes: credentials
    come from ``configure()`` (stack config) or the environment, see :mod:`.settings`."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return check_group(_olds, news)

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        same_password = password_unchanged(_olds, _news)
        change = diff_inputs(
            _olds, _news, group=True, secret_matches={"admin_password": same_password}
        )
        drift = members_drift(_olds, _news)
        return DiffResult(
            changes=bool(change.changed) or bool(drift),
            replaces=list(change.replaces),
            delete_before_replace=False,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        label = str(props.get("name"))
        client = settings.client(props["region"])
        key, gen = str(props[KEY_PROP]), int(props[GENERATION_PROP])
        count = int(props["count"])
        bought = buy_members(
            client,
            props,
            quantity=count,
            tag=tag_value(key, gen),
            key=key,
            generation=gen,
            purpose="create",
            label=label,
            already=0,
        )
        members = add_members([], bought)
        done = converge_members(
            client, members, props, {}, fresh=[i.id for i in bought], label=label
        )
        say(label, f"group of {len(done.members)} ready")
        outs = group_outputs(
            props,
            done.members,
            fingerprint=done.fingerprint,
            hostname_pending=done.hostname_pending,
            serial=0,
        )
        return CreateResult(group_id(key, gen), outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        label = str(props.get("name") or id_)
        region = str(props.get("region") or settings.default_region() or "")
        client = settings.client(region or None)
        key, gen = str(props[KEY_PROP]), int(props.get(GENERATION_PROP) or 0)
        listed = listed_with_tag(client, region, tag_value(key, gen))
        found = reconcile(_records(props.get("instances")), listed, label)
        if not found.members:
            say(label, "no member of the group exists any more: removing it from the state")
            return ReadResult(None, {})
        inputs = {
            k: props[k]
            for k in (*PROPERTIES, *GROUP_PROPERTIES, REMOVE_MEMBERS, KEY_PROP, GENERATION_PROP)
            if k in props
        }
        inputs["count"] = len(found.members)
        _report_drift(inputs, props, found.members, label)
        serial = int(props.get(SCALE_SERIAL) or 0) + (1 if found.adopted else 0)
        outs = group_outputs(
            {**props, **inputs},
            found.members,
            fingerprint=props.get("admin_password_fingerprint"),
            hostname_pending=bool(props.get("hostname_pending")),
            serial=serial,
        )
        return ReadResult(id_, outs, inputs)

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        label = str(_news.get("name") or _id)
        region = str(_news["region"])
        client = settings.client(region)
        key, gen = str(_news[KEY_PROP]), int(_news[GENERATION_PROP])
        tag = tag_value(key, gen)
        timeout = float(_news.get("order_timeout") or 1800)
        serial = int(_olds.get(SCALE_SERIAL) or 0)
        listed = listed_with_tag(client, region, tag)
        found = reconcile(_records(_olds.get("instances")), listed, label)
        members = found.members
        fresh: list[str] = list(found.adopted)
        if found.adopted or found.gone:
            serial += 1
        target = int(_news["count"])
        if target < len(members):
            named = [str(i) for i in _news.get(REMOVE_MEMBERS) or ()]
            strangers = sorted(set(named) - {str(m["instance_id"]) for m in members})
            if strangers:
                # A mistyped id must not let the newest member go in its place.
                raise FlexusError(
                    f"remove_members: {', '.join(strangers)} not member(s) of this group; "
                    "nothing was unsubscribed. Members: "
                    + ", ".join(str(m["instance_id"]) for m in members)
                )
            victims = choose_removals(members, len(members) - target, named)
            say(
                label,
                f"scaling in {len(members)} → {target}: removing "
                + ids_text([f"{v['name']} ({v['instance_id']})" for v in victims]),
            )
            gone = {str(v["instance_id"]) for v in victims}
            unsubscribe_members(
                client, sorted(gone), region=region, tag=tag, label=label, timeout=timeout
            )
            members = [m for m in members if m["instance_id"] not in gone]
            fresh = [i for i in fresh if i not in gone]
            serial += 1
        elif target > len(members):
            say(label, f"scaling out {len(members)} → {target}")
            bought = buy_members(
                client,
                _news,
                quantity=target - len(members),
                tag=tag,
                key=key,
                generation=gen,
                purpose=f"scale-to-{target}.{serial}",
                label=label,
                already=len(members),
            )
            members = add_members(members, bought)
            fresh += [i.id for i in bought]
            serial += 1
        done = converge_members(client, members, _news, _olds, fresh=fresh, label=label)
        outs = group_outputs(
            _news,
            done.members,
            fingerprint=done.fingerprint,
            hostname_pending=done.hostname_pending,
            serial=serial,
        )
        return UpdateResult(outs)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        label = str(_props.get("name") or _id)
        region = str(_props.get("region") or settings.default_region() or "")
        client = settings.client(region or None)
        key, gen = str(_props[KEY_PROP]), int(_props.get(GENERATION_PROP) or 0)
        tag = tag_value(key, gen)
        recorded = [str(m["instance_id"]) for m in _records(_props.get("instances"))]
        listed = [i.id for i in listed_with_tag(client, region, tag)]
        ids = list(dict.fromkeys([*recorded, *listed]))
        live = set(listed)
        missing = [i for i in recorded if i not in live]
        if missing:
            say(label, f"{len(missing)} member(s) already gone: " + ids_text(missing))
        targets = [i for i in ids if i in live]
        if targets:
            unsubscribe_members(
                client,
                targets,
                region=region,
                tag=tag,
                label=label,
                timeout=float(_props.get("order_timeout") or 1800),
            )


def _report_drift(
    inputs: dict[str, Any],
    props: Mapping[str, Any],
    members: Sequence[Mapping[str, Any]],
    label: str,
) -> None:
    """Report power-state and server-name drift; write a uniform observed power state into
    the inputs so that the next ``up`` shows and fixes it."""
    want = props.get("power_state")
    powers = {_power(m) for m in members} - {None}
    off = [m for m in members if want in (RUNNING, STOPPED) and _power(m) not in (None, want)]
    if off:
        say(
            label,
            f"drift: {len(off)} member(s) not {want}: " + ids_text([str(m["name"]) for m in off]),
        )
        if len(powers) == 1:
            inputs["power_state"] = powers.pop()
    base = props.get("server_name")
    if isinstance(base, str) and base:
        renamed = [
            m for m in members if m.get("server_name") != member_server_name(base, int(m["index"]))
        ]
        if renamed:
            say(
                label,
                f"drift: {len(renamed)} server name(s) differ from {base}-N: "
                + ids_text([f"{m['server_name']!r}" for m in renamed]),
            )


# -- the resource ------------------------------------------------------------------------


@dataclass
class InstanceGroupArgs(InstanceArgs):
    """Inputs of :class:`InstanceGroup`: every :class:`InstanceArgs` input (documented in
    :data:`flexus_pulumi.providers.inputs.PROPERTIES`, defaults there) plus ``count``
    (required, keyword-only: 1 or more) and ``remove_members`` (default None: instance ids
    to unsubscribe first when ``count`` goes down; otherwise the newest go first)."""

    count: pulumi.Input[int] = field(kw_only=True)
    remove_members: pulumi.Input[Sequence[pulumi.Input[str]]] | None = field(
        default=None, kw_only=True
    )

    def to_props(self) -> dict[str, Any]:
        """The inputs as a property dict (unset ones omitted, the password kept secret)."""
        props = super().to_props()
        props["count"] = self.count
        if self.remove_members is not None:
            props[REMOVE_MEMBERS] = self.remove_members
        return props


class InstanceGroup(Resource, module="flexus", name="InstanceGroup"):
    """``count`` identical Flexus L instances bought in one order (see the module docs).

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
    spec: pulumi.Output[dict[str, Any]]
    scale_serial: pulumi.Output[int]

    def __init__(
        self,
        resource_name: str,
        args: InstanceGroupArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props, options = purchase_registration(
            args.to_props(), "flexus:InstanceGroup", resource_name, GROUP_OUTPUTS, opts
        )
        super().__init__(InstanceGroupProvider(), resource_name, props, options)
