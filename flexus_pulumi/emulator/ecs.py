"""ECS: server details, modify, batch start/stop/reboot, job status, password reset.

A server is found only through its own region's project id (as on the real, regional
ECS endpoints); anything else is 404 ``Ecs.0114``. A hostname change is kept pending and
applies when the server next boots (reboot, or stop then start); so does a new password.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from flexus_pulumi import catalog

from . import ecs_shapes, ids, lifecycle
from .backend import Backend
from .errors import ApiError
from .models import Instance, Job, Server, SubJob
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
    (400 ``Ecs.0011`` if too weak), never stored: only a salted hash and a reset count.
    ``dry_run: true`` only checks (204)."""
    project_id = req.params["project_id"]
    body = req.json_object()
    _problems(req, catalog.check_server_ids(body.get("servers")))
    password = body.get("new_password")
    _problems(req, catalog.check_password(password, "new_password"), code="Ecs.0011")
    assert isinstance(password, str)
    targets = []
    for sid in _server_ids(body["servers"]):
        targets.append(_server(cloud, project_id, sid)[1])
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
