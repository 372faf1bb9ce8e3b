"""``DataDisk``, ``BackupVault``, ``HostSecurity``: the extras an instance was bought with.

They are bought and unsubscribed *with* their instance (the API sells them as one bundle),
so these resources only find and expose them: create looks the extra up in the instance's
Config entry; delete does nothing (the instance's unsubscribe removes it); any change
replaces it, as it replaces the instance. Config may not list an instance's extras at all:
then the extra's id stays unknown (``extra_id`` None) and the resource says so, rather
than failing or guessing; when Config lists some of its extras but not this one, the
instance was bought without it, and create fails saying so.

Inputs (see :mod:`flexus_pulumi.schema.others`): ``instance_id`` (required), ``size``
(GiB, data disk and backup vault only) and ``region`` (default ``flexus:region``).
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, Resource

from flexus_pulumi import catalog
from flexus_pulumi.cloud.errors import FlexusError, NotFoundError
from flexus_pulumi.common import is_unknown
from flexus_pulumi.engine.progress import say
from flexus_pulumi.schema.others import HOST_SECURITY_SCHEMA, SIZED_EXTRA_SCHEMA
from flexus_pulumi.schema.validate import normalize

from . import settings

KIND_NAMES = {"evs": "data disk", "cbr": "backup vault", "hss": "host security"}
KIND_INPUTS = {"evs": "data_disk_size", "cbr": "backup_size", "hss": "host_security"}
OUTPUTS = ("extra_id",)


class ExtraProvider(settings.ConfiguredProvider):
    """Finds an instance's extra (``kind`` evs/cbr/hss) and reports its id and size."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        kind = news.get("kind")
        if kind not in KIND_NAMES:
            return CheckResult(dict(news), [CheckFailure("kind", f"{kind!r}: use evs, cbr or hss")])
        schema = HOST_SECURITY_SCHEMA if kind == "hss" else SIZED_EXTRA_SCHEMA
        given = {k: v for k, v in news.items() if k not in ("kind", *OUTPUTS)}
        if kind == "hss":
            given.pop("size", None)
        found = normalize(schema, given)
        failures = [CheckFailure(p.field, p.message) for p in found.problems]
        size = found.inputs.get("size")
        if kind != "hss" and found.known("size") and size is not None:
            failures += [
                CheckFailure(p.field, p.message)
                for p in catalog.check_extra_size(size, "size", kind)
            ]
        inputs = {**found.inputs, **found.hidden, "kind": kind}
        if inputs.get("region") is None:
            inputs["region"] = settings.default_region()
        return CheckResult(inputs, failures)

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        changed = [
            k
            for k in ("kind", "instance_id", "size", "region")
            if is_unknown(_news.get(k)) or _olds.get(k) != _news.get(k)
        ]
        return DiffResult(changes=bool(changed), replaces=changed, delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        outs = self._find(props)
        return CreateResult(
            str(outs["extra_id"] or f"{props['instance_id']}/{props['kind']}"), outs
        )

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        try:
            outs = self._find(props)
        except NotFoundError:
            return ReadResult(None, {})
        if outs.get("gone"):
            return ReadResult(None, {})
        outs.pop("gone", None)
        return ReadResult(id_, outs)

    @staticmethod
    def _find(props: dict[str, Any]) -> dict[str, Any]:
        kind, instance_id = str(props["kind"]), str(props["instance_id"])
        client = settings.client(props.get("region"))
        instance = client.get_instance(instance_id)
        extra = instance.find_extra(kind)
        outs = {**props, "extra_id": extra.id if extra else None}
        if extra is None and kind == "evs" and not instance.extras and instance.server_id:
            # Config lists no extras at all: the server's attached volumes still show a disk
            volumes = client.get_server(instance.server_id).data_volume_ids
            if volumes:
                return {**outs, "extra_id": volumes[0]}
        if extra is not None and extra.size:
            outs["size"] = extra.size
        if instance.deleted:
            outs["gone"] = True
        elif extra is None and instance.extras:
            # Config lists this instance's extras, and not this one: it was not bought.
            raise FlexusError(
                f"instance {instance_id} has no {KIND_NAMES[kind]}: it is bought with the "
                f"instance ({KIND_INPUTS[kind]}), which then needs replacing"
            )
        elif extra is None:
            say(
                instance_id,
                f"Config lists no {KIND_NAMES[kind]} for instance {instance_id}: its id stays "
                f"unknown (it was bought with the instance: {KIND_INPUTS[kind]})",
            )
        return outs

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        kind = KIND_NAMES.get(str(_props.get("kind")), "extra")
        say(str(_props.get("instance_id")), f"{kind} {_id} goes with its instance's unsubscribe")


class _Extra(Resource):
    extra_id: pulumi.Output[str | None]
    size: pulumi.Output[int | None]
    instance_id: pulumi.Output[str]
    kind: pulumi.Output[str]
    region: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        kind: str,
        instance_id: pulumi.Input[str],
        size: pulumi.Input[int] | None,
        region: pulumi.Input[str] | None,
        opts: pulumi.ResourceOptions | None,
    ) -> None:
        props = {"kind": kind, "instance_id": instance_id, "size": size, "region": region}
        props["extra_id"] = None
        super().__init__(ExtraProvider(), resource_name, props, opts)


class _SizedExtra(_Extra):
    """An extra bought with a size in GiB; ``extra_kind`` is its API type."""

    extra_kind = ""

    def __init__(
        self,
        resource_name: str,
        instance_id: pulumi.Input[str],
        size: pulumi.Input[int],
        region: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, self.extra_kind, instance_id, size, region, opts)


class DataDisk(_SizedExtra, module="flexus", name="DataDisk"):
    """The data disk (evs) an instance was bought with: ``extra_id`` and ``size`` (GiB).
    ``DataDisk(name, instance_id, size, region=None, opts=None)``."""

    extra_kind = "evs"


class BackupVault(_SizedExtra, module="flexus", name="BackupVault"):
    """The backup vault (cbr) an instance was bought with: ``extra_id`` and ``size`` (GiB).
    ``BackupVault(name, instance_id, size, region=None, opts=None)``."""

    extra_kind = "cbr"


class HostSecurity(_Extra, module="flexus", name="HostSecurity"):
    """The host security (hss) an instance was bought with: ``extra_id``.
    ``HostSecurity(name, instance_id, region=None, opts=None)``."""

    def __init__(
        self,
        resource_name: str,
        instance_id: pulumi.Input[str],
        region: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, "hss", instance_id, None, region, opts)
