"""ECS calls on a Flexus L instance's server: details, modify, start/stop/reboot, jobs,
password reset."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pydantic import SecretStr

from .. import catalog
from .base import ClientBase, id_problems
from .endpoints import Service
from .errors import UnexpectedResponse
from .models import Job, ServerDetails, ServerPage, ServerUpdate
from .retry import CallKind
from .transport import Call
from .waiters import JobWaiter, PollingPolicy, Progress

#: The most servers one listing call returns.
MAX_SERVERS_PAGE = 1000
#: The most ids one listing call filters by (the URL stays short).
MAX_SERVER_IDS = 100
#: Server list pages fetched at once by :meth:`EcsCalls.all_servers`.
PAGE_WORKERS = 4


class EcsCalls(ClientBase):
    """``/v1/{project_id}/cloudservers/…`` and ``/v1/{project_id}/jobs/…``."""

    def get_server(self, server_id: str) -> ServerDetails:
        """A server's details: status, power state, hostname, addresses, flavor, …"""
        self._check("ecs_get", id_problems("server_id", server_id))
        reply = self._send(
            Call("ecs_get", Service.ECS, "GET", f"/v1/{self.project_id}/cloudservers/{server_id}")
        )
        return self._parse(ServerDetails, self._object(reply, "server"), "ecs_get", reply)

    def list_servers_page(
        self,
        *,
        page: int = 1,
        limit: int = MAX_SERVERS_PAGE,
        server_ids: Sequence[str] = (),
        name: str | None = None,
        status: str | None = None,
    ) -> ServerPage:
        """One page of the project's servers with their details, newest first: ``page``
        1, 2, … of ``limit`` (1–1000, default 1000) servers; ``server_ids`` (≤ 100) lists
        only those (ECS answers an unknown id with an empty entry, which is left out),
        ``name`` those whose name contains it, ``status`` those in it."""
        problems = []
        if isinstance(page, bool) or not isinstance(page, int) or page < 1:
            problems.append(catalog.Problem("page", "range", f"{page!r}: use 1 or more"))
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 1000:
            problems.append(catalog.Problem("limit", "range", f"{limit!r}: use 1-1000"))
        if len(server_ids) > MAX_SERVER_IDS:
            problems.append(
                catalog.Problem(
                    "server_ids", "length", f"{len(server_ids)} ids: use at most 100 a call"
                )
            )
        for position, sid in enumerate(server_ids):
            problems += id_problems(f"server_ids[{position}]", sid)
        self._check("ecs_list", problems)
        query: list[tuple[str, object]] = [("limit", limit), ("offset", page)]
        if server_ids:
            query.append(("server_id", ",".join(server_ids)))
        if name:
            query.append(("name", name))
        if status:
            query.append(("status", status))
        reply = self._send(
            Call(
                "ecs_list",
                Service.ECS,
                "GET",
                f"/v1/{self.project_id}/cloudservers/detail",
                query=query,
            )
        )
        body = dict(reply.json_object())
        servers = body.get("servers")
        if isinstance(servers, list):
            body["servers"] = [s for s in servers if isinstance(s, dict) and s.get("status")]
        return self._parse(ServerPage, body, "ecs_list", reply)

    def iter_servers(
        self,
        *,
        name: str | None = None,
        status: str | None = None,
        page_size: int = MAX_SERVERS_PAGE,
    ) -> Iterator[ServerDetails]:
        """Every server of the project (newest first; only those whose name contains
        ``name`` / in ``status`` when given), ``page_size`` (default 1000) a call — ⌈N/1000⌉
        calls for N servers — fetched lazily as the iterator is consumed."""
        page = 1
        seen = 0
        while True:
            found = self.list_servers_page(page=page, limit=page_size, name=name, status=status)
            yield from found.servers
            seen += len(found.servers)
            if len(found.servers) < page_size or seen >= found.count:
                return
            page += 1

    def all_servers(self, *, workers: int = PAGE_WORKERS) -> list[ServerDetails]:
        """Every server of the project: the first page says how many there are, and the
        other pages are fetched ``workers`` at a time (default :data:`PAGE_WORKERS`) —
        ⌈N/1000⌉ calls for N servers, in about ⌈N/1000/workers⌉ round trips."""
        first = self.list_servers_page(page=1)
        pages = -(-first.count // MAX_SERVERS_PAGE)
        if pages <= 1 or len(first.servers) < MAX_SERVERS_PAGE:
            return list(first.servers)
        with ThreadPoolExecutor(min(workers, pages - 1), thread_name_prefix="ecs-list") as pool:
            rest = list(pool.map(lambda n: self.list_servers_page(page=n), range(2, pages + 1)))
        seen: dict[str, ServerDetails] = {}
        for page in (first, *rest):
            for server in page.servers:
                seen.setdefault(server.id, server)
        return list(seen.values())

    def list_servers(self, server_ids: Sequence[str] | None = None) -> list[ServerDetails]:
        """Details of many servers at once — the exact power state, status and hostname of
        a fleet without one call per server: every server of the project (⌈N/1000⌉ calls),
        or only ``server_ids``, in that order, leaving out ids ECS does not know (one
        filtered call for up to 100 ids, else the whole listing)."""
        if server_ids is None:
            return self.all_servers()
        wanted = list(dict.fromkeys(server_ids))
        if not wanted:
            return []
        if len(wanted) <= MAX_SERVER_IDS:
            listed = self.list_servers_page(server_ids=wanted, limit=len(wanted)).servers
        else:
            listed = self.all_servers()
        found = {s.id: s for s in listed}
        return [found[sid] for sid in wanted if sid in found]

    def update_server(
        self,
        server_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        hostname: str | None = None,
    ) -> ServerDetails:
        """Change a server's name (1–64 chars), description (0–85, no ``<>``) and/or
        hostname (takes effect after the next reboot); None leaves a field unchanged.
        Returns the server as the cloud answers (fewer fields than :meth:`get_server`)."""
        update = ServerUpdate(name=name, description=description, hostname=hostname)
        problems = id_problems("server_id", server_id)
        if name is not None:
            problems += catalog.check_server_name(name)
        if description is not None:
            problems += catalog.check_server_description(description)
        if hostname is not None:
            problems += catalog.check_hostname(hostname)
        if name is None and description is None and hostname is None:
            problems.append(
                catalog.Problem("server", "required", "give name, description or hostname")
            )
        self._check("ecs_modify", problems)
        reply = self._send(
            Call(
                "ecs_modify",
                Service.ECS,
                "PUT",
                f"/v1/{self.project_id}/cloudservers/{server_id}",
                body={"server": update.to_wire()},
            )
        )
        return self._parse(ServerDetails, self._object(reply, "server"), "ecs_modify", reply)

    def start_servers(self, server_ids: Sequence[str]) -> str:
        """Start up to 1000 servers; returns the job id (see :meth:`wait_for_job`)."""
        return self._action("os-start", server_ids, None)

    def stop_servers(self, server_ids: Sequence[str], *, hard: bool = False) -> str:
        """Stop up to 1000 servers (``hard`` default False: a clean shutdown); returns the
        job id."""
        return self._action("os-stop", server_ids, "HARD" if hard else "SOFT")

    def reboot_servers(self, server_ids: Sequence[str], *, hard: bool = False) -> str:
        """Reboot up to 1000 servers (``hard`` default False); returns the job id."""
        return self._action("reboot", server_ids, "HARD" if hard else "SOFT")

    def _action(self, action: str, server_ids: Sequence[str], kind: str | None) -> str:
        servers = [{"id": sid} for sid in server_ids]
        self._check("ecs_action", catalog.check_server_ids(servers))
        inner: dict[str, Any] = {"servers": servers}
        if kind is not None:
            inner["type"] = kind
        reply = self._send(
            Call(
                "ecs_action",
                Service.ECS,
                "POST",
                f"/v1/{self.project_id}/cloudservers/action",
                body={action: inner},
                kind=CallKind.UNSAFE,
            )
        )
        job_id = reply.json_object().get("job_id")
        if not isinstance(job_id, str) or not job_id:
            raise UnexpectedResponse("ecs_action", "no job_id", request_id=reply.request_id)
        return job_id

    def get_job(self, job_id: str) -> Job:
        """An ECS job's state (``INIT``, ``RUNNING``, ``SUCCESS``, ``FAIL``) and sub-jobs."""
        self._check("ecs_job", id_problems("job_id", job_id))
        reply = self._send(
            Call("ecs_job", Service.ECS, "GET", f"/v1/{self.project_id}/jobs/{job_id}")
        )
        return self._parse(Job, reply.json_object(), "ecs_job", reply)

    def job_waiter(
        self,
        job_id: str,
        *,
        policy: PollingPolicy | None = None,
        progress: Progress | None = None,
        started: float | None = None,
    ) -> JobWaiter:
        """A waiter for an ECS job (see :class:`JobWaiter`); ``policy`` defaults to
        :data:`~flexus_pulumi.cloud.waiters.JOB_POLLING`. It also polls once when this
        client's recent jobs finished (:attr:`job_history`)."""
        return JobWaiter(
            self.get_job,
            job_id,
            policy=policy,
            progress=progress,
            started=started,
            history=self.job_history,
            clock=self.clock,
        )

    def wait_for_job(
        self,
        job_id: str,
        *,
        timeout: float | None = None,
        policy: PollingPolicy | None = None,
        progress: Progress | None = None,
    ) -> Job:
        """Wait until the job succeeds and return it; :class:`JobFailed` names every failed
        server and why; :class:`WaitTimeout` after ``timeout`` seconds (default: the
        policy's deadline)."""
        return self.job_waiter(job_id, policy=policy, progress=progress).result(timeout=timeout)

    def reset_password(self, server_ids: Sequence[str], new_password: str | SecretStr) -> list[str]:
        """Set the admin (root/Administrator) password of up to 1000 servers; it takes effect
        at the next start or reboot. Returns the ids the cloud accepted. The password is
        checked first (8–26 chars, 3 character classes, …) and never appears in messages.
        Not retried once sent."""
        secret = new_password if isinstance(new_password, SecretStr) else SecretStr(new_password)
        servers = [{"id": sid} for sid in server_ids]
        problems = catalog.check_server_ids(servers)
        problems += catalog.check_password(secret.get_secret_value(), "new_password")
        self._check("ecs_reset_password", problems)
        reply = self._send(
            Call(
                "ecs_reset_password",
                Service.ECS,
                "PUT",
                f"/v1/{self.project_id}/cloudservers/os-reset-passwords",
                body={"new_password": secret.get_secret_value(), "servers": servers},
                kind=CallKind.UNSAFE,
            )
        )
        items = reply.json_object().get("response") or []
        return [str(i["id"]) for i in items if isinstance(i, dict) and i.get("id")]


__all__ = ["MAX_SERVERS_PAGE", "MAX_SERVER_IDS", "EcsCalls"]
