"""``DataDisk``, ``BackupVault``, ``HostSecurity``: the extras an instance was bought with.

They are bought and unsubscribed *with* their instance (the API sells them as one bundle),
and their instance already reads them from the cloud: ``Instance.data_disk_id``,
``backup_vault_id`` and ``host_security_id`` (from Config's bundle, else the server's
attached volumes), and the sizes it was bought with. So these resources call no API at
all: they take their id and size from their instance's outputs (a ``Server`` passes them)
and record them; delete does nothing (the instance's unsubscribe removes the extra).

A refresh reads the instance, whose outputs then say what the cloud shows; an extra's own
refresh reads nothing and keeps what its instance said at the last ``up``. The next ``up``
(``pulumi up --refresh`` does both at once) brings the extra in line: an id Config lists
by then is recorded in place, and a new instance (bought again after it was unsubscribed
out of band, or replaced) replaces its extras with it. A refresh of a ``Server`` so costs
the API calls of its instance alone.

Inputs (see :mod:`flexus_pulumi.schema.others`): ``instance_id`` (required: the
instance's resource id), ``size`` (GiB, data disk and backup vault only), ``extra_id``
(the instance's output; None while Config lists none) and ``region`` (default
``flexus:region``). States written before the extras took ``extra_id`` load unchanged: a
preview compares the new input with the id they recorded.
"""

from __future__ import annotations

from typing import Any, overload

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
from flexus_pulumi.args import BackupVaultArgs, DataDiskArgs, HostSecurityArgs
from flexus_pulumi.common import is_unknown
from flexus_pulumi.engine.progress import say
from flexus_pulumi.enums import Region
from flexus_pulumi.schema.finite import refuse_non_finite
from flexus_pulumi.schema.others import HOST_SECURITY_SCHEMA, SIZED_EXTRA_SCHEMA
from flexus_pulumi.schema.validate import normalize

from . import settings
from .arguments import resource_inputs

KIND_NAMES = {"evs": "data disk", "cbr": "backup vault", "hss": "host security"}
KIND_INPUTS = {"evs": "data_disk_size", "cbr": "backup_size", "hss": "host_security"}
KIND_OUTPUTS = {"evs": "data_disk_id", "cbr": "backup_vault_id", "hss": "host_security_id"}
#: Inputs whose change replaces the extra: another instance is another extra.
REPLACING = ("kind", "instance_id")
#: Inputs recorded in place (no API call): the instance's outputs as they change.
RECORDED = ("extra_id", "size", "region")


class ExtraProvider(settings.ConfiguredProvider):
    """Records an instance's extra (``kind`` evs/cbr/hss) as its instance's outputs give
    it; calls no API (see the module docs)."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        kind = news.get("kind")
        if kind not in KIND_NAMES:
            return CheckResult(dict(news), [CheckFailure("kind", f"{kind!r}: use evs, cbr or hss")])
        schema = HOST_SECURITY_SCHEMA if kind == "hss" else SIZED_EXTRA_SCHEMA
        given = {k: v for k, v in news.items() if k != "kind"}
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
        replaces = [
            k for k in REPLACING if is_unknown(_news.get(k)) or _olds.get(k) != _news.get(k)
        ]
        if replaces:
            return DiffResult(changes=True, replaces=replaces, delete_before_replace=False)
        # The instance is the same: its extras are too. What it says of them is unknown
        # while it is updated in place (a preview): nothing to record until it is known.
        changed = [
            k
            for k in RECORDED
            if k in _news and not is_unknown(_news.get(k)) and _olds.get(k) != _news.get(k)
        ]
        return DiffResult(changes=bool(changed), replaces=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        extra_id = props.get("extra_id")
        if not extra_id:
            kind = str(props["kind"])
            say(
                str(props["instance_id"]),
                f"Config lists no {KIND_NAMES[kind]} for instance {props['instance_id']} yet "
                f"(it was bought with it: {KIND_INPUTS[kind]}): its id stays unknown until a "
                f"refresh of the instance finds it ({KIND_OUTPUTS[kind]}) and the next up "
                "records it",
            )
        return CreateResult(str(extra_id or f"{props['instance_id']}/{props['kind']}"), props)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        # Its instance's refresh reads the cloud; the extra follows at the next up.
        return ReadResult(id_, props)

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(_news)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        kind = KIND_NAMES.get(str(_props.get("kind")), "extra")
        say(str(_props.get("instance_id")), f"{kind} {_id} goes with its instance's unsubscribe")


class _Extra(Resource):
    """What the three extras share: ``kind`` (evs, cbr, hss), their Args class, their
    earlier positional form, and how they register."""

    kind: pulumi.Output[str]
    extra_kind = ""
    args_type: type[DataDiskArgs | BackupVaultArgs | HostSecurityArgs] = DataDiskArgs
    positional: tuple[str, ...] = ()

    def _register(self, resource_name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        kind = type(self).__name__
        given, opts = resource_inputs(
            kind, resource_name, self.args_type, args, kwargs, positional=self.positional
        )
        props: dict[str, Any] = {
            "kind": self.extra_kind,
            **dict.fromkeys(("instance_id", "size", "extra_id", "region")),
            **given.to_props(),
        }
        refuse_non_finite(kind, resource_name, props)
        super().__init__(ExtraProvider(), resource_name, props, opts)


class DataDisk(_Extra, module="flexus", name="DataDisk"):
    """The data disk (evs) an instance was bought with: ``extra_id`` and ``size`` (GiB), as
    the instance's outputs give them (a ``Server`` makes one for you)::

        DataDisk("web-disk", instance_id=web.id, size=web.data_disk_size,
                 extra_id=web.data_disk_id)
    """

    extra_kind = "evs"
    args_type = DataDiskArgs
    positional = ("instance_id", "size", "region", "opts")

    # --- generated: DataDisk (python -m flexus_pulumi.schema.codegen rewrites it) ---
    instance_id: pulumi.Output[str]
    """The instance the extra was bought with (a ``Server`` passes its instance's resource id)."""
    size: pulumi.Output[int]
    """Size in GiB (10-2048), as bought with the instance (a ``Server`` passes its instance's
    ``data_disk_size`` or ``backup_size``)."""
    region: pulumi.Output[str]
    """The instance's region (a ``Server`` passes its instance's)."""
    extra_id: pulumi.Output[str | None]
    """The extra's id; None while Config lists none for it."""

    @overload
    def __init__(
        self,
        resource_name: str,
        args: DataDiskArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        instance_id: pulumi.Input[str],
        size: pulumi.Input[int | None],
        extra_id: pulumi.Input[str | None] | None = None,
        region: pulumi.Input[Region | str] | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        instance_id: pulumi.Input[str],
        size: pulumi.Input[int | None],
        region: pulumi.Input[Region | str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        extra_id: pulumi.Input[str | None] | None = None,
    ) -> None: ...

    # --- end generated: DataDisk ---

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        self._register(resource_name, args, kwargs)


class BackupVault(_Extra, module="flexus", name="BackupVault"):
    """The backup vault (cbr) an instance was bought with: ``extra_id`` and ``size`` (GiB),
    as the instance's outputs give them (a ``Server`` makes one for you)::

        BackupVault("web-backup", instance_id=web.id, size=web.backup_size,
                    extra_id=web.backup_vault_id)
    """

    extra_kind = "cbr"
    args_type = BackupVaultArgs
    positional = ("instance_id", "size", "region", "opts")

    # --- generated: BackupVault (python -m flexus_pulumi.schema.codegen rewrites it) ---
    instance_id: pulumi.Output[str]
    """The instance the extra was bought with (a ``Server`` passes its instance's resource id)."""
    size: pulumi.Output[int]
    """Size in GiB (10-2048), as bought with the instance (a ``Server`` passes its instance's
    ``data_disk_size`` or ``backup_size``)."""
    region: pulumi.Output[str]
    """The instance's region (a ``Server`` passes its instance's)."""
    extra_id: pulumi.Output[str | None]
    """The extra's id; None while Config lists none for it."""

    @overload
    def __init__(
        self,
        resource_name: str,
        args: BackupVaultArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        instance_id: pulumi.Input[str],
        size: pulumi.Input[int | None],
        extra_id: pulumi.Input[str | None] | None = None,
        region: pulumi.Input[Region | str] | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        instance_id: pulumi.Input[str],
        size: pulumi.Input[int | None],
        region: pulumi.Input[Region | str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        extra_id: pulumi.Input[str | None] | None = None,
    ) -> None: ...

    # --- end generated: BackupVault ---

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        self._register(resource_name, args, kwargs)


class HostSecurity(_Extra, module="flexus", name="HostSecurity"):
    """The host security (hss) an instance was bought with: ``extra_id``, as the instance's
    outputs give it (a ``Server`` makes one for you)::

        HostSecurity("web-hss", instance_id=web.id, extra_id=web.host_security_id)
    """

    extra_kind = "hss"
    args_type = HostSecurityArgs
    positional = ("instance_id", "region", "opts")

    # --- generated: HostSecurity (python -m flexus_pulumi.schema.codegen rewrites it) ---
    instance_id: pulumi.Output[str]
    """The instance the extra was bought with (a ``Server`` passes its instance's resource id)."""
    region: pulumi.Output[str]
    """The instance's region (a ``Server`` passes its instance's)."""
    extra_id: pulumi.Output[str | None]
    """The extra's id; None while Config lists none for it."""

    @overload
    def __init__(
        self,
        resource_name: str,
        args: HostSecurityArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        instance_id: pulumi.Input[str],
        extra_id: pulumi.Input[str | None] | None = None,
        region: pulumi.Input[Region | str] | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        instance_id: pulumi.Input[str],
        region: pulumi.Input[Region | str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        extra_id: pulumi.Input[str | None] | None = None,
    ) -> None: ...

    # --- end generated: HostSecurity ---

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        self._register(resource_name, args, kwargs)


__all__ = ["BackupVault", "DataDisk", "HostSecurity"]
