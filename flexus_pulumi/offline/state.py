"""The driver's state file: one JSON document per stack, rewritten atomically after every step.

Layout (``version`` 2)::

    {
      "version": 2,
      "stack": "dev", "project": "fleet",
      "secrets": {"salt": "<hex>", "check": "v1:..."},   # see secrets.py
      "resources": [                     # dependency order: parents and dependencies first
        {"urn": ..., "custom": true, "id": ..., "type": ...,
         "inputs": {...}, "outputs": {...}, "parent": ..., "protect": false,
         "dependencies": [...], "provider": "<provider URN>::<provider id>",
         "propertyDependencies": {...}, "pendingReplacement": false,
         "additionalSecretOutputs": [...], "aliases": [...], "retainOnDelete": false,
         "deletedWith": ..., "replaceWith": [...], "replacementTrigger": ...,
         "ignoreChanges": [...], "replaceOnChanges": [...],
         "delete": true,                 # only on a replaced resource still to be deleted
         "external": true}               # only on a resource read (get), not managed
      ]
    }

Resources carry the names of Pulumi's own state (``apitype.ResourceV3``). The stack's
exports are the outputs of its ``pulumi:pulumi:Stack`` resource, and the Python dynamic
provider is a ``pulumi:providers:pulumi-python`` resource named ``default`` whose inputs are
the stack config, as in a Pulumi checkpoint. A secret is stored as
``{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext":
"v1:…"}``, encrypted (see :mod:`flexus_pulumi.offline.secrets`); the serialized dynamic
provider ``__provider`` is a secret too, as the SDK registers it.
"""

from __future__ import annotations

import json
import os
import secrets as _random
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .properties import SECRET_SIG, SIG_KEY, Props, SecretValue, from_wire, to_wire
from .secrets import Crypter, resolve_passphrase

STATE_VERSION = 2
STACK_TYPE = "pulumi:pulumi:Stack"
PROVIDER_TYPE = "pulumi:providers:pulumi-python"
DEFAULT_PROVIDER_NAME = "default"


class StateFileError(RuntimeError):
    """The state file cannot be read or belongs to another stack."""


def stack_urn(stack: str, project: str) -> str:
    """The URN of the stack resource of ``project``/``stack``."""
    return make_urn(stack, project, "", STACK_TYPE, f"{project}-{stack}")


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


def urn_qualified_type(urn: str) -> str:
    """The qualified type of a URN (parent types joined by ``$``)."""
    return urn.split("::")[2]


def provider_ref_urn(ref: str) -> str:
    """The URN part of a provider reference ``<urn>::<id>``."""
    return ref.rsplit("::", 1)[0] if ref else ""


@dataclass
class ResourceState:
    """One resource as recorded in the state (property values with secret markers)."""

    urn: str
    type: str
    custom: bool
    id: str = ""
    inputs: Props = field(default_factory=dict)
    outputs: Props = field(default_factory=dict)
    parent: str = ""
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    provider: str = ""
    protect: bool = False
    retain_on_delete: bool = False
    delete: bool = False
    pending_replacement: bool = False
    additional_secret_outputs: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    deleted_with: str = ""
    replace_with: list[str] = field(default_factory=list)
    replacement_trigger: Any = None
    ignore_changes: list[str] = field(default_factory=list)
    replace_on_changes: list[str] = field(default_factory=list)
    #: Read by the program (``get`` / ``ResourceOptions(id=...)``): Pulumi does not own
    #: its lifecycle, so it is never deleted, only dropped from the state.
    external: bool = False

    @property
    def name(self) -> str:
        """The resource's name (the last part of its URN)."""
        return urn_name(self.urn)

    @property
    def dynamic(self) -> bool:
        """Whether the Python dynamic provider manages it."""
        return self.custom and bool(self.provider)

    def copy(self) -> ResourceState:
        """A copy that shares no lists or dicts with this one."""
        return ResourceState(**{k: _copy(v) for k, v in self.__dict__.items()})

    def to_json(self, encrypt: Callable[[Any], str]) -> dict[str, Any]:
        """The state-file form (secrets encrypted with ``encrypt``)."""
        data: dict[str, Any] = {"urn": self.urn, "custom": self.custom}
        if self.delete:
            data["delete"] = True
        if self.id:
            data["id"] = self.id
        data["type"] = self.type
        if self.external:
            data["external"] = True
        data["inputs"] = encode_props(self.inputs, encrypt)
        data["outputs"] = encode_props(self.outputs, encrypt)
        optional: dict[str, Any] = {
            "parent": self.parent,
            "protect": self.protect,
            "dependencies": list(self.dependencies),
            "provider": self.provider,
            "propertyDependencies": {k: list(v) for k, v in self.property_dependencies.items()},
            "pendingReplacement": self.pending_replacement,
            "additionalSecretOutputs": list(self.additional_secret_outputs),
            "aliases": list(self.aliases),
            "retainOnDelete": self.retain_on_delete,
            "deletedWith": self.deleted_with,
            "replaceWith": list(self.replace_with),
            "ignoreChanges": list(self.ignore_changes),
            "replaceOnChanges": list(self.replace_on_changes),
        }
        data.update({k: v for k, v in optional.items() if v})
        if self.replacement_trigger is not None:
            data["replacementTrigger"] = encode_value(self.replacement_trigger, encrypt)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any], decrypt: Callable[[str], Any]) -> ResourceState:
        """Parse the state-file form."""
        trigger = data.get("replacementTrigger")
        return cls(
            urn=str(data["urn"]),
            type=str(data["type"]),
            custom=bool(data.get("custom", False)),
            id=str(data.get("id", "")),
            inputs=decode_props(data.get("inputs") or {}, decrypt),
            outputs=decode_props(data.get("outputs") or {}, decrypt),
            parent=str(data.get("parent", "")),
            dependencies=[str(d) for d in data.get("dependencies") or []],
            property_dependencies={
                str(k): [str(u) for u in v]
                for k, v in (data.get("propertyDependencies") or {}).items()
            },
            provider=str(data.get("provider", "")),
            protect=bool(data.get("protect", False)),
            retain_on_delete=bool(data.get("retainOnDelete", False)),
            delete=bool(data.get("delete", False)),
            pending_replacement=bool(data.get("pendingReplacement", False)),
            additional_secret_outputs=[str(k) for k in data.get("additionalSecretOutputs") or []],
            aliases=[str(a) for a in data.get("aliases") or []],
            deleted_with=str(data.get("deletedWith", "")),
            replace_with=[str(u) for u in data.get("replaceWith") or []],
            replacement_trigger=None if trigger is None else decode_value(trigger, decrypt),
            ignore_changes=[str(p) for p in data.get("ignoreChanges") or []],
            replace_on_changes=[str(p) for p in data.get("replaceOnChanges") or []],
            external=bool(data.get("external", False)),
        )


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, SecretValue):
        return SecretValue(_copy(value.value))
    return value


def encode_value(value: Any, encrypt: Callable[[Any], str]) -> Any:
    """A property value's state-file form: secrets as encrypted secret objects."""
    if isinstance(value, SecretValue):
        plain = to_wire(value.value, keep_secrets=True, keep_unknowns=False)
        return {SIG_KEY: SECRET_SIG, "ciphertext": encrypt(plain)}
    if isinstance(value, dict):
        return {k: encode_value(v, encrypt) for k, v in value.items()}
    if isinstance(value, list):
        return [encode_value(v, encrypt) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def encode_props(props: Mapping[str, Any], encrypt: Callable[[Any], str]) -> dict[str, Any]:
    """:func:`encode_value` of every property."""
    return {k: encode_value(v, encrypt) for k, v in props.items()}


def decode_value(value: Any, decrypt: Callable[[str], Any]) -> Any:
    """The inverse of :func:`encode_value`."""
    if isinstance(value, Mapping):
        if value.get(SIG_KEY) == SECRET_SIG:
            if "plaintext" in value:  # `pulumi stack export --show-secrets`
                return SecretValue(from_wire(json.loads(str(value["plaintext"]))))
            if "ciphertext" not in value:
                raise StateFileError("a secret in the state file has no ciphertext")
            return SecretValue(from_wire(decrypt(str(value["ciphertext"]))))
        return {k: decode_value(v, decrypt) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_value(v, decrypt) for v in value]
    return value


def decode_props(props: Mapping[str, Any], decrypt: Callable[[str], Any]) -> Props:
    """:func:`decode_value` of every property."""
    return {k: decode_value(v, decrypt) for k, v in props.items()}


@dataclass
class StackState:
    """Everything the state file holds (secrets decrypted in memory)."""

    stack: str
    project: str
    salt: bytes
    resources: list[ResourceState] = field(default_factory=list)

    def live(self) -> dict[str, ResourceState]:
        """Resources by URN, leaving out replaced ones waiting for deletion."""
        return {r.urn: r for r in self.resources if not r.delete}

    def stack_resource(self) -> ResourceState | None:
        """The ``pulumi:pulumi:Stack`` resource, if recorded."""
        return next((r for r in self.resources if r.type == STACK_TYPE and not r.delete), None)

    def outputs(self) -> Props:
        """The stack's exports."""
        root = self.stack_resource()
        return dict(root.outputs) if root else {}


class StateStore:
    """Reads and writes one state file; the passphrase is resolved only when a secret is
    encrypted or decrypted."""

    def __init__(self, path: Path, stack: str, project: str, passphrase: str | None) -> None:
        self.path = path
        self.stack = stack
        self.project = project
        self._passphrase = passphrase
        self._crypter: Crypter | None = None
        self._salt: bytes | None = None
        self._check: str = ""

    def _get_crypter(self) -> Crypter:
        if self._crypter is None:
            if self._salt is None:
                self._salt = _random.token_bytes(16)
            crypter = Crypter.for_state(resolve_passphrase(self._passphrase, self.path), self._salt)
            if self._check:
                crypter.verify(self._check)
            else:
                self._check = crypter.check_value()
            self._crypter = crypter
        return self._crypter

    def encrypt(self, value: Any) -> str:
        """Encrypt a plain JSON value."""
        return self._get_crypter().encrypt(value)

    def decrypt(self, ciphertext: str) -> Any:
        """Decrypt a ciphertext of this state file."""
        return self._get_crypter().decrypt(ciphertext)

    def load(self) -> StackState:
        """Read the state file, or an empty state if there is none yet."""
        if not self.path.exists():
            return StackState(self.stack, self.project, salt=self._salt or b"")
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise StateFileError(f"{self.path}: not a readable state file: {exc}") from exc
        version = data.get("version")
        if version != STATE_VERSION:
            raise StateFileError(
                f"{self.path}: unsupported state version {version!r} (this driver writes "
                f"version {STATE_VERSION}; a version 1 file kept secrets as digests only: "
                "destroy what it recorded with the driver that wrote it, then delete it)"
            )
        if (data.get("stack"), data.get("project")) != (self.stack, self.project):
            raise StateFileError(
                f"{self.path}: holds stack {data.get('project')}/{data.get('stack')}, "
                f"not {self.project}/{self.stack}"
            )
        secrets = data.get("secrets") or {}
        if secrets.get("salt") and self._salt is None:
            self._salt = bytes.fromhex(str(secrets["salt"]))
            self._check = str(secrets.get("check") or "")
        resources = [ResourceState.from_json(r, self.decrypt) for r in data.get("resources") or []]
        return StackState(self.stack, self.project, self._salt or b"", resources)

    def save(self, state: StackState) -> None:
        """Write the state file atomically (temporary file in the same folder, then rename)."""
        resources = [r.to_json(self.encrypt) for r in state.resources]
        document: dict[str, Any] = {
            "version": STATE_VERSION,
            "stack": state.stack,
            "project": state.project,
        }
        if self._crypter is not None and self._salt is not None:
            document["secrets"] = {"salt": self._salt.hex(), "check": self._check}
        document["resources"] = resources
        write_atomically(self.path, json.dumps(document, indent=2) + "\n")


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
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
