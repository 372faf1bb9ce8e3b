"""Fleet definitions: defaults plus named groups, validated as a whole before anything is
registered.

A fleet spec, as a Python dict or as structured stack config::

    defaults:                       # every Instance input but name (all optional)
      region: ap-southeast-3
      plan_spec: hf.large.1.30m.linux
      image: {name: Ubuntu, version: "22.04"}
      period_type: month
      period_num: 1
      auto_renew: true
      data_disk_size: 20            # extras: data_disk_size, backup_size, host_security
      tags: {team: web}
    groups:
      web:                          # the group's key: resource names and default name
        count: 12                   # required, 1 or more
        kind: group                 # "group" (default): one InstanceGroup, one order;
                                    # "servers": count separate Server components
        image: {name: WordPress, version: "6.4"}
        tags: {tier: front}         # merged with the default tags (the group's win)
      db:
        count: 2
        kind: servers
        plan_spec: hf.xlarge.2.50m.linux

Each group's fields override the defaults (``tags`` are merged key by key). Field names
and meanings are the :class:`~flexus_pulumi.providers.instance.Instance` inputs (see
:data:`~flexus_pulumi.providers.inputs.PROPERTIES`), plus, on groups only: ``count``,
``kind``, ``name`` (the instance name; default: the group's key) and ``remove_members``
(kind ``group`` only: instance ids to unsubscribe first when ``count`` goes down).

:func:`parse_fleet_spec` checks the whole spec — types with pydantic, then every catalog
rule on each group merged with the defaults — and raises one :class:`FleetSpecError`
listing *all* problems, each with its path (``groups.web.image.version: …``); a problem
in a value a group takes from the defaults is reported once, under ``defaults.…``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from flexus_pulumi import catalog
from flexus_pulumi.providers.adoption import ADOPTION_TAG
from flexus_pulumi.providers.group import member_hostname, member_server_name
from flexus_pulumi.providers.inputs import normalize

#: Group-only fields (not Instance inputs).
GROUP_ONLY = ("count", "kind", "name", "remove_members")
KINDS = ("group", "servers")


class ImageSpec(BaseModel):
    """``{name, version}`` of an app or system image, or ``{id}`` of a private image."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    version: str | None = None
    id: str | None = None


class MemberDefaults(BaseModel):
    """Instance inputs shared by every group (all optional; the provider's defaults apply
    to what no level sets — see :data:`~flexus_pulumi.providers.inputs.PROPERTIES`)."""

    model_config = ConfigDict(extra="forbid")

    region: str | None = None
    plan_spec: str | None = None
    image: ImageSpec | None = None
    description: str | None = None
    period_type: str | None = None
    period_num: int | None = None
    auto_renew: bool | None = None
    auto_pay: bool | None = None
    data_disk_size: int | None = None
    backup_size: int | None = None
    host_security: bool | None = None
    tags: dict[str, str] | None = None
    hostname: str | None = None
    server_name: str | None = None
    server_description: str | None = None
    power_state: str | None = None
    admin_password: SecretStr | None = None
    reboot_for_changes: bool | None = None
    replace_trigger: str | None = None
    order_timeout: int | None = None
    action_timeout: int | None = None


class GroupSpec(MemberDefaults):
    """One named group: overrides of the defaults, plus ``count`` (required, ≥ 1),
    ``kind`` (default ``"group"``), ``name`` (default: the group's key) and
    ``remove_members`` (default None)."""

    count: int = Field(ge=1)
    kind: Literal["group", "servers"] = "group"
    name: str | None = None
    remove_members: list[str] | None = None


class FleetSpec(BaseModel):
    """A fleet: ``defaults`` (default: none) and ``groups`` by name (at least one)."""

    model_config = ConfigDict(extra="forbid")

    defaults: MemberDefaults = Field(default_factory=MemberDefaults)
    groups: dict[str, GroupSpec] = Field(min_length=1)

    def inputs_of(self, group: str) -> dict[str, Any]:
        """The Instance inputs of ``group``: its fields over the defaults (tags merged),
        ``name`` defaulting to the group's key; unset fields left out. The password, if
        any, is in plain text: wrap it as a secret before it leaves the program."""
        spec = self.groups[group]
        merged = _plain(self.defaults)
        own = _plain(spec)
        tags = {**(merged.get("tags") or {}), **(own.get("tags") or {})}
        merged.update(own)
        if tags:
            merged["tags"] = tags
        merged["name"] = spec.name or group
        return merged


_M = TypeVar("_M", bound=MemberDefaults)


def _plain(model: MemberDefaults) -> dict[str, Any]:
    """The Instance inputs ``model`` sets (group-only fields left out)."""
    fields = {
        key: getattr(model, key)
        for key in MemberDefaults.model_fields
        if key in model.model_fields_set and getattr(model, key) is not None
    }
    if isinstance(fields.get("image"), ImageSpec):
        fields["image"] = fields["image"].model_dump(exclude_none=True)
    if isinstance(fields.get("admin_password"), SecretStr):
        fields["admin_password"] = fields["admin_password"].get_secret_value()
    return fields


@dataclass(frozen=True)
class SpecProblem:
    """One problem of a fleet spec: where (``groups.web.count``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class FleetSpecError(ValueError):
    """A fleet spec is invalid; :attr:`problems` lists every problem found."""

    def __init__(self, problems: list[SpecProblem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"fleet spec: {len(problems)} problem(s):\n{lines}")


def _pydantic_problems(exc: ValidationError, prefix: tuple[str, ...]) -> list[SpecProblem]:
    problems = []
    for err in exc.errors():
        loc = (*prefix, *(str(p) for p in err["loc"]))
        message = str(err["msg"])
        if err["type"] == "extra_forbidden":
            known = [*MemberDefaults.model_fields, *GROUP_ONLY] if prefix[:1] == ("groups",) else []
            if prefix == ("defaults",):
                known = list(MemberDefaults.model_fields)
            if prefix == () and len(loc) == 1:
                known = list(FleetSpec.model_fields)
            message = "is not a field" + (f"; {catalog.suggest(loc[-1], known)}" if known else "")
        problems.append(SpecProblem(".".join(loc), message))
    return problems


def configured_region() -> str | None:
    """The region groups get when neither they nor the defaults set one: stack config
    ``flexus:region`` (inside a Pulumi program), else ``HW_REGION_NAME``, else None."""
    import pulumi

    return pulumi.Config("flexus").get("region") or os.environ.get("HW_REGION_NAME") or None


def parse_fleet_spec(
    data: FleetSpec | Mapping[str, Any], *, default_region: str | None = None
) -> FleetSpec:
    """Validate a whole fleet spec and return it; raise :class:`FleetSpecError` with every
    problem (type errors and catalog rules, each with its path) when there is any.

    ``default_region`` (default None) is the region of groups that set none, as the
    provider's ``flexus:region`` would be; without one such groups are reported."""
    problems: list[SpecProblem] = []
    if isinstance(data, FleetSpec):
        spec: FleetSpec | None = data
        defaults: MemberDefaults | None = data.defaults
        groups: dict[str, GroupSpec] = dict(data.groups)
    else:
        spec = None
        defaults, groups = _parse_parts(data, problems)
    if defaults is not None:
        problems += _catalog_problems(defaults, groups, default_region)
    if problems:
        raise FleetSpecError(problems)
    return (
        spec
        if spec is not None
        else FleetSpec(defaults=defaults or MemberDefaults(), groups=groups)
    )


def _parse_parts(
    data: Any, problems: list[SpecProblem]
) -> tuple[MemberDefaults | None, dict[str, GroupSpec]]:
    """Parse defaults and each group on their own, so that every type error is found."""
    if not isinstance(data, Mapping):
        problems.append(SpecProblem("", f"a fleet spec is a mapping, not {type(data).__name__}"))
        return None, {}
    for key in data:
        if key not in FleetSpec.model_fields:
            problems.append(
                SpecProblem(
                    str(key), f"is not a field; {catalog.suggest(key, FleetSpec.model_fields)}"
                )
            )
    defaults = _lenient(MemberDefaults, data.get("defaults") or {}, ("defaults",), problems)
    raw_groups = data.get("groups")
    groups: dict[str, GroupSpec] = {}
    if not isinstance(raw_groups, Mapping) or not raw_groups:
        problems.append(SpecProblem("groups", "is required: at least one named group"))
        return defaults, groups
    for name, raw in raw_groups.items():
        group = _lenient(GroupSpec, raw, ("groups", str(name)), problems)
        if group is not None:
            groups[str(name)] = group
    return defaults, groups


def _lenient(
    model: type[_M], raw: Any, prefix: tuple[str, ...], problems: list[SpecProblem]
) -> _M | None:
    """``raw`` as ``model``; on errors, record them and parse again without the fields in
    error (``count`` then 1), so that the catalog checks the rest."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems += _pydantic_problems(exc, prefix)
        if not isinstance(raw, Mapping):
            return None
        bad = {str(err["loc"][0]) for err in exc.errors() if err["loc"]}
        rest = {k: v for k, v in raw.items() if k not in bad}
        if issubclass(model, GroupSpec) and "count" in bad:
            rest["count"] = 1
        try:
            return model.model_validate(rest)
        except ValidationError:
            return None


def _catalog_problems(
    defaults: MemberDefaults, groups: Mapping[str, GroupSpec], default_region: str | None
) -> list[SpecProblem]:
    """Every catalog rule on each group merged with the defaults."""
    spec = FleetSpec.model_construct(defaults=defaults, groups=dict(groups))
    found: dict[tuple[str, str], None] = {}
    for name, group in groups.items():
        inputs = spec.inputs_of(name)
        _, problems = normalize(
            {**inputs, "count": group.count},
            default_region=default_region,
            group=True,
            reserved_tag_keys=(ADOPTION_TAG,),
        )
        # what the defaults alone get wrong, whatever the group says
        alone = {**_plain(defaults), "name": inputs["name"], "count": group.count}
        _, by_defaults = normalize(
            alone, default_region=default_region, group=True, reserved_tag_keys=(ADOPTION_TAG,)
        )
        defaults_own = {(p.field, p.message) for p in by_defaults}
        for p in problems:
            top = p.field.split(".")[0]
            inherited = top not in group.model_fields_set and top in defaults.model_fields_set
            message = p.message
            if inherited and top != "tags" and (p.field, p.message) in defaults_own:
                where = "defaults"
            else:
                where = f"groups.{name}"
                if inherited and top != "tags":
                    message += f" ({top} comes from defaults)"
            if top == "name" and group.name is None:
                message += " (the name defaults to the group's key; set name)"
            found[(f"{where}.{p.field}", message)] = None
        for key, make, check in (
            ("server_name", member_server_name, catalog.check_server_name),
            ("hostname", member_hostname, catalog.check_hostname),
        ):
            base = inputs.get(key)
            if isinstance(base, str) and base and not check(base, key):
                longest = make(base, group.count)
                for p in check(longest, key):
                    message = f"as {longest!r} (the name of member {group.count}): {p.message}"
                    found[(f"groups.{name}.{key}", message)] = None
        if group.kind == "servers" and group.remove_members:
            found[(f"groups.{name}.remove_members", "applies to kind 'group' only")] = None
    return [SpecProblem(path, message) for path, message in found]
