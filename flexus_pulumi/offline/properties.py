"""Property values as the engine holds them: plain JSON values plus secret and unknown markers.

The engine keeps secretness on each value, nested (a secret password inside an object stays
a secret leaf), and an unknown (computed) value is a value of its own. Here a secret is a
:class:`SecretValue` wrapping its plain value and an unknown is :data:`COMPUTED`; everything
else is ``None``, ``bool``, ``float``/``int``, ``str``, ``list`` or ``dict``.

This module holds what the engine does to such values: the wire encoding in both directions
(``MarshalProperties`` / ``UnmarshalProperties`` with ``KeepSecrets`` and ``KeepUnknowns``),
``annotateSecrets`` (sdk/go/common/resource/plugin/provider_plugin.go), the input diff the
engine computes when a provider answers ``DIFF_UNKNOWN`` (``PropertyMap.Diff`` and
``NewDetailedDiffFromObjectDiff``), property paths (``ParsePropertyPath``, ``Reset`` for
``ignore_changes``, ``Contains`` for ``replace_on_changes``), and the display form of
json.go's ``MassageSecrets`` (every secret shown as ``"[secret]"``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from google.protobuf import json_format, struct_pb2
from pulumi.runtime import rpc

#: The key and value that mark a secret in Pulumi's wire and state formats.
SIG_KEY: Final[str] = rpc._special_sig_key
SECRET_SIG: Final[str] = rpc._special_secret_sig
#: The wire string of an unknown value.
UNKNOWN_WIRE: Final[str] = rpc.UNKNOWN
#: How a secret is displayed (``pulumi preview`` without ``--show-secrets``).
SECRET_MASK: Final[str] = "[secret]"  # noqa: S105 - a display mask, not a password

Props = dict[str, Any]


@dataclass
class SecretValue:
    """A secret value; ``value`` is the plain value (which may itself hold secrets)."""

    value: Any = field(repr=False)

    def __repr__(self) -> str:
        return "SecretValue([secret])"


class _Computed:
    """An unknown value: known only once the resource it comes from exists."""

    _instance: _Computed | None = None

    def __new__(cls) -> _Computed:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "COMPUTED"

    def __deepcopy__(self, memo: dict[int, Any]) -> _Computed:
        return self


#: The unknown value.
COMPUTED: Final = _Computed()


def is_secret(value: Any) -> bool:
    """Whether ``value`` is a secret (at its top)."""
    return isinstance(value, SecretValue)


def is_computed(value: Any) -> bool:
    """Whether ``value`` is unknown (at its top)."""
    return value is COMPUTED


def make_secret(value: Any) -> Any:
    """``value`` marked secret (unchanged if it already is)."""
    return value if isinstance(value, SecretValue) else SecretValue(value)


def unwrap(value: Any) -> Any:
    """``value`` with every secret marker removed, recursively (unknowns kept)."""
    if isinstance(value, SecretValue):
        return unwrap(value.value)
    if isinstance(value, Mapping):
        return {k: unwrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap(v) for v in value]
    return value


def unwrap_props(props: Mapping[str, Any]) -> Props:
    """Every property of ``props`` with its secret markers removed."""
    return {k: unwrap(v) for k, v in props.items()}


def contains_secrets(value: Any) -> bool:
    """Whether ``value`` holds a secret anywhere."""
    if isinstance(value, SecretValue):
        return True
    if isinstance(value, Mapping):
        return any(contains_secrets(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_secrets(v) for v in value)
    return False


def contains_unknowns(value: Any) -> bool:
    """Whether ``value`` holds an unknown anywhere."""
    if value is COMPUTED:
        return True
    if isinstance(value, SecretValue):
        return contains_unknowns(value.value)
    if isinstance(value, Mapping):
        return any(contains_unknowns(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknowns(v) for v in value)
    return False


def normalize_number(value: Any) -> Any:
    """Integral floats as ints (numbers cross gRPC as floats), recursively, markers kept."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, SecretValue):
        return SecretValue(normalize_number(value.value))
    if isinstance(value, Mapping):
        return {k: normalize_number(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize_number(v) for v in value]
    return value


# -- wire encoding -----------------------------------------------------------------------


def from_wire(value: Any) -> Any:
    """A decoded JSON value (from a ``Struct``) with secrets and unknowns as markers."""
    if isinstance(value, str) and value == UNKNOWN_WIRE:
        return COMPUTED
    if isinstance(value, Mapping):
        if value.get(SIG_KEY) == SECRET_SIG:
            return SecretValue(from_wire(value.get("value")))
        return {k: from_wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_wire(v) for v in value]
    return value


def to_wire(value: Any, *, keep_secrets: bool, keep_unknowns: bool) -> Any:
    """The JSON form sent over gRPC: secrets as the secret signature object (or plain when
    ``keep_secrets`` is false); unknowns as the unknown string (or left out when
    ``keep_unknowns`` is false, as ``MarshalProperties`` skips them)."""
    if isinstance(value, SecretValue):
        inner = to_wire(value.value, keep_secrets=keep_secrets, keep_unknowns=keep_unknowns)
        return {SIG_KEY: SECRET_SIG, "value": inner} if keep_secrets else inner
    if value is COMPUTED or _is_sdk_unknown(value):
        return UNKNOWN_WIRE if keep_unknowns else _SKIP
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for k, v in value.items():
            item = to_wire(v, keep_secrets=keep_secrets, keep_unknowns=keep_unknowns)
            if item is not _SKIP:
                out[k] = item
        return out
    if isinstance(value, (list, tuple)):
        items = [to_wire(v, keep_secrets=keep_secrets, keep_unknowns=keep_unknowns) for v in value]
        return [None if item is _SKIP else item for item in items]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    raise TypeError(f"cannot send a {type(value).__name__} as a property value")


_SKIP: Final = object()


def _is_sdk_unknown(value: Any) -> bool:
    from pulumi.output import Unknown

    return isinstance(value, Unknown)


def struct_to_props(struct: struct_pb2.Struct | None) -> Props:
    """Decode a property ``Struct`` (secrets and unknowns as markers)."""
    if struct is None:
        return {}
    decoded = json_format.MessageToDict(struct)
    result: Props = from_wire(decoded)
    return result


def props_to_struct(
    props: Mapping[str, Any], *, keep_secrets: bool, keep_unknowns: bool = True
) -> struct_pb2.Struct:
    """Encode a property bag as a ``Struct``."""
    struct = struct_pb2.Struct()
    struct.update(to_wire(dict(props), keep_secrets=keep_secrets, keep_unknowns=keep_unknowns))
    return struct


# -- what the engine does with them -------------------------------------------------------


def annotate_secrets(outs: Props, ins: Mapping[str, Any]) -> None:
    """The engine's ``annotateSecrets``: copy secretness from ``ins`` onto same-named
    ``outs`` — into objects present on both sides, else the whole value (in place)."""
    for key, in_value in ins.items():
        if key not in outs:
            continue
        out_value = outs[key]
        if isinstance(out_value, dict) and isinstance(in_value, Mapping):
            annotate_secrets(out_value, in_value)
        elif not isinstance(out_value, SecretValue) and contains_secrets(in_value):
            outs[key] = SecretValue(out_value)


def deep_equals(old: Any, new: Any) -> bool:
    """``PropertyValue.DeepEquals``: numbers by value, secrets only equal to secrets, nulls
    in objects the same as absent keys."""
    if isinstance(old, SecretValue) or isinstance(new, SecretValue):
        if not (isinstance(old, SecretValue) and isinstance(new, SecretValue)):
            return False
        return deep_equals(old.value, new.value)
    if old is COMPUTED or new is COMPUTED:
        return old is new
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(
            deep_equals(a, b) for a, b in zip(old, new, strict=False)
        )
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        return props_deep_equals(old, new)
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return float(old) == float(new)
    return type(old) is type(new) and bool(old == new)


def props_deep_equals(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """``PropertyMap.DeepEquals``."""
    for key, value in old.items():
        if key in new:
            if not deep_equals(value, new[key]):
                return False
        elif value is not None:
            return False
    return all(key in old or value is None for key, value in new.items())


@dataclass(frozen=True)
class InputDiff:
    """The engine's own diff of old and new inputs (``PropertyMap.Diff``)."""

    changed_keys: list[str]
    detailed: dict[str, str]  # property path -> "add" | "delete" | "update"

    @property
    def any_changes(self) -> bool:
        """Whether anything differs."""
        return bool(self.changed_keys)


def diff_inputs(old: Mapping[str, Any], new: Mapping[str, Any]) -> InputDiff:
    """Diff two property bags as the engine does for a ``DIFF_UNKNOWN`` answer: secrets
    unwrapped, nested paths in the detailed diff, top-level keys as the changed keys."""
    detailed: dict[str, str] = {}
    changed: list[str] = []
    _diff_objects([], unwrap_props(old), unwrap_props(new), detailed, changed)
    return InputDiff(sorted(changed), detailed)


def _diff_objects(
    prefix: list[str | int],
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    acc: dict[str, str],
    changed: list[str] | None,
) -> bool:
    found = False
    for key in sorted(set(old) | set(new)):
        path = [*prefix, key]
        old_value, new_value = old.get(key), new.get(key)
        if key in old and key in new:
            if _values_differ(old_value, new_value):
                if old_value is None:
                    acc[format_path(path)] = "add"
                elif new_value is None:
                    acc[format_path(path)] = "delete"
                else:
                    _diff_values(path, old_value, new_value, acc)
            else:
                continue
        elif key in old:
            if old_value is None:
                continue
            acc[format_path(path)] = "delete"
        else:
            if new_value is None:
                continue
            acc[format_path(path)] = "add"
        found = True
        if changed is not None:
            changed.append(key)
    return found


def _values_differ(old: Any, new: Any) -> bool:
    if isinstance(old, list) and isinstance(new, list):
        return len(old) != len(new) or any(
            _values_differ(a, b) for a, b in zip(old, new, strict=False)
        )
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        return not props_deep_equals(old, new)
    return not deep_equals(old, new)


def _diff_values(path: list[str | int], old: Any, new: Any, acc: dict[str, str]) -> None:
    if isinstance(old, list) and isinstance(new, list):
        for i in range(min(len(old), len(new))):
            if _values_differ(old[i], new[i]):
                _diff_values([*path, i], old[i], new[i], acc)
        for i in range(len(old), len(new)):
            acc[format_path([*path, i])] = "add"
        for i in range(len(new), len(old)):
            acc[format_path([*path, i])] = "delete"
    elif isinstance(old, Mapping) and isinstance(new, Mapping):
        _diff_objects(path, old, new, acc, None)
    elif old is None:
        acc[format_path(path)] = "add"
    elif new is None:
        acc[format_path(path)] = "delete"
    else:
        acc[format_path(path)] = "update"


# -- property paths ----------------------------------------------------------------------

PathPart = str | int
_SIMPLE = re.compile(r"[A-Za-z0-9_]+|\*")


def format_path(path: list[PathPart]) -> str:
    """``PropertyPath.String``: ``a.b[0]["odd key"]``."""
    text = ""
    for i, part in enumerate(path):
        if isinstance(part, int):
            text += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z0-9_]*", part):
            text += part if i == 0 else f".{part}"
        else:
            escaped = part.replace('"', '\\"')
            text += f'["{escaped}"]'
    return text


def parse_path(text: str) -> list[PathPart]:
    """``ParsePropertyPath``: ``a.b[0]["odd key"].*``; raises ``ValueError`` if malformed."""
    parts: list[PathPart] = []
    i = 0
    expect_name = True
    while i < len(text):
        char = text[i]
        if char == ".":
            if expect_name:
                raise ValueError(f"expected a property name at {i} in {text!r}")
            expect_name = True
            i += 1
        elif char == "[":
            end = text.find("]", i)
            if end < 0:
                raise ValueError(f"missing ']' in {text!r}")
            inner = text[i + 1 : end]
            if inner.startswith('"'):
                close = i + 1
                value = ""
                j = i + 2
                while j < len(text) and text[j] != '"':
                    if text[j] == "\\" and j + 1 < len(text):
                        j += 1
                    value += text[j]
                    j += 1
                close = j
                if close + 1 >= len(text) or text[close + 1] != "]":
                    raise ValueError(f"missing ']' in {text!r}")
                parts.append(value)
                i = close + 2
            elif inner == "*":
                parts.append("*")
                i = end + 1
            else:
                try:
                    parts.append(int(inner))
                except ValueError:
                    raise ValueError(f"bad index {inner!r} in {text!r}") from None
                i = end + 1
            expect_name = False
        else:
            match = _SIMPLE.match(text, i)
            if match is None or not expect_name:
                raise ValueError(f"unexpected {char!r} at {i} in {text!r}")
            parts.append(match.group(0))
            i = match.end()
            expect_name = False
    if not parts or (expect_name and text.endswith(".")):
        raise ValueError(f"empty property path {text!r}")
    return parts


def path_contains(path: list[PathPart], other: list[PathPart]) -> bool:
    """``PropertyPath.Contains``: ``other`` is ``path`` or below it (``*`` matches any key)."""
    if len(other) < len(path):
        return False
    for mine, theirs in zip(path, other, strict=False):
        if mine == "*" and isinstance(theirs, str):
            continue
        if mine != theirs or type(mine) is not type(theirs):
            return False
    return True


def reset_path(path: list[PathPart], old: Props, new: Props) -> bool:
    """``PropertyPath.Reset``: set ``path`` in ``new`` to its value in ``old`` (in place);
    False where the path runs into an added or removed element."""
    return _reset(path, old, new, False, False)


def _reset(path: list[PathPart], old: Any, new: Any, old_secret: bool, new_secret: bool) -> bool:
    if not path:
        return False
    while isinstance(old, SecretValue):
        old, old_secret = old.value, True
    while isinstance(new, SecretValue):
        new, new_secret = new.value, True

    def carry(value: Any) -> Any:
        return make_secret(value) if old_secret and not new_secret else copy.deepcopy(value)

    key, rest = path[0], path[1:]
    if isinstance(key, int):
        if key < 0:
            return False
        old_list, new_list = isinstance(old, list), isinstance(new, list)
        if not rest:
            if not old_list and not new_list:
                return True
            if not old_list or not new_list:
                return False
            if key >= len(old) and key >= len(new):
                return True
            if key >= len(old) or key >= len(new):
                return False
            new[key] = carry(old[key])
            return True
        if not old_list or not new_list:
            return not old_list and not new_list
        if key >= len(old) or key >= len(new):
            return False
        return _reset(rest, old[key], new[key], old_secret, new_secret)
    if key == "*":
        return _reset_wildcard(rest, old, new, old_secret, new_secret, carry)
    old_obj, new_obj = isinstance(old, dict), isinstance(new, dict)
    if not rest:
        if old_obj and key in old:
            if not new_obj:
                return False
            new[key] = carry(old[key])
        elif new_obj:
            new.pop(key, None)
        return True
    if not old_obj or not new_obj:
        return not old_obj and not new_obj
    has_old, has_new = key in old, key in new
    if has_old and not has_new:
        return False
    if not has_old and not has_new:
        return True
    return _reset(rest, old.get(key), new[key], old_secret, new_secret)


def _reset_wildcard(
    rest: list[PathPart],
    old: Any,
    new: Any,
    old_secret: bool,
    new_secret: bool,
    carry: Any,
) -> bool:
    if not rest:
        if isinstance(new, dict):
            if isinstance(old, dict):
                for k in list(old):
                    new[k] = carry(old[k])
                for k in [k for k in new if k not in old]:
                    del new[k]
            return True
        if isinstance(new, list):
            if isinstance(old, list):
                for i in range(min(len(old), len(new))):
                    new[i] = carry(old[i])
                if len(old) != len(new):
                    return False
            return True
        return False
    if isinstance(old, dict) and isinstance(new, dict):
        for k in old:
            if k not in new:
                return False
            if not _reset(rest, old[k], new[k], old_secret, new_secret):
                return False
        return True
    if isinstance(old, list) and isinstance(new, list):
        for i in range(min(len(old), len(new))):
            if not _reset(rest, old[i], new[i], old_secret, new_secret):
                return False
        return len(old) == len(new)
    return False


# -- display -----------------------------------------------------------------------------


def display(value: Any) -> Any:
    """json.go's ``MassageSecrets``: secrets as ``"[secret]"``, unknowns as the unknown
    string, integral floats as ints."""
    if isinstance(value, SecretValue):
        return SECRET_MASK
    if value is COMPUTED:
        return UNKNOWN_WIRE
    if isinstance(value, Mapping):
        return {k: display(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [display(v) for v in value]
    return normalize_number(value)


def display_props(props: Mapping[str, Any]) -> Props:
    """:func:`display` of every property."""
    return {k: display(v) for k, v in props.items()}
