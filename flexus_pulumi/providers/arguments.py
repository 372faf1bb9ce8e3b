"""How a resource takes its inputs: ``Resource(name, SomeArgs(...), opts)`` or
``Resource(name, opts=..., **inputs)`` — the two forms of pulumi's generated SDKs — or, for
``Renewal`` and the extras, the positional form they took before.

Whatever the form, a wrong call is refused before anything is registered, naming the
resource and what is wrong: an input that does not exist (with the closest one), a
required input missing, an Args object given with keyword inputs too.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import pulumi

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_A = TypeVar("_A", bound="DataclassInstance")


def _describe(value: Any) -> str:
    return "None" if value is None else type(value).__name__


def resource_inputs(
    kind: str,
    resource_name: str,
    args_type: type[_A],
    given: Sequence[Any],
    named: Mapping[str, Any],
    *,
    positional: Sequence[str] = (),
) -> tuple[_A, pulumi.ResourceOptions | None]:
    """The Args object and the options of a resource's constructor call.

    ``given`` and ``named`` are what followed the resource name; ``positional`` names, in
    order, what the resource's earlier positional form took (``opts`` among them where it
    was positional). Raises :class:`TypeError` naming ``kind`` and ``resource_name``."""
    where = f"{kind} {resource_name!r}"
    named = dict(named)
    first = given[0] if given else named.pop("args", None)
    rest = list(given[1:]) if given else []
    if isinstance(first, args_type):
        inputs = sorted(k for k in named if k != "opts")
        if inputs:
            raise TypeError(
                f"{where}: give the inputs either as a {args_type.__name__} or as keyword "
                f"arguments, not both (keyword inputs given: {', '.join(inputs)})"
            )
        opts = _options(where, rest, named)
        return first, opts
    if first is None or isinstance(first, pulumi.ResourceOptions):
        if given:
            rest = [first, *rest]
        opts = _options(where, rest, named)
        return _build(where, args_type, named), opts
    if not positional:
        raise TypeError(
            f"{where}: the argument after the name is a {args_type.__name__} or the "
            f"ResourceOptions, not {_describe(first)}; give inputs as keyword arguments "
            f"({kind}({resource_name!r}, name=…, …))"
        )
    values = list(given)
    if len(values) > len(positional):
        raise TypeError(
            f"{where}: takes at most {len(positional)} positional inputs after the name "
            f"({', '.join(positional)}), {len(values)} given"
        )
    for name, value in zip(positional, values, strict=False):
        if name in named:
            raise TypeError(f"{where}: {name} given twice (by position and by keyword)")
        named[name] = value
    opts = named.pop("opts", None)
    return _build(where, args_type, named), _checked_options(where, opts)


def _options(where: str, rest: list[Any], named: dict[str, Any]) -> pulumi.ResourceOptions | None:
    if len(rest) > 1:
        raise TypeError(f"{where}: too many positional arguments ({len(rest) + 1} after the name)")
    if rest and "opts" in named:
        raise TypeError(f"{where}: opts given twice (by position and by keyword)")
    opts = rest[0] if rest else named.pop("opts", None)
    named.pop("opts", None)
    return _checked_options(where, opts)


def _checked_options(where: str, opts: Any) -> pulumi.ResourceOptions | None:
    if opts is not None and not isinstance(opts, pulumi.ResourceOptions):
        raise TypeError(f"{where}: opts is a pulumi.ResourceOptions, not {_describe(opts)}")
    return opts


def _build(where: str, args_type: type[_A], named: Mapping[str, Any]) -> _A:
    """``args_type(**named)``, each wrong or missing input named."""
    declared = dataclasses.fields(args_type)
    known = [f.name for f in declared]
    problems = []
    for name in named:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"{name!r} is not an input{hint}")
    required = [
        f.name
        for f in declared
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    missing = [name for name in required if name not in named]
    if missing:
        problems.append(f"missing required input(s): {', '.join(missing)}")
    if problems:
        raise TypeError(f"{where}: " + "; ".join(problems) + f". Inputs: {', '.join(known)}")
    return args_type(**named)


__all__ = ["resource_inputs"]
