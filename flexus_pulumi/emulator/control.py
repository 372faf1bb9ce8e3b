"""The control API under ``/_emulator/`` (no authentication, never counted or faulted).

``POST reset`` · ``GET state`` · ``POST orders/{id}/pay`` · ``POST orders/{id}/cancel`` ·
``GET|POST settings`` (JSON body of changes) · ``POST profile`` (``{"name": …}``) ·
``GET|POST|DELETE faults`` (POST body: the ``fault`` arguments; DELETE clears all) ·
``DELETE faults/{id}`` · ``POST credentials/temporary`` (``{"seconds": S}``, optional) ·
``POST instances/{id}/{action}`` (a console change, body: its arguments) · ``GET calls`` ·
``POST calls/clear`` · ``POST clock/advance`` (``{"seconds": S}``). Errors:
``{"error": message}`` with 400 (invalid), 404 (unknown order, instance, fault or path) or
409 (wrong status).
"""

from __future__ import annotations

import json
import re
from typing import Any

from . import console
from .backend import Backend
from .errors import Conflict
from .wire import Reply

PREFIX = "/_emulator/"
_ORDER_ACTION = re.compile(r"^orders/(?P<order_id>[^/]+)/(?P<action>pay|cancel)$")
_CONSOLE = re.compile(r"^instances/(?P<ref>[^/]+)/(?P<action>\w+)$")
_FAULT = re.compile(r"^faults/(?P<fault_id>[^/]+)$")


def _body(raw: bytes) -> dict[str, Any]:
    if not raw.strip():
        return {}
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("the body must be a JSON object")
    return data


def handle(backend: Backend, method: str, path: str, query: str, raw: bytes) -> Reply:
    """Serve one control request."""
    del query
    name = path[len(PREFIX) :].strip("/")
    try:
        body = _body(raw) if method in ("POST", "PUT", "DELETE") else {}
        return _route(backend, method, name, body)
    except KeyError as exc:
        return Reply(404, {"error": f"unknown: {exc.args[0]}"})
    except Conflict as exc:
        return Reply(409, {"error": str(exc)})
    except ValueError as exc:
        return Reply(400, {"error": str(exc)})
    except TypeError as exc:
        return Reply(400, {"error": str(exc)})


def _route(backend: Backend, method: str, name: str, body: dict[str, Any]) -> Reply:
    if (method, name) == ("POST", "reset"):
        backend.reset()
        return Reply(200, {"ok": True})
    if (method, name) == ("GET", "state"):
        return Reply(200, backend.dump())
    order_action = _ORDER_ACTION.match(name)
    if method == "POST" and order_action:
        order_id = order_action["order_id"]
        if order_id not in backend.state.orders:
            raise KeyError(f"order {order_id}")
        if order_action["action"] == "pay":
            return Reply(200, backend.pay(order_id))
        return Reply(200, backend.cancel(order_id))
    if name == "settings" and method in ("GET", "POST"):
        if method == "POST":
            return Reply(200, backend.update_settings(body))
        return Reply(200, backend.settings.as_dict())
    if (method, name) == ("POST", "profile"):
        return Reply(200, backend.apply_profile(body.get("name")))
    if name == "faults" and method == "POST":
        return Reply(200, backend.faults.add(**body).public())
    if (method, name) == ("GET", "faults"):
        return Reply(200, {"faults": backend.faults.active()})
    if (method, name) == ("DELETE", "faults"):
        backend.faults.clear()
        return Reply(200, {"ok": True})
    fault = _FAULT.match(name)
    if method == "DELETE" and fault:
        backend.faults.clear(fault["fault_id"])
        return Reply(200, {"ok": True})
    if (method, name) == ("POST", "credentials/temporary"):
        return Reply(200, backend.issue_temporary_credentials(body.get("seconds")))
    change = _CONSOLE.match(name)
    if method == "POST" and change:
        return Reply(200, console.apply(backend, change["action"], change["ref"], body))
    if (method, name) == ("GET", "calls"):
        return Reply(200, backend.calls.snapshot())
    if (method, name) == ("POST", "calls/clear"):
        backend.calls.clear()
        return Reply(200, {"ok": True})
    if (method, name) == ("POST", "clock/advance"):
        seconds = body.get("seconds")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise ValueError("seconds must be a number")
        return Reply(200, {"now": backend.advance_clock(float(seconds))})
    raise KeyError(f"{method} {PREFIX}{name}")
