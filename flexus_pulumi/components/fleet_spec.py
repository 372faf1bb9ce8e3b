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

Each group's fields override the defaults (``tags`` are merged key by key; an ``image``
that gives only a ``version`` keeps the defaults' image name). Field names
and meanings are the ``Instance`` inputs (see :mod:`flexus_pulumi.schema.instance`;
:class:`~.fleet_fields.MemberDefaults` is generated from it), plus, on groups only:
``count``, ``kind``, ``name`` (the instance name; default: the group's key),
``remove_members`` (kind ``group`` only: instance ids to unsubscribe first when ``count``
goes down) and ``max_count``.

:func:`parse_fleet_spec` checks the whole spec — types, then the providers' own check on
each group merged with the defaults, in the providers' words — and raises one
:class:`FleetSpecError` listing *all* problems, each with its path
(``groups.web.image.version: …``); a problem in a value a group takes from the defaults is
reported once, under ``defaults.…``. Values are read as ``pulumi config set --path`` and
YAML give them (numbers where text is meant, see :mod:`.fleet_values`); a value of the
wrong type is reported once, and nothing else is said about that field.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from flexus_pulumi import catalog
from flexus_pulumi.schema.instance import DEFAULT_MAX_COUNT
from flexus_pulumi.schema.instance_rules import check_member

from .fleet_fields import ImageSpec, MemberDefaults
from .fleet_values import from_config, required_problem, type_problems

#: Group-only fields (not Instance inputs).
GROUP_ONLY = ("count", "kind", "name", "remove_members", "max_count")


class GroupSpec(MemberDefaults):
    """One named group: overrides of the defaults, plus ``count`` (required, ≥ 1 — checked
    by the providers' rules, in their words), ``kind`` (default ``"group"``), ``name``
    (default: the group's key), ``remove_members`` (default None) and ``max_count``
    (default :data:`~flexus_pulumi.schema.instance.DEFAULT_MAX_COUNT`)."""

    count: int
    kind: Literal["group", "servers"] = "group"
    name: str | None = None
    remove_members: list[str] | None = None
    max_count: int = DEFAULT_MAX_COUNT


class FleetSpec(BaseModel):
    """A fleet: ``defaults`` (default: none) and ``groups`` by name (at least one)."""

    model_config = ConfigDict(extra="forbid")

    defaults: MemberDefaults = Field(default_factory=MemberDefaults)
    groups: dict[str, GroupSpec] = Field(min_length=1)

    def inputs_of(self, group: str) -> dict[str, Any]:
        """The Instance inputs of ``group``: its fields over the defaults (tags merged; an
        image giving only a ``version`` keeps the defaults' image name), ``name``
        defaulting to the group's key; unset fields left out. The password, if any, is in
        plain text: wrap it as a secret before it leaves the program."""
        spec = self.groups[group]
        merged = _plain(self.defaults)
        own = _plain(spec)
        tags = {**(merged.get("tags") or {}), **(own.get("tags") or {})}
        image, base = own.get("image"), merged.get("image")
        if image and base and set(image) == {"version"} and base.get("name"):
            own["image"] = {"name": base["name"], **image}
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


def _pydantic_problems(
    exc: ValidationError, prefix: tuple[str, ...], values: Mapping[str, Any]
) -> tuple[list[SpecProblem], set[str]]:
    """Pydantic's errors in the providers' words, and the fields in error."""
    found: dict[tuple[str, str], None] = {}
    bad: set[str] = set()
    for err in exc.errors():
        loc = tuple(str(p) for p in err["loc"])
        top = loc[0] if loc else ""
        if err["type"] == "extra_forbidden" and len(loc) == 1:
            known = list(MemberDefaults.model_fields)
            if prefix[:1] == ("groups",):
                known += GROUP_ONLY
            message = f"is not a field; {catalog.suggest(top, known)}"
            found[(".".join((*prefix, top)), message)] = None
            continue
        bad.add(top)
        problems = (
            [required_problem(top)] if err["type"] == "missing" else type_problems(top, values[top])
        )
        for problem in problems:
            found[(".".join((*prefix, problem.field)), problem.message)] = None
    return [SpecProblem(path, message) for path, message in found], bad


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
    bad: dict[str, set[str]] = {}
    if isinstance(data, FleetSpec):
        spec: FleetSpec | None = data
        defaults: MemberDefaults | None = data.defaults
        groups: dict[str, GroupSpec] = dict(data.groups)
    else:
        spec = None
        defaults, groups = _parse_parts(data, problems, bad)
    if defaults is not None:
        problems += _catalog_problems(defaults, groups, default_region, bad)
    if problems:
        raise FleetSpecError(problems)
    return (
        spec
        if spec is not None
        else FleetSpec(defaults=defaults or MemberDefaults(), groups=groups)
    )


def _parse_parts(
    data: Any, problems: list[SpecProblem], bad: dict[str, set[str]]
) -> tuple[MemberDefaults | None, dict[str, GroupSpec]]:
    """Parse defaults and each group on their own, so that every type error is found;
    ``bad`` gets the fields in error of each section (``defaults``, ``groups.web``)."""
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
    defaults = _lenient(MemberDefaults, data.get("defaults") or {}, ("defaults",), problems, bad)
    raw_groups = data.get("groups")
    groups: dict[str, GroupSpec] = {}
    if not isinstance(raw_groups, Mapping) or not raw_groups:
        problems.append(SpecProblem("groups", "is required: at least one named group"))
        return defaults, groups
    for name, raw in raw_groups.items():
        group = _lenient(GroupSpec, raw, ("groups", str(name)), problems, bad)
        if group is not None:
            groups[str(name)] = group
    return defaults, groups


def _lenient(
    model: type[_M],
    raw: Any,
    prefix: tuple[str, ...],
    problems: list[SpecProblem],
    bad: dict[str, set[str]],
) -> _M | None:
    """``raw`` as ``model`` (CLI and YAML values read as the fields mean them); on errors,
    record them and parse again without the fields in error (``count`` then 1), so that
    the providers' check judges the rest."""
    where = ".".join(prefix)
    if not isinstance(raw, Mapping):
        problems.append(
            SpecProblem(where, f"{raw!r} is not a mapping of fields (count, plan_spec, …)")
        )
        return None
    values = from_config(raw)
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        found, fields_in_error = _pydantic_problems(exc, prefix, values)
        problems += found
        bad[where] = fields_in_error
        known = model.model_fields
        rest = {k: v for k, v in values.items() if k not in fields_in_error and k in known}
        if issubclass(model, GroupSpec) and "count" in fields_in_error:
            rest["count"] = 1
        try:
            return model.model_validate(rest)
        except ValidationError:
            return None


def _check(
    inputs: Mapping[str, Any], extra: Mapping[str, Any], default_region: str | None
) -> list[catalog.Problem]:
    """The providers' own check of a group's inputs (the same rules, the same words)."""
    return check_member({**inputs, **extra}, group=True, default_region=default_region).problems


def _catalog_problems(
    defaults: MemberDefaults,
    groups: Mapping[str, GroupSpec],
    default_region: str | None,
    bad: Mapping[str, set[str]] | None = None,
) -> list[SpecProblem]:
    """Every catalog rule on each group merged with the defaults; fields already reported
    for their type (``bad``, by section) are not judged again."""
    spec = FleetSpec.model_construct(defaults=defaults, groups=dict(groups))
    found: dict[tuple[str, str], None] = {}
    bad = bad or {}
    for name, group in groups.items():
        own_bad = bad.get(f"groups.{name}", set())
        defaults_bad = bad.get("defaults", set())
        inputs = spec.inputs_of(name)
        extra = {"count": group.count, "max_count": group.max_count}
        problems = _check(inputs, extra, default_region)
        # what the defaults alone get wrong, whatever the group says
        alone = {**_plain(defaults), "name": inputs["name"]}
        defaults_own = {(p.field, p.message) for p in _check(alone, extra, default_region)}
        for p in problems:
            top = p.field.split(".")[0]
            if top in own_bad or (top not in group.model_fields_set and top in defaults_bad):
                continue  # its type is what is wrong, and that is reported already
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
        if group.kind == "servers" and group.remove_members:
            found[(f"groups.{name}.remove_members", "applies to kind 'group' only")] = None
    return [SpecProblem(path, message) for path, message in found]


__all__ = ["FleetSpec", "FleetSpecError", "GroupSpec", "SpecProblem"]
