"""``Instance``: one Flexus L instance — bought on create, changed through ECS, unsubscribed
on delete. Type token ``pulumi-python:dynamic/flexus:Instance``.

Lifecycle:

- **check** validates every rule of the vendor's tables at once, each failure naming the
  property and a valid value; fills the documented defaults (see
  :data:`~flexus_pulumi.providers.inputs.PROPERTIES`); coerces wire floats to ints.
- **diff** is exact: ``replaces`` lists only the properties no API can change on a bought
  instance (spec, image, region, extras, ``replace_trigger``); ECS-managed ones update in
  place; purchase-only ones (period, auto-renew, auto-pay, tags, description, name) change
  nothing.
- **create** adopts an instance an earlier attempt bought (see :mod:`.adoption`) or buys
  one, waits for the order with progress lines, then applies server name, description,
  hostname, password and power state.
- **read** (refresh) reads Config and ECS; a vanished instance leaves the state; drift of
  server name, description, hostname and power state is reported and written back into the
  inputs.
- **update** modifies the server, resets the password, starts/stops/reboots as asked.
- **delete** unsubscribes the instance (its data disk, backup, host security and EIP go
  with it) and waits until it is gone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
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

from flexus_pulumi.cloud import ConfigResource, FlexusClient
from flexus_pulumi.cloud.errors import FlexusError, NotFoundError

from . import settings
from .adoption import ADOPTION_TAG, GENERATION_PROP, KEY_PROP, generation, resource_key, tag_value
from .converge import converge
from .fingerprints import password_unchanged
from .inputs import PROPERTIES, diff_inputs, is_unknown, normalize
from .lifecycle import buy, unsubscribe
from .listing import find_instance
from .outputs import INSTANCE_OUTPUTS, instance_outputs
from .progress import say
from .server_ops import power_state_of

TYPE_TOKEN = "pulumi-python:dynamic/flexus:Instance"  # noqa: S105 - a type token


def split_inputs(news: Mapping[str, Any]) -> dict[str, Any]:
    """The user inputs of ``news``: without the output placeholders a Resource registers."""
    return {k: v for k, v in news.items() if k not in INSTANCE_OUTPUTS}


ADOPT_PROP = "adopt_instance_id"
INSTANCE_ID_RE = re.compile(r"^[0-9a-f]{24}$")


def check_resource(
    olds: Mapping[str, Any], news: Mapping[str, Any], *, group: bool = False
) -> CheckResult:
    """``check`` of every purchase-backed resource: normalise, validate, bump generation.
    ``Instance`` also takes ``adopt_instance_id`` (see :class:`InstanceArgs`)."""
    given = split_inputs(news)
    adopt = None if group else given.pop(ADOPT_PROP, None)
    inputs, problems = normalize(
        given,
        default_region=settings.default_region(),
        group=group,
        reserved_tag_keys=(ADOPTION_TAG,),
    )
    forced = bool(olds) and bool(diff_inputs(olds, inputs, group=group).replaces)
    inputs[GENERATION_PROP] = generation(olds, forced)
    failures = [CheckFailure(p.field, p.message) for p in problems]
    if adopt is not None:
        inputs[ADOPT_PROP] = adopt
        if not is_unknown(adopt) and not INSTANCE_ID_RE.match(str(adopt)):
            failures.append(
                CheckFailure(ADOPT_PROP, f"{adopt!r} is not an instance id (24 hex digits)")
            )
    if not inputs.get(KEY_PROP):
        failures.append(
            CheckFailure(KEY_PROP, "is missing: create resources with flexus_pulumi's classes")
        )
    return CheckResult(inputs, failures)


class InstanceProvider(settings.ConfiguredProvider):
    """The dynamic provider behind :class:`Instance`. Holds no attributes: credentials come
    from ``configure()`` (stack config) or the environment, see :mod:`.settings`."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return check_resource(_olds, news)

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        same_password = password_unchanged(_olds, _news)
        change = diff_inputs(_olds, _news, secret_matches={"admin_password": same_password})
        # A hostname waiting for a reboot, now that a reboot is allowed, is a change too.
        reboot_due = bool(_olds.get("hostname_pending")) and bool(_news.get("reboot_for_changes"))
        return DiffResult(
            changes=bool(change.changed) or reboot_due,
            replaces=list(change.replaces),
            delete_before_replace=False,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        label = str(props.get("name"))
        client = settings.client(props["region"])
        key, gen = str(props[KEY_PROP]), int(props[GENERATION_PROP])
        if props.get(ADOPT_PROP):
            instance = _adopt_existing(client, props, tag_value(key, gen), label)
        else:
            [instance] = buy(
                client,
                props,
                quantity=1,
                tag=tag_value(key, gen),
                key=key,
                generation=gen,
                purpose="create",
                label=label,
            )
        server = client.get_server(str(instance.server_id))
        done = converge(client, server, props, {}, label=label, creating=True)
        outs = instance_outputs(
            props,
            instance,
            done.server,
            fingerprint=done.fingerprint,
            hostname_pending=done.hostname_pending,
        )
        return CreateResult(instance.id, outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        label = str(props.get("name") or id_)
        client = settings.client(props.get("region"))
        try:
            instance = find_instance(client, props.get("region"), id_)
            if instance.deleted or not instance.server_id:
                raise NotFoundError(404, "", f"instance {id_} is deleted")
            server = client.get_server(instance.server_id)
        except NotFoundError:
            say(label, f"instance {id_} no longer exists: removing it from the state")
            return ReadResult(None, {})
        inputs = {
            k: props[k] for k in (*PROPERTIES, ADOPT_PROP, KEY_PROP, GENERATION_PROP) if k in props
        }
        _sync_drift(inputs, props, server, label)
        outs = instance_outputs(
            {**props, **inputs},
            instance,
            server,
            fingerprint=props.get("admin_password_fingerprint"),
            hostname_pending=bool(props.get("hostname_pending"))
            and server.hostname != props.get("hostname"),
        )
        return ReadResult(id_, outs, inputs)

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        label = str(_news.get("name") or _id)
        client = settings.client(_news["region"])
        instance = client.get_instance(_id)
        server = client.get_server(str(instance.server_id))
        done = converge(client, server, _news, _olds, label=label)
        outs = instance_outputs(
            _news,
            instance,
            done.server,
            fingerprint=done.fingerprint,
            hostname_pending=done.hostname_pending,
        )
        return UpdateResult(outs)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        client = settings.client(_props.get("region"))
        unsubscribe(
            client,
            [_id],
            label=str(_props.get("name") or _id),
            timeout=float(_props.get("order_timeout") or 1800),
        )


def _adopt_existing(
    client: FlexusClient, props: Mapping[str, Any], tag: str, label: str
) -> ConfigResource:
    """The instance ``adopt_instance_id`` names, once checked to match the inputs."""
    instance_id = str(props[ADOPT_PROP])
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
    owner = instance.tags.get(ADOPTION_TAG)
    if owner and owner != tag:
        problems.append("another resource of a Pulumi stack manages it")
    if problems:
        raise FlexusError(f"adopt_instance_id: cannot adopt {instance_id}: " + "; ".join(problems))
    say(label, f"adopting existing instance {instance_id} (nothing is bought)")
    return instance


def _sync_drift(inputs: dict[str, Any], props: Mapping[str, Any], server: Any, label: str) -> None:
    """Report drift of ECS-managed properties and write the observed values into inputs."""
    observed = {
        "server_name": server.name,
        "server_description": server.description or "",
        "power_state": power_state_of(server),
    }
    pending = bool(props.get("hostname_pending"))
    if not pending:
        observed["hostname"] = server.hostname
    for key, value in observed.items():
        wanted = props.get(key)
        if wanted is None or value is None or wanted == value:
            continue
        say(label, f"drift: {key} is {value!r} in the cloud, {wanted!r} in the program")
        inputs[key] = value


def client_for(region: str | None = None) -> FlexusClient:
    """The client providers use (stack config first, then the environment)."""
    return settings.client(region)


@dataclass
class ImageArgs:
    """An image: ``name`` + ``version`` of an app or system image (e.g. ``WordPress`` /
    ``6.4``, ``Ubuntu`` / ``22.04``), or ``id`` of a private image."""

    name: pulumi.Input[str] | None = None
    version: pulumi.Input[str] | None = None
    id: pulumi.Input[str] | None = None

    def to_props(self) -> dict[str, Any]:
        """The image as the provider reads it."""
        return {
            k: v
            for k, v in (("name", self.name), ("version", self.version), ("id", self.id))
            if v is not None
        }


@dataclass
class InstanceArgs:
    """Inputs of :class:`Instance`; each is documented in
    :data:`flexus_pulumi.providers.inputs.PROPERTIES` (defaults there).

    ``adopt_instance_id`` (default None) brings an instance bought elsewhere (console,
    scripts) under management instead of buying one: create checks that its region and
    spec match and that no other Pulumi resource bought it (an adopted instance carries
    no mark: do not adopt one instance in two stacks). A later change of it does
    nothing. Delete unsubscribes the adopted instance like any other (use Pulumi's
    ``retain_on_delete`` to keep it)."""

    name: pulumi.Input[str]
    plan_spec: pulumi.Input[str]
    image: ImageArgs | pulumi.Input[Mapping[str, str]]
    region: pulumi.Input[str] | None = None
    description: pulumi.Input[str] | None = None
    period_type: pulumi.Input[str] | None = None
    period_num: pulumi.Input[int] | None = None
    auto_renew: pulumi.Input[bool] | None = None
    auto_pay: pulumi.Input[bool] | None = None
    data_disk_size: pulumi.Input[int] | None = None
    backup_size: pulumi.Input[int] | None = None
    host_security: pulumi.Input[bool] | None = None
    tags: pulumi.Input[Mapping[str, str]] | None = None
    hostname: pulumi.Input[str] | None = None
    server_name: pulumi.Input[str] | None = None
    server_description: pulumi.Input[str] | None = None
    power_state: pulumi.Input[str] | None = None
    admin_password: pulumi.Input[str] | None = None
    reboot_for_changes: pulumi.Input[bool] | None = None
    replace_trigger: pulumi.Input[str] | None = None
    adopt_instance_id: pulumi.Input[str] | None = None
    order_timeout: pulumi.Input[int] | None = None
    action_timeout: pulumi.Input[int] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_props(self) -> dict[str, Any]:
        """The inputs as a property dict (unset ones omitted, the password kept secret)."""
        props: dict[str, Any] = {}
        for key in (*PROPERTIES, ADOPT_PROP):
            value = getattr(self, key, None)
            if isinstance(value, ImageArgs):
                value = value.to_props()
            if value is not None:
                props[key] = value
        if "admin_password" in props:
            props["admin_password"] = pulumi.Output.secret(props["admin_password"])
        props.update(self.extra)
        return props


def adoption_props(
    type_name: str, resource_name: str, opts: pulumi.ResourceOptions | None
) -> dict[str, Any]:
    """The adoption key of a resource about to be registered (see :mod:`.adoption`)."""
    parent = (
        getattr(opts.parent, "_name", "") if opts is not None and opts.parent is not None else ""
    )
    key = resource_key(
        pulumi.get_project(), pulumi.get_stack(), type_name, resource_name, str(parent)
    )
    return {KEY_PROP: key, GENERATION_PROP: None}


def purchase_registration(
    props: dict[str, Any],
    type_name: str,
    resource_name: str,
    outputs: Iterable[str],
    opts: pulumi.ResourceOptions | None,
) -> tuple[dict[str, Any], pulumi.ResourceOptions]:
    """Props and options for registering a purchase-backed resource: its adoption key,
    a placeholder for every output, and ``admin_password`` kept secret in outputs."""
    props = {**props, **adoption_props(type_name, resource_name, opts)}
    for out in outputs:
        props.setdefault(out, None)
    secret = pulumi.ResourceOptions(additional_secret_outputs=["admin_password"])
    return props, pulumi.ResourceOptions.merge(opts, secret)


class Instance(Resource, module="flexus", name="Instance"):
    """A Flexus L instance bought on ``pulumi up`` and unsubscribed on ``pulumi destroy``.

    ``Instance("web", InstanceArgs(name="web", plan_spec="hf.large.1.30m.linux",
    image=ImageArgs("WordPress", "6.4"), region="ap-southeast-3"))``
    """

    instance_id: pulumi.Output[str]
    instance_name: pulumi.Output[str]
    order_id: pulumi.Output[str]
    server_id: pulumi.Output[str]
    public_ip: pulumi.Output[str]
    private_ip: pulumi.Output[str]
    traffic_package_id: pulumi.Output[str]
    data_disk_id: pulumi.Output[str | None]
    backup_vault_id: pulumi.Output[str | None]
    host_security_id: pulumi.Output[str | None]
    status: pulumi.Output[str]
    actual_server_name: pulumi.Output[str]
    actual_hostname: pulumi.Output[str]
    hostname_pending: pulumi.Output[bool]
    spec: pulumi.Output[dict[str, Any]]

    def __init__(
        self,
        resource_name: str,
        args: InstanceArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props, options = purchase_registration(
            args.to_props(), "flexus:Instance", resource_name, INSTANCE_OUTPUTS, opts
        )
        super().__init__(InstanceProvider(), resource_name, props, options)
