"""The driver's state file: one JSON document per stack, rewritten atomically after every step.

Layout (``version`` 1)::

    {
      "version": 1,
      "stack": "dev", "project": "fleet",
      "secretsSalt": "<hex>",            # salt of the secret digests, random per file
      "resources": [                     # dependency order: parents and dependencies first
        {"urn": ..., "type": ..., "name": ..., "custom": true, "id": ...,
         "inputs": {...}, "outputs": {...}, "parent": ..., "dependencies": [...],
         "provider": "<the serialized dynamic provider, __provider>",
         "protect": false, "retainOnDelete": false,
         "delete": true,                 # only on a replaced resource still to be deleted
         "additionalSecretOutputs": [...]}
      ],
      "outputs": {...}                   # the stack's exports
    }

Secret properties are stored as ``{"4dabf18193072939515e22adb298388d":
"1b47061264138c4ac30d75fd1eb44270", "hash": "scrypt:..."}`` (see
:mod:`flexus_pulumi.testing.secrets`). ``__provider`` is kept out of ``inputs``/``outputs``
and stored once as ``provider``, in plain text: deleting a resource that left the program
needs it, and the project's providers carry no credentials in their pickled form.
"""

from __future__ import annotations

import json
import os
import secrets as _random
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .secrets import SECRET_SIG, SIG_KEY, StoredSecret

STATE_VERSION = 1
STACK_TYPE = "pulumi:pulumi:Stack"


class StateFileError(RuntimeError):
    """The state file cannot be read or belongs to another stack."""


def make_urn(stack: str, project: str, parent: str, type_: str, name: str) -> str:
    """A URN built the way the engine builds it (the root stack's type is never a prefix)."""
    qualified = type_
    if parent:
        parent_type = parent.split("::")[2]
        if parent_type != STACK_TYPE:
            qualified = f"{parent_type}${type_}"
    return f"urn:pulumi:{stack}::{project}::{qualified}::{name}"


def urn_name(urn: str) -> str:
    """The resource name at the end of a URN."""
    return urn.split("::", 3)[-1]


def urn_type(urn: str) -> str:
    """The resource's own type token (the last ``$``-separated part of the qualified type)."""
    return urn.split("::")[2].split("$")[-1]


def _encode(value: Any) -> Any:
    if isinstance(value, StoredSecret):
        return value.to_json()
    if isinstance(value, Mapping):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, Mapping):
        if value.get(SIG_KEY) == SECRET_SIG and "hash" in value:
            return StoredSecret(str(value["hash"]))
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


@dataclass
class ResourceState:
    """One resource as recorded in the state file (secret values as digests)."""

    urn: str
    type: str
    custom: bool
    id: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    parent: str = ""
    dependencies: list[str] = field(default_factory=list)
    provider: str = ""
    protect: bool = False
    retain_on_delete: bool = False
    delete: bool = False
    additional_secret_outputs: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The resource's name (the last part of its URN)."""
        return urn_name(self.urn)

    @property
    def dynamic(self) -> bool:
        """Whether a Python dynamic provider manages it."""
        return self.custom and bool(self.provider)

    def to_json(self) -> dict[str, Any]:
        """The state-file form."""
        data: dict[str, Any] = {
            "urn": self.urn,
            "type": self.type,
            "name": self.name,
            "custom": self.custom,
        }
        if self.id:
            data["id"] = self.id
        data["inputs"] = _encode(self.inputs)
        data["outputs"] = _encode(self.outputs)
        if self.parent:
            data["parent"] = self.parent
        if self.dependencies:
            data["dependencies"] = list(self.dependencies)
        if self.provider:
            data["provider"] = self.provider
        if self.protect:
            data["protect"] = True
        if self.retain_on_delete:
            data["retainOnDelete"] = True
        if self.delete:
            data["delete"] = True
        if self.additional_secret_outputs:
            data["additionalSecretOutputs"] = list(self.additional_secret_outputs)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ResourceState:
        """Parse the state-file form."""
        return cls(
            urn=str(data["urn"]),
            type=str(data["type"]),
            custom=bool(data.get("custom", False)),
            id=str(data.get("id", "")),
            inputs=dict(_decode(data.get("inputs") or {})),
            outputs=dict(_decode(data.get("outputs") or {})),
            parent=str(data.get("parent", "")),
            dependencies=[str(d) for d in data.get("dependencies") or []],
            provider=str(data.get("provider", "")),
            protect=bool(data.get("protect", False)),
            retain_on_delete=bool(data.get("retainOnDelete", False)),
            delete=bool(data.get("delete", False)),
            additional_secret_outputs=[str(k) for k in data.get("additionalSecretOutputs") or []],
        )


@dataclass
class StackState:
    """Everything the state file holds."""

    stack: str
    project: str
    salt: bytes
    resources: list[ResourceState] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)

    def live(self) -> dict[str, ResourceState]:
        """Resources by URN, leaving out replaced ones waiting for deletion."""
        return {r.urn: r for r in self.resources if not r.delete}

    def to_json(self) -> dict[str, Any]:
        """The state-file document."""
        return {
            "version": STATE_VERSION,
            "stack": self.stack,
            "project": self.project,
            "secretsSalt": self.salt.hex(),
            "resources": [r.to_json() for r in self.resources],
            "outputs": _encode(self.outputs),
        }


def new_state(stack: str, project: str) -> StackState:
    """An empty state with a fresh salt."""
    return StackState(stack=stack, project=project, salt=_random.token_bytes(16))


def load_state(path: Path, stack: str, project: str) -> StackState:
    """Read the state file, or an empty state if there is none yet."""
    if not path.exists():
        return new_state(stack, project)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StateFileError(f"{path}: not a readable state file: {exc}") from exc
    if data.get("version") != STATE_VERSION:
        raise StateFileError(f"{path}: unsupported state version {data.get('version')!r}")
    if (data.get("stack"), data.get("project")) != (stack, project):
        raise StateFileError(
            f"{path}: holds stack {data.get('project')}/{data.get('stack')}, not {project}/{stack}"
        )
    return StackState(
        stack=stack,
        project=project,
        salt=bytes.fromhex(str(data.get("secretsSalt") or _random.token_hex(16))),
        resources=[ResourceState.from_json(r) for r in data.get("resources") or []],
        outputs=dict(_decode(data.get("outputs") or {})),
    )


def save_state(path: Path, state: StackState) -> None:
    """Write the state file atomically (temporary file in the same folder, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(state.to_json(), indent=2, sort_keys=False) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
