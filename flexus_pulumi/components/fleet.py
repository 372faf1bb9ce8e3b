"""``Fleet``: a declarative fleet spec (see :mod:`.fleet_spec`) turned into resources.

::

    from flexus_pulumi import Fleet, members_table

    fleet = Fleet.from_config()           # reads the structured stack config flexus:fleet
    pulumi.export("members", fleet.members)
    pulumi.export("table", fleet.members.apply(members_table))

with the spec set as structured config::

    pulumi config set --path 'flexus:fleet.defaults.plan_spec' hf.large.1.30m.linux
    pulumi config set --path 'flexus:fleet.defaults.image.name' WordPress
    pulumi config set --path 'flexus:fleet.defaults.image.version' 6.4
    pulumi config set --path 'flexus:fleet.groups.web.count' 12
    pulumi config set --path --secret 'flexus:fleet.defaults.admin_password' '…'

or from Python: typed, as keyword arguments or a :class:`FleetSpec` (a type checker sees
every field), or as a dict::

    Fleet("prod", defaults=MemberDefaults(plan_spec=PlanSpec.HF_LARGE_1_30M_LINUX,
                                          image=ImageSpec(name="Ubuntu", version="22.04")),
          groups={"web": GroupSpec(count=12)})
    Fleet("prod", FleetSpec(defaults=..., groups={...}), opts)
    Fleet("prod", {"defaults": {...}, "groups": {...}})

The whole spec is validated first; when anything is wrong, :class:`FleetSpecError` lists
every problem with its path and **no resource is registered**. Then the component
``flexus:index:Fleet`` registers, parented to itself:

- for a group of kind ``group``: one :class:`~flexus_pulumi.providers.group.InstanceGroup`
  named ``{fleet}-{group}`` (``count`` members, one order);
- for kind ``servers``: ``count`` :class:`~flexus_pulumi.components.server.Server`
  components named ``{fleet}-{group}-{i}`` (i = 1…count), with instance names
  ``{name}-{i:04d}`` — as the API names the members of a group's order — and, when set,
  server names ``{server_name}-{i}`` and hostnames ``{hostname}-{i}``, as a group's.

Outputs: ``members`` — one :class:`~flexus_pulumi.FleetMember` (``group``, ``name``,
``server_name``, ``public_ip``, ``instance_id``) per instance (``name`` as bought,
``server_name`` as ECS shows it now), by
group in spec order, each group's oldest first — and ``groups`` — ``{group: {kind,
count, instance_ids}}``. :func:`members_table` renders ``members`` for ``pulumi.export``.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping, Sequence
from typing import Any, overload

import pulumi
from pydantic import BaseModel

from flexus_pulumi.args import InstanceArgs, InstanceGroupArgs
from flexus_pulumi.common import FLEET
from flexus_pulumi.outputs import FleetMember, GroupMember
from flexus_pulumi.providers.group import InstanceGroup
from flexus_pulumi.schema.instance_rules import member_name

from .fleet_fields import MemberDefaults
from .fleet_spec import FleetSpec, GroupSpec, configured_region, parse_fleet_spec

FLEET_TYPE = FLEET.token
#: Columns of :func:`members_table`: member key → heading.
TABLE_COLUMNS = {
    "group": "group",
    "name": "name",
    "server_name": "server",
    "public_ip": "public IP",
    "instance_id": "instance id",
}


def _server_class() -> Any:
    """``flexus_pulumi.components.server.Server``, imported when first needed."""
    return importlib.import_module("flexus_pulumi.components.server").Server


def _group_rows(group: str, instances: Sequence[GroupMember] | None) -> list[FleetMember]:
    return [
        FleetMember(
            group=group,
            name=member.get("name"),
            server_name=member.get("server_name"),
            public_ip=member.get("public_ip"),
            instance_id=member.get("instance_id"),
        )
        for member in instances or []
    ]


def _server_rows(group: str, values: dict[str, Any]) -> list[FleetMember]:
    return [FleetMember(group=group, **values)]


def _flatten(parts: list[list[FleetMember]]) -> list[FleetMember]:
    return [row for part in parts for row in part]


def _fleet_call(
    name: str, args: Sequence[Any], kwargs: dict[str, Any]
) -> tuple[Any, pulumi.ResourceOptions | None, str | None]:
    """The spec, options and default region of a ``Fleet(...)`` call, in either form."""
    given = dict(kwargs)
    default_region = given.pop("default_region", None)
    groups, defaults = given.pop("groups", None), given.pop("defaults", None)
    positional = list(args)
    spec = given.pop("spec", None)
    if positional and not isinstance(positional[0], pulumi.ResourceOptions | None):
        spec = positional.pop(0)
    opts = positional.pop(0) if positional else given.pop("opts", None)
    unexpected = [*given, *([f"{len(positional)} more positional"] if positional else [])]
    if unexpected:
        raise TypeError(
            f"Fleet {name!r}: unexpected arguments: {', '.join(unexpected)} (it takes a spec, "
            "opts, and default_region; or groups= and defaults= instead of the spec)"
        )
    if opts is not None and not isinstance(opts, pulumi.ResourceOptions):
        raise TypeError(f"Fleet {name!r}: opts is a pulumi.ResourceOptions")
    if spec is None:
        if groups is None:
            raise TypeError(
                f"Fleet {name!r}: give a spec (a FleetSpec or a dict), or groups= (and "
                "defaults=) as keyword arguments"
            )
        spec = _spec_data(defaults, groups)
    elif groups is not None or defaults is not None:
        raise TypeError(f"Fleet {name!r}: give either a spec or groups=/defaults=, not both")
    return spec, opts, default_region


def _spec_data(
    defaults: MemberDefaults | Mapping[str, Any] | None,
    groups: Mapping[str, GroupSpec | Mapping[str, Any]] | None,
) -> dict[str, Any]:
    """The keyword form's spec as a dict, validated as one (every problem at once)."""

    def plain(value: Any) -> Any:
        if isinstance(value, BaseModel):
            return value.model_dump(exclude_unset=True)
        return value

    data: dict[str, Any] = {"groups": {k: plain(v) for k, v in (groups or {}).items()}}
    if defaults is not None:
        data["defaults"] = plain(defaults)
    return data


class Fleet(pulumi.ComponentResource):
    """A fleet of Flexus L instances from a spec (see the module docs).

    :param name: the component's name; children are named ``{name}-{group}…``.
    :param spec: a :class:`FleetSpec` or a dict in its shape — or, instead, ``defaults``
        (a :class:`MemberDefaults`) and ``groups`` (:class:`GroupSpec` by name) as keyword
        arguments.
    :param opts: resource options of the component.
    :param default_region: region of groups that set none. Default: stack config
        ``flexus:region``, else ``HW_REGION_NAME`` (what the provider uses).
    :raises FleetSpecError: listing every problem, before anything is registered.
    """

    spec: FleetSpec
    #: The children by group: an InstanceGroup (kind group) or a list of Servers.
    resources: dict[str, Any]
    members: pulumi.Output[list[FleetMember]]
    groups: pulumi.Output[dict[str, dict[str, Any]]]

    @overload
    def __init__(
        self,
        name: str,
        spec: FleetSpec | Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
        *,
        default_region: str | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        groups: Mapping[str, GroupSpec | Mapping[str, Any]],
        defaults: MemberDefaults | Mapping[str, Any] | None = None,
        default_region: str | None = None,
    ) -> None: ...

    def __init__(self, name: str, *args: Any, **kwargs: Any) -> None:
        """``Fleet(name, spec, opts=None, *, default_region=None)`` or ``Fleet(name,
        opts=None, *, groups=…, defaults=…, default_region=None)``."""
        spec, opts, default_region = _fleet_call(name, args, kwargs)
        self.spec = parse_fleet_spec(spec, default_region=default_region or configured_region())
        super().__init__(FLEET_TYPE, name, {}, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.resources = {}
        rows: list[pulumi.Output[list[FleetMember]]] = []
        summary: dict[str, Any] = {}
        for group, group_spec in self.spec.groups.items():
            inputs = self.spec.inputs_of(group)
            if group_spec.kind == "group":
                made = InstanceGroup(
                    f"{name}-{group}",
                    InstanceGroupArgs(
                        **inputs,
                        count=group_spec.count,
                        remove_members=group_spec.remove_members,
                        max_count=group_spec.max_count,
                    ),
                    child,
                )
                self.resources[group] = made
                rows.append(made.instances.apply(functools.partial(_group_rows, group)))
                ids: Any = made.instance_ids
            else:
                servers = self._servers(name, group, inputs, group_spec.count, child)
                self.resources[group] = servers
                rows += [
                    pulumi.Output.all(
                        name=s.instance.instance_name,
                        server_name=s.instance.actual_server_name,
                        public_ip=s.public_ip,
                        instance_id=s.instance_id,
                    ).apply(functools.partial(_server_rows, group))
                    for s in servers
                ]
                ids = pulumi.Output.all(*[s.instance_id for s in servers])
            summary[group] = {
                "kind": group_spec.kind,
                "count": group_spec.count,
                "instance_ids": ids,
            }
        self.members = pulumi.Output.all(*rows).apply(_flatten)
        self.groups = pulumi.Output.from_input(summary)
        self.register_outputs({"members": self.members, "groups": self.groups})

    def _servers(
        self,
        name: str,
        group: str,
        inputs: Mapping[str, Any],
        count: int,
        child: pulumi.ResourceOptions,
    ) -> list[Any]:
        server_class = _server_class()
        servers = []
        for index in range(1, count + 1):
            own = dict(inputs)
            own["name"] = f"{inputs['name']}-{index:04d}"
            if own.get("server_name"):
                own["server_name"] = member_name(str(own["server_name"]), index)
            if own.get("hostname"):
                own["hostname"] = member_name(str(own["hostname"]), index)
            servers.append(server_class(f"{name}-{group}-{index}", InstanceArgs(**own), child))
        return servers

    @classmethod
    def from_config(
        cls,
        name: str = "fleet",
        *,
        key: str = "fleet",
        namespace: str = "flexus",
        opts: pulumi.ResourceOptions | None = None,
    ) -> Fleet:
        """The fleet in structured stack config ``{namespace}:{key}`` (default
        ``flexus:fleet``), as the component ``name`` (default ``"fleet"``)."""
        data = pulumi.Config(namespace).require_object(key)
        return cls(name, data, opts)


def members_table(members: Sequence[Mapping[str, Any]]) -> str:
    """``members`` (a Fleet's ``members`` output: ``FleetMember`` values) as a Markdown
    table whose columns are also aligned as plain text: group, name (as bought), server (its
    name now), public IP, instance id."""
    header = list(TABLE_COLUMNS.values())
    rows = [
        ["" if member.get(key) is None else str(member.get(key)) for key in TABLE_COLUMNS]
        for member in members
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


__all__ = ["Fleet", "members_table"]
