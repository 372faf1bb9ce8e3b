"""The control API under ``/_emulator/`` (no authentication, never counted or faulted).

``POST reset`` · ``GET state`` · ``POST orders/{id}/pay`` · ``POST orders/{id}/cancel`` ·
``GET|POST settings`` (JSON body of changes) · ``GET|POST faults`` (POST body: the
``fault`` arguments) · ``GET calls`` · ``POST calls/clear`` · ``POST clock/advance``
(``{"seconds": S}``). Errors: ``{"error": message}`` with 400 (invalid), 404 (unknown order
or path) or 409 (order in the wrong status).
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

from .backend import Backend
from .errors import Conflict
from .wire import Reply

PREFIX = "/_emulator/"
_ORDER_ACTION = re.compile(r"^orders/(?P<order_id>[^/]+)/(?P<action>pay|cancel)$")


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
        body = _body(raw) if method in ("POST", "PUT") else {}
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
    if name == "faults" and method == "POST":
        fault = backend.faults.add(**body)
        return Reply(200, dataclasses.asdict(fault))
    if (method, name) == ("GET", "faults"):
        return Reply(200, {"faults": backend.faults.active()})
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
