"""The whole emulated cloud as one object, and its persistence to a JSON file.

The state file holds everything needed to continue after a restart: the account and its
generated credentials, settings, the clock offset, orders, instances, jobs, tokens and
temporary credentials.
It is written atomically (temporary file + rename) with owner-only permissions, because
it holds the account's secret key.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flexus_pulumi import catalog

from . import ids
from .models import Instance, Job, Order, Server, TemporaryCredential, Token, load
from .settings import Settings

STATE_FORMAT = 1
DEFAULT_REGION = "ap-southeast-3"


@dataclass
class Account:
    """The emulated customer account: keys, IAM user and one project per region."""

    access_key: str
    secret_key: str
    domain_id: str
    domain_name: str
    user_id: str
    user_name: str
    password: str
    projects: dict[str, str]

    def __repr__(self) -> str:
        return f"Account(access_key={self.access_key!r}, domain_id={self.domain_id!r})"

    @classmethod
    def generate(cls) -> Account:
        """A new account with random credentials and a project in every Flexus L region."""
        suffix = ids.hex_id(6)
        return cls(
            access_key=ids.credential(20),
            secret_key=ids.credential(40),
            domain_id=ids.hex_id(32),
            domain_name=f"flexus-emu-{suffix}",
            user_id=ids.hex_id(32),
            user_name=f"flexus-emu-{suffix}",
            password=ids.credential(8) + "-a1" + ids.credential(8).lower(),
            projects={region: ids.hex_id(32) for region in catalog.REGIONS},
        )

    def region_of_project(self, project_id: str) -> str | None:
        """The region whose project id this is, or None."""
        return next((r for r, p in self.projects.items() if p == project_id), None)


@dataclass
class CloudState:
    """Everything the emulated cloud knows."""

    account: Account
    settings: Settings = field(default_factory=Settings)
    clock_offset: float = 0.0
    orders: dict[str, Order] = field(default_factory=dict)
    instances: dict[str, Instance] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    temporary: dict[str, TemporaryCredential] = field(default_factory=dict)
    client_requests: dict[str, str] = field(default_factory=dict)

    def clear(self) -> None:
        """Forget every order, instance, job, token, temporary credential and remembered
        Client-Request-Id."""
        self.orders.clear()
        self.instances.clear()
        self.jobs.clear()
        self.tokens.clear()
        self.temporary.clear()
        self.client_requests.clear()

    def server(self, server_id: str) -> tuple[Instance, Server] | None:
        """The live instance owning server ``server_id``, or None."""
        for inst in self.instances.values():
            if inst.server is not None and inst.server.id == server_id and inst_is_live(inst):
                return inst, inst.server
        return None

    def used_public_ips(self) -> set[str]:
        """Public addresses held by live instances."""
        return {i.public_ip for i in self.instances.values() if i.public_ip and inst_is_live(i)}

    def to_json(self) -> dict[str, Any]:
        """The persisted form (holds the secret key: keep it private)."""
        data = dataclasses.asdict(self)
        data["format"] = STATE_FORMAT
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CloudState:
        """Rebuild from :meth:`to_json` output."""
        if data.get("format") != STATE_FORMAT:
            raise ValueError(f"unsupported emulator state format {data.get('format')!r}")
        return cls(
            account=load(Account, data["account"]),
            settings=load(Settings, data.get("settings", {})),
            clock_offset=float(data.get("clock_offset", 0.0)),
            orders={k: load(Order, v) for k, v in data.get("orders", {}).items()},
            instances={k: load(Instance, v) for k, v in data.get("instances", {}).items()},
            jobs={k: load(Job, v) for k, v in data.get("jobs", {}).items()},
            tokens={k: load(Token, v) for k, v in data.get("tokens", {}).items()},
            temporary={
                k: load(TemporaryCredential, v) for k, v in data.get("temporary", {}).items()
            },
            client_requests=dict(data.get("client_requests", {})),
        )


def inst_is_live(inst: Instance) -> bool:
    """Whether the instance exists in the cloud (provisioned and not removed)."""
    return inst.status in ("active", "unsubscribing")


def read_state(path: Path) -> CloudState | None:
    """The state saved at ``path``; None when the file does not exist; ValueError when it
    is not a state file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        return CloudState.from_json(json.loads(text))
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path} is not an emulator state file: {exc}") from None


def write_state(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
