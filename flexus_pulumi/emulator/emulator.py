"""``Emulator``: the local Flexus L cloud, served from a background thread."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from flexus_pulumi import catalog

from . import ecs, profiles
from .backend import Backend
from .console import Console
from .control_client import EmulatorControl
from .dispatch import Dispatcher
from .server import EmulatorHTTPServer, is_loopback
from .state import DEFAULT_REGION


class Emulator:
    """A running emulated cloud: every API on one local port, plus the control API.

    Settings left as None take the value saved in ``state_file`` or else their default
    (see :data:`~flexus_pulumi.emulator.settings.SETTINGS`): ``order_seconds`` 3.0,
    ``job_seconds`` 1.0, ``config_lag_seconds`` 2.0 (the ``pessimistic`` profile: 90), ``unsubscribe_seconds`` 0.0,
    ``clock_speed`` 1.0, ``token_ttl_seconds`` 86400, ``dedupe_client_request_id`` False.
    ``settings`` gives any setting by name (e.g. ``{"unknown_order": "404"}``); ``profile``
    (e.g. ``"pessimistic"``, see :mod:`.profiles`) applies a named combination first, and
    the explicit settings go on top.

    ``state_file`` (default None: memory only) keeps state, credentials and clock across
    restarts. ``host`` defaults to 127.0.0.1; a non-loopback host needs
    ``allow_remote=True``. ``port`` 0 (default) picks a free port. ``region`` (default
    ap-southeast-3) is the region whose project id :attr:`project_id` is.

    Use as a context manager, or call :meth:`start` and :meth:`stop`.
    """

    def __init__(
        self,
        *,
        order_seconds: float | None = None,
        job_seconds: float | None = None,
        config_lag_seconds: float | None = None,
        unsubscribe_seconds: float | None = None,
        clock_speed: float | None = None,
        token_ttl_seconds: float | None = None,
        dedupe_client_request_id: bool | None = None,
        settings: Mapping[str, Any] | None = None,
        profile: str | None = None,
        state_file: str | os.PathLike[str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        allow_remote: bool = False,
        region: str = DEFAULT_REGION,
    ) -> None:
        if region not in catalog.REGIONS:
            raise ValueError(
                f"{region!r} does not sell Flexus L; use one of {', '.join(catalog.REGIONS)}"
            )
        if not allow_remote and not is_loopback(host):
            raise ValueError(
                f"refusing to listen on non-loopback host {host!r} without allow_remote=True"
            )
        given = {
            "order_seconds": order_seconds,
            "job_seconds": job_seconds,
            "config_lag_seconds": config_lag_seconds,
            "unsubscribe_seconds": unsubscribe_seconds,
            "clock_speed": clock_speed,
            "token_ttl_seconds": token_ttl_seconds,
            "dedupe_client_request_id": dedupe_client_request_id,
        }
        chosen = profiles.profile(profile) if profile is not None else {}
        chosen.update(settings or {})
        chosen.update({k: v for k, v in given.items() if v is not None})
        self.backend = Backend(
            state_file=Path(state_file) if state_file is not None else None,
            settings=chosen,
        )
        self.host = host
        self.port = port
        self.region = region
        self._server: EmulatorHTTPServer | None = None
        self._dispatcher: Dispatcher | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        where = self.endpoint if self._server is not None else "not running"
        return f"Emulator({where}, access_key={self.access_key!r})"

    # --- lifecycle --------------------------------------------------------------------

    def start(self) -> Emulator:
        """Start serving in a background thread; returns self."""
        if self._server is not None:
            return self
        self._dispatcher = Dispatcher(self.backend)
        self._server = EmulatorHTTPServer((self.host, self.port), self._dispatcher)
        self.port = self._server.server_address[1]
        self.backend.base_url = self.endpoint
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"flexus-emulator-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until :meth:`stop` is called from another."""
        self.start()
        assert self._thread is not None
        self._thread.join()

    def stop(self) -> None:
        """Stop serving and save the state file."""
        server, self._server = self._server, None
        if self._dispatcher is not None:
            self._dispatcher.closed = True
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self.backend.persist(force=True)

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- connection facts -------------------------------------------------------------

    @property
    def endpoint(self) -> str:
        """Base URL of every service, e.g. ``http://127.0.0.1:PORT`` (no trailing slash)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def access_key(self) -> str:
        """The account's access key (AK)."""
        return self.backend.account.access_key

    @property
    def secret_key(self) -> str:
        """The account's secret key (SK)."""
        return self.backend.account.secret_key

    @property
    def project_id(self) -> str:
        """The project id of :attr:`region`."""
        return self.backend.account.projects[self.region]

    @property
    def projects(self) -> dict[str, str]:
        """Project id by region."""
        return dict(self.backend.account.projects)

    @property
    def domain_id(self) -> str:
        """The account (domain) id."""
        return self.backend.account.domain_id

    @property
    def domain_name(self) -> str:
        """The account (domain) name, for IAM password tokens."""
        return self.backend.account.domain_name

    @property
    def user_name(self) -> str:
        """The IAM user name, for password tokens."""
        return self.backend.account.user_name

    @property
    def password(self) -> str:
        """The IAM user's password, for password tokens."""
        return self.backend.account.password

    @property
    def control(self) -> EmulatorControl:
        """The control API over HTTP (what another process would use)."""
        return EmulatorControl(self.endpoint)

    def connection_info(self) -> dict[str, str]:
        """``endpoint``, ``access_key``, ``secret_key``, ``project_id``, ``domain_id``,
        ``region`` (what ``flexus-pulumi emulator`` prints)."""
        return {
            "endpoint": self.endpoint,
            "access_key": self.access_key,
            "secret_key": self.secret_key,
            "project_id": self.project_id,
            "domain_id": self.domain_id,
            "region": self.region,
        }

    # --- control ----------------------------------------------------------------------

    def reset(self) -> None:
        """Forget all resources, temporary credentials, faults, lockouts and call counts;
        settings back to those given at construction; clock back to real time. The account's
        credentials stay."""
        self.backend.reset()

    def state(self) -> dict[str, Any]:
        """Everything the emulator holds, without secrets."""
        return self.backend.dump()

    def pay(self, order_id: str) -> dict[str, Any]:
        """Pay a pending-payment order (it then processes for ``order_seconds``)."""
        return self.backend.pay(order_id)

    def cancel(self, order_id: str) -> dict[str, Any]:
        """Cancel a pending or processing order: nothing of it is created."""
        return self.backend.cancel(order_id)

    def settings(self, **changes: Any) -> dict[str, Any]:
        """Apply setting changes (none: just read); returns all current settings."""
        return self.backend.update_settings(changes)

    def apply_profile(self, name: str) -> dict[str, Any]:
        """Apply a named combination of settings (see :mod:`.profiles`); returns all
        settings."""
        return self.backend.apply_profile(name)

    def fault(
        self,
        operation: str,
        kind: str,
        count: int = 1,
        status: int | None = None,
        code: str | None = None,
        message: str | None = None,
        seconds: float | None = None,
        *,
        after: int = 0,
        match: str | None = None,
        retry_after: float | None = None,
    ) -> dict[str, Any]:
        """Inject a fault on ``operation`` (an operation, a service or ``*``): after
        ``after`` matching calls, for the next ``count`` (see
        :mod:`~flexus_pulumi.emulator.faults` for the kinds); returns it with its ``id``."""
        return self.backend.faults.add(
            operation,
            kind,
            count,
            status,
            code,
            message,
            seconds,
            after=after,
            match=match,
            retry_after=retry_after,
        ).public()

    def faults(self) -> list[dict[str, Any]]:
        """The faults still active."""
        return self.backend.faults.active()

    def clear_fault(self, fault_id: str) -> None:
        """Remove one fault by id (KeyError if unknown)."""
        self.backend.faults.clear(fault_id)

    def clear_faults(self) -> None:
        """Remove every fault."""
        self.backend.faults.clear()

    def temporary_credentials(self, seconds: float | None = None) -> dict[str, Any]:
        """New temporary ``access_key``, ``secret_key`` and ``security_token``, valid for
        ``seconds`` emulated seconds (default: ``token_ttl_seconds``)."""
        return self.backend.issue_temporary_credentials(seconds)

    @property
    def console(self) -> Console:
        """Out-of-band changes to instances, as made in the console (for drift tests)."""
        return Console(self.backend)

    def calls(self) -> dict[str, int]:
        """API calls per operation since the last reset or :meth:`clear_calls`."""
        return self.backend.calls.snapshot()

    def clear_calls(self) -> None:
        """Start counting calls from zero."""
        self.backend.calls.clear()

    def advance(self, seconds: float) -> float:
        """Move the emulated clock forward by ``seconds``; returns the new time."""
        return self.backend.advance_clock(seconds)

    def password_matches(self, server_id: str, password: str) -> bool:
        """Whether ``password`` is the last one set on the server by a password reset."""
        with self.backend.lock:
            found = self.backend.state.server(server_id)
            if found is None:
                return False
            server = found[1]
            if server.password_hash is None or server.password_salt is None:
                return False
            return ecs.password_hash(password, server.password_salt) == server.password_hash
