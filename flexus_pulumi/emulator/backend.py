"""The emulated cloud behind one lock: state, clock, faults, call counts, persistence."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import ids, lifecycle, profiles, terms
from .clock import Clock, iso_millis
from .faults import FaultBook
from .lockout import Lockout
from .metering import CallCounter, Throttle
from .models import Instance, TemporaryCredential
from .settings import Settings
from .state import Account, CloudState, read_state, write_state


class Backend:
    """The whole emulated cloud.

    ``state_file`` (default None: memory only) is loaded if it exists and rewritten
    atomically after every change. ``settings`` override the loaded (or default) settings
    and are what :meth:`reset` returns to.
    """

    def __init__(
        self,
        *,
        state_file: Path | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        self.state_file = state_file
        loaded = read_state(state_file) if state_file is not None else None
        self.state = loaded or CloudState(account=Account.generate())
        if settings:
            self.state.settings = self.state.settings.updated(settings)
        self.base_settings = self.state.settings
        self.lock = threading.RLock()
        self.clock = Clock(offset=self.state.clock_offset, speed=self.state.settings.clock_speed)
        self.faults = FaultBook()
        self.calls = CallCounter()
        self.throttle = Throttle()
        self.lockout = Lockout()
        self.base_url = ""
        self._saved_key: str | None = None
        self.persist(force=True)

    @property
    def account(self) -> Account:
        """The emulated account and its credentials."""
        return self.state.account

    @property
    def settings(self) -> Settings:
        """The current settings."""
        return self.state.settings

    def now(self) -> float:
        """Current emulated time."""
        return self.clock.now()

    def server_time(self) -> float:
        """The server's idea of real time (real time plus ``clock_skew_seconds``): what
        signing times are checked against."""
        return time.time() + self.settings.clock_skew_seconds

    def tick(self) -> None:
        """Apply every transition that is due (orders, jobs, unsubscriptions, then the ends
        of prepaid terms)."""
        with self.lock:
            now = self.now()
            lifecycle.advance(self.state, now)
            terms.advance(self.state, now)

    def persist(self, *, force: bool = False) -> None:
        """Write the state file if anything changed (or ``force``)."""
        if self.state_file is None:
            return
        with self.lock:
            self.state.clock_offset = self.clock.offset
            data = self.state.to_json()
            key = json.dumps({k: v for k, v in data.items() if k != "clock_offset"}, sort_keys=True)
            if force or key != self._saved_key:
                write_state(self.state_file, json.dumps(data, indent=1, sort_keys=True))
                self._saved_key = key

    def reset(self) -> None:
        """Forget all resources, temporary credentials, faults, lockouts and call counts;
        settings back to the initial ones; the clock back to real time. The account's
        credentials stay."""
        with self.lock:
            self.state.clear()
            self.state.settings = self.base_settings
            self.clock.reset(self.base_settings.clock_speed)
            self.faults.clear()
            self.calls.clear()
            self.lockout.clear()
            self.persist(force=True)

    def update_settings(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Apply setting changes; returns all settings. ValueError if a change is invalid."""
        with self.lock:
            self.tick()
            new = self.state.settings.updated(changes)
            if new.clock_speed != self.clock.speed:
                self.clock.speed = new.clock_speed
            self.state.settings = new
            self.persist()
            return new.as_dict()

    def issue_temporary_credentials(self, seconds: float | None = None) -> dict[str, Any]:
        """New temporary AK/SK and security token, valid for ``seconds`` emulated seconds
        (default: ``token_ttl_seconds``). Returns ``access_key``, ``secret_key``,
        ``security_token`` and ``expires_at`` (ISO)."""
        if seconds is not None and (
            isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds <= 0
        ):
            raise ValueError(f"seconds must be a number > 0, not {seconds!r}")
        with self.lock:
            now = self.now()
            issued = TemporaryCredential(
                access_key=ids.credential(20),
                secret_key=ids.credential(40),
                security_token=ids.token(),
                issued_at=now,
                expires_at=now + (seconds or self.settings.token_ttl_seconds),
            )
            self.state.temporary = {
                k: v for k, v in self.state.temporary.items() if v.expires_at > now
            }
            self.state.temporary[issued.access_key] = issued
            self.persist()
            return {
                "access_key": issued.access_key,
                "secret_key": issued.secret_key,
                "security_token": issued.security_token,
                "expires_at": iso_millis(issued.expires_at),
            }

    def apply_profile(self, name: Any) -> dict[str, Any]:
        """Apply the settings of profile ``name`` (see :mod:`.profiles`); returns all
        settings."""
        if not isinstance(name, str):
            raise ValueError(f"name: give a profile name ({', '.join(profiles.PROFILES)})")
        return self.update_settings(profiles.profile(name))

    def advance_clock(self, seconds: float) -> float:
        """Move emulated time forward; returns the new time."""
        with self.lock:
            now = self.clock.advance(seconds)
            self.tick()
            self.persist(force=True)
            return now

    def pay(self, order_id: str) -> dict[str, Any]:
        """Pay a pending-payment order. KeyError if unknown, ValueError if not payable."""
        with self.lock:
            self.tick()
            order = self.state.orders[order_id]
            lifecycle.pay_order(self.state, order, self.now())
            self.tick()
            self.persist()
            return dataclasses.asdict(order)

    def cancel(self, order_id: str) -> dict[str, Any]:
        """Cancel a pending or processing order. KeyError if unknown, ValueError if done."""
        with self.lock:
            self.tick()
            order = self.state.orders[order_id]
            lifecycle.cancel_order(self.state, order)
            self.persist()
            return dataclasses.asdict(order)

    def dump(self) -> dict[str, Any]:
        """Everything for inspection, without secrets (no secret key, password, tokens or
        password hashes): ``now`` (emulated, ISO), ``account`` (access key, domain, user
        name, project id by region), ``settings``, ``orders`` / ``instances`` / ``jobs`` by id
        (their model fields; an instance's ``server`` included), ``tokens`` and
        ``temporary_credentials`` (counts), ``faults`` (still active) and ``calls``."""
        with self.lock:
            self.tick()
            account = self.account
            return {
                "now": iso_millis(self.now()),
                "account": {
                    "access_key": account.access_key,
                    "domain_id": account.domain_id,
                    "domain_name": account.domain_name,
                    "user_name": account.user_name,
                    "projects": dict(account.projects),
                },
                "settings": self.settings.as_dict(),
                "orders": {k: dataclasses.asdict(v) for k, v in self.state.orders.items()},
                "instances": {k: public_instance(v) for k, v in self.state.instances.items()},
                "jobs": {k: dataclasses.asdict(v) for k, v in self.state.jobs.items()},
                "tokens": len(self.state.tokens),
                "temporary_credentials": len(self.state.temporary),
                "faults": self.faults.active(),
                "calls": self.calls.snapshot(),
            }


def public_instance(inst: Instance) -> dict[str, Any]:
    """An instance's model fields (its server's included) without password hashes."""
    data = dataclasses.asdict(inst)
    if data.get("server"):
        data["server"].pop("password_hash", None)
        data["server"].pop("password_salt", None)
    return data
