"""ECS: server details, modify, batch start/stop/reboot, job status, password reset.

A server is found only through its own region's project id (as on the real, regional
ECS endpoints); anything else is 404 ``Ecs.0114``. A hostname change is kept pending and
applies when the server next boots (reboot, or stop then start); so does a new password.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from flexus_pulumi import catalog

from . import ecs_shapes, ids, lifecycle
from .backend import Backend
from .errors import ApiError
from .models import Instance, Job, Server, SubJob
from .product import SYS_TAG_L_INSTANCE
from .state import inst_is_live
from .wire import Reply, Request

#: Action body keys → actions.
ACTION_KEYS = {"os-start": "start", "os-stop": "stop", "reboot": "reboot"}
PBKDF2_ITERATIONS = 10_000


def _not_found(server_id: str) -> ApiError:
    return ApiError(404, "Ecs.0114", f"Instance[{server_id}] could not be found.")


def _server(cloud: Backend, project_id: str, server_id: str) -> tuple[Instance, Server]:
    found = cloud.state.server(server_id)
    if found is None or found[0].project_id != project_id:
        raise _not_found(server_id)
    return found


def _problems(req: Request, problems: list[catalog.Problem], code: str = "Ecs.0005") -> None:
    if problems:
        raise ApiError(400, code, "; ".join(str(p) for p in problems))


#: Servers per page of the listing: default and most.
LIST_DEFAULT_LIMIT = 25
LIST_MAX_LIMIT = 1000


def _listed(inst: Instance, server: Server, req: Request) -> bool:
    """Whether ``server`` passes the listing's filters (``server_id`` overrides the rest)."""
    wanted = req.arg("server_id")
    if wanted is not None:
        return server.id in wanted.split(",")
    addresses = [server.fixed_ip, inst.public_ip]
    tags = [SYS_TAG_L_INSTANCE]
    checks: dict[str, Callable[[str], bool]] = {
        "name": lambda v: v in server.name,
        "status": lambda v: v.upper() == server.status,
        "flavor": lambda v: v == server.flavor_id,
        "ip": lambda v: any(v in a for a in addresses if a),
        "ip_eq": lambda v: v in addresses,
        "tags": lambda v: v in tags,
        "not-tags": lambda v: v not in tags,
        "reservation_id": lambda v: False,
    }
    return all(check(value) for key, check in checks.items() if (value := req.arg(key)))


def list_servers(cloud: Backend, req: Request) -> Reply:
    """``GET /v1/{project_id}/cloudservers/detail``: the project's servers, newest first, one
    page at a time — ``limit`` 1–1000 (default 25) and ``offset`` the page number (0 and 1
    are the first), or ``marker`` the id of the last server of the previous page. Filters:
    ``name`` (contains), ``status``, ``flavor``, ``ip`` (contains), ``ip_eq``, ``tags`` /
    ``not-tags`` (a server tag), ``server_id`` (comma-separated ids; the other filters are then
    ignored, and an unknown id gets an entry whose fields but ``id`` and ``fault`` are null).
    Answers ``{"count": every match, "servers": [the page]}``."""
    project_id = req.params["project_id"]
    limit = req.int_arg("limit", LIST_DEFAULT_LIMIT, 1, LIST_MAX_LIMIT)
    page = req.int_arg("offset", 1, 0, 10**6) or 1
    rows = sorted(
        (
            (inst, inst.server)
            for inst in cloud.state.instances.values()
            if inst.server is not None
            and inst_is_live(inst)
            and inst.project_id == project_id
            and _listed(inst, inst.server, req)
        ),
        key=lambda row: (row[1].created_at, row[1].id),
        reverse=True,
    )
    unknown = [
        sid
        for sid in (req.arg("server_id") or "").split(",")
        if sid and sid not in {server.id for _, server in rows}
    ]
    marker = req.arg("marker")
    if marker:
        listed = [server.id for _, server in rows]
        if marker not in listed:
            raise req.invalid(f"marker: {marker!r} is not a server of this listing")
        chunk = rows[listed.index(marker) + 1 :][:limit]
    else:
        chunk = rows[(page - 1) * limit : page * limit]
    servers = [ecs_shapes.server_detail(i, s, cloud.account)["server"] for i, s in chunk]
    if page == 1 and not marker:
        servers += [ecs_shapes.unknown_server(sid) for sid in unknown]
    return Reply(200, {"count": len(rows) + len(unknown), "servers": servers})


def show_server(cloud: Backend, req: Request) -> Reply:
    """``GET /v1/{project_id}/cloudservers/{server_id}``."""
    inst, server = _server(cloud, req.params["project_id"], req.params["server_id"])
    return Reply(200, ecs_shapes.server_detail(inst, server, cloud.account))


def update_server(cloud: Backend, req: Request) -> Reply:
    """``PUT /v1/{project_id}/cloudservers/{server_id}`` with ``{"server": {name,
    description, hostname}}``."""
    inst, server = _server(cloud, req.params["project_id"], req.params["server_id"])
    body = req.json_object()
    changes = body.get("server")
    if not isinstance(changes, dict):
        raise req.invalid("server: is required (an object with name, description, hostname)")
    problems: list[catalog.Problem] = []
    if not any(k in changes for k in ("name", "description", "hostname")):
        problems.append(
            catalog.Problem(
                "server", "required", "give at least one of name, description, hostname"
            )
        )
    if "name" in changes:
        problems += catalog.check_server_name(changes["name"], "server.name")
    if "description" in changes:
        problems += catalog.check_server_description(changes["description"], "server.description")
    if "hostname" in changes:
        problems += catalog.check_hostname(changes["hostname"], "server.hostname")
    _problems(req, problems)
    if "name" in changes:
        server.name = changes["name"]
    if "description" in changes:
        server.description = changes["description"]
    if "hostname" in changes:
        wanted = changes["hostname"]
        server.pending_hostname = None if wanted == server.hostname else wanted
    server.updated_at = cloud.now()
    inst.updated_at = server.updated_at
    return Reply(200, ecs_shapes.server_update_result(inst, server, cloud.account, cloud.base_url))


def _server_ids(servers: Any) -> list[str]:
    return list(dict.fromkeys(s["id"] for s in servers))


def batch_action(cloud: Backend, req: Request) -> Reply:
    """``POST /v1/{project_id}/cloudservers/action`` with ``os-start``, ``os-stop`` or
    ``reboot`` → ``{"job_id"}``. Servers that cannot do the action (wrong state, busy)
    fail in their sub-job; unknown servers fail the whole request (404 ``Ecs.0114``)."""
    project_id = req.params["project_id"]
    body = req.json_object()
    keys = [k for k in body if k in ACTION_KEYS]
    if len(keys) != 1 or len(body) != 1:
        raise req.invalid("give exactly one of os-start, os-stop, reboot")
    key = keys[0]
    action = ACTION_KEYS[key]
    spec = body[key]
    if not isinstance(spec, dict):
        raise req.invalid(f"{key}: must be an object with servers")
    problems = catalog.check_server_ids(spec.get("servers"), f"{key}.servers")
    kind = spec.get("type", "SOFT")
    if action == "start" and "type" in spec:
        problems.append(catalog.Problem(f"{key}.type", "not_allowed", "os-start takes no type"))
    elif action == "reboot" and "type" not in spec:
        problems.append(catalog.Problem(f"{key}.type", "required", "is required: SOFT or HARD"))
    elif kind not in ("SOFT", "HARD"):
        problems.append(catalog.Problem(f"{key}.type", "enum", f"{kind!r}: use SOFT or HARD"))
    _problems(req, problems)
    server_ids = _server_ids(spec["servers"])
    unknown = [
        sid
        for sid in server_ids
        if (found := cloud.state.server(sid)) is None or found[0].project_id != project_id
    ]
    if unknown:
        raise ApiError(404, "Ecs.0114", f"Instance[{','.join(unknown)}] could not be found.")
    now = cloud.now()
    job = Job(
        id=ids.job_id(),
        project_id=project_id,
        action=action,
        kind=kind if action != "start" else "SOFT",
        begin_at=now,
        end_at=now + cloud.settings.job_seconds,
        sub_jobs=[SubJob(ids.job_id(), sid) for sid in server_ids],
        fail=req.faults.job_fail,
    )
    partial = req.faults.partial
    if partial is not None:  # the second half of the servers fail their sub-jobs
        for sub in job.sub_jobs[len(job.sub_jobs) // 2 :]:
            sub.status = "FAIL"
            sub.error_code = partial.code or "Ecs.0000"
            sub.fail_reason = partial.message or f"{action} of server {sub.server_id} failed"
    cloud.state.jobs[job.id] = job
    lifecycle.begin_job(cloud.state, job)
    lifecycle.advance(cloud.state, now)
    return Reply(200, {"job_id": job.id})


def show_job(cloud: Backend, req: Request) -> Reply:
    """``GET /v1/{project_id}/jobs/{job_id}``."""
    job = cloud.state.jobs.get(req.params["job_id"])
    if job is None or job.project_id != req.params["project_id"]:
        raise ApiError(404, "Ecs.0020", f"job {req.params['job_id']} does not exist")
    return Reply(200, ecs_shapes.job(job))


def reset_passwords(cloud: Backend, req: Request) -> Reply:
    """``PUT /v1/{project_id}/cloudservers/os-reset-passwords``. The password is checked
    (400 ``Ecs.0011`` if too weak — by the Windows rules too when a target runs Windows,
    see :data:`~flexus_pulumi.catalog.ecs_rules.ADMINISTRATOR_RUN`), never stored: only a
    salted hash and a reset count. ``dry_run: true`` only checks (204)."""
    project_id = req.params["project_id"]
    body = req.json_object()
    _problems(req, catalog.check_server_ids(body.get("servers")))
    password = body.get("new_password")
    _problems(req, catalog.check_password(password, "new_password"), code="Ecs.0011")
    assert isinstance(password, str)
    targets = []
    windows = False
    for sid in _server_ids(body["servers"]):
        instance, server = _server(cloud, project_id, sid)
        spec = catalog.PLAN_SPECS.get(instance.spec)
        windows = windows or (spec is not None and spec.os == "windows")
        targets.append(server)
    if windows:
        problems = catalog.check_password(password, "new_password", os_family="windows")
        _problems(req, problems, code="Ecs.0011")
    if body.get("dry_run") is True:
        return Reply(204)
    for server in targets:
        salt = secrets.token_hex(8)
        server.password_salt = salt
        server.password_hash = password_hash(password, salt)
        server.password_resets += 1
        server.password_pending = True
    return Reply(200, {"response": [{"id": s.id} for s in targets]})


def password_hash(password: str, salt: str) -> str:
    """PBKDF2-SHA256 of a password (hex)."""
    return hashlib.pbkdf2_hmac(
        "sha256", password.encode("utf-8"), salt.encode(), PBKDF2_ITERATIONS
    ).hex()
