"""``DataDisk``, ``BackupVault``, ``HostSecurity``: the extras an instance was bought with.

They are bought and unsubscribed *with* their instance (the API sells them as one
bundle), so these resources only find and expose them: create looks the extra up in the
instance's Config entry; delete does nothing (the instance's unsubscribe removes it); any
change replaces it, as it replaces the instance.
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
)

from flexus_pulumi import catalog
from flexus_pulumi.cloud.errors import FlexusError, NotFoundError

from . import settings
from .inputs import is_unknown
from .progress import say

KIND_NAMES = {"evs": "data disk", "cbr": "backup vault", "hss": "host security"}
KIND_INPUTS = {"evs": "data_disk_size", "cbr": "backup_size", "hss": "host_security"}


class ExtraProvider(settings.ConfiguredProvider):
    """Finds an instance's extra (``kind`` evs/cbr/hss) and reports its id and size."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures = []
        kind = news.get("kind")
        if kind not in KIND_NAMES:
            failures.append(CheckFailure("kind", f"{kind!r}: use evs, cbr or hss"))
        if not news.get("instance_id"):
            failures.append(CheckFailure("instance_id", "is required"))
        size = news.get("size")
        inputs = dict(news)
        if kind in ("evs", "cbr") and not is_unknown(size):
            number = catalog.as_int(size)
            low, high = catalog.EXTRA_SIZE_RANGE
            if number is None or not low <= number <= high:
                failures.append(CheckFailure("size", f"{size!r} is out of range: {low}-{high} GiB"))
            else:
                inputs["size"] = number
        if inputs.get("region") is None:
            inputs["region"] = settings.default_region()
        return CheckResult(inputs, failures)

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        changed = [k for k in ("kind", "instance_id", "size") if _olds.get(k) != _news.get(k)]
        return DiffResult(changes=bool(changed), replaces=changed, delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        kind, instance_id = str(props["kind"]), str(props["instance_id"])
        instance = settings.client(props.get("region")).get_instance(instance_id)
        extra = instance.find_extra(kind)
        if extra is None:
            raise FlexusError(
                f"instance {instance_id} has no {KIND_NAMES[kind]}: it is bought with the "
                f"instance ({KIND_INPUTS[kind]}), which then needs replacing"
            )
        outs = {**props, "extra_id": extra.id, "size": extra.size or props.get("size")}
        return CreateResult(extra.id, outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        try:
            instance = settings.client(props.get("region")).get_instance(str(props["instance_id"]))
        except NotFoundError:
            return ReadResult(None, {})
        extra = instance.find_extra(str(props.get("kind")))
        if extra is None or extra.id != id_ or instance.deleted:
            return ReadResult(None, {})
        return ReadResult(
            id_, {**props, "extra_id": extra.id, "size": extra.size or props.get("size")}
        )

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        kind = KIND_NAMES.get(str(_props.get("kind")), "extra")
        say(str(_props.get("instance_id")), f"{kind} {_id} goes with its instance's unsubscribe")


class _Extra(Resource):
    extra_id: pulumi.Output[str]
    size: pulumi.Output[int | None]
    instance_id: pulumi.Output[str]
    kind: pulumi.Output[str]

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
    """The data disk (evs) an instance was bought with: ``extra_id`` and ``size`` (GiB)."""

    extra_kind = "evs"


class BackupVault(_SizedExtra, module="flexus", name="BackupVault"):
    """The backup vault (cbr) an instance was bought with: ``extra_id`` and ``size`` (GiB)."""

    extra_kind = "cbr"


class HostSecurity(_Extra, module="flexus", name="HostSecurity"):
    """The host security (hss) an instance was bought with: ``extra_id``."""

    def __init__(
        self,
        resource_name: str,
        instance_id: pulumi.Input[str],
        region: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, "hss", instance_id, None, region, opts)
