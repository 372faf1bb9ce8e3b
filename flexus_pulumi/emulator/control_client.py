"""``EmulatorControl``: the control API of a running emulator, over HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from .control import PREFIX


class EmulatorControlError(RuntimeError):
    """The control API refused a request (status and message)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status


class EmulatorControl:
    """Drive an emulator at ``endpoint`` (e.g. one started by ``flexus-pulumi emulator``).

    ``timeout`` (default 10 s) bounds each control request."""

    def __init__(self, endpoint: str, timeout: float = 10.0) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"EmulatorControl({self.endpoint!r})"

    def _call(self, method: str, name: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        if not self.endpoint.startswith(("http://", "https://")):
            raise ValueError(f"not an http(s) endpoint: {self.endpoint!r}")
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            f"{self.endpoint}{PREFIX}{name}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"} if data is not None else {},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            try:
                message = json.loads(exc.read()).get("error", exc.reason)
            except (ValueError, AttributeError):
                message = str(exc.reason)
            raise EmulatorControlError(exc.code, str(message)) from None

    def reset(self) -> None:
        """Forget all resources, faults and call counts (credentials stay)."""
        self._call("POST", "reset", {})

    def state(self) -> dict[str, Any]:
        """Everything the emulator holds, without secrets."""
        result: dict[str, Any] = self._call("GET", "state")
        return result

    def pay(self, order_id: str) -> dict[str, Any]:
        """Pay a pending-payment order; returns the order."""
        result: dict[str, Any] = self._call("POST", f"orders/{order_id}/pay", {})
        return result

    def cancel(self, order_id: str) -> dict[str, Any]:
        """Cancel a pending or processing order; returns the order."""
        result: dict[str, Any] = self._call("POST", f"orders/{order_id}/cancel", {})
        return result

    def settings(self, **changes: Any) -> dict[str, Any]:
        """Apply setting changes (none: just read); returns all settings."""
        if changes:
            result: dict[str, Any] = self._call("POST", "settings", changes)
        else:
            result = self._call("GET", "settings")
        return result

    def fault(
        self,
        operation: str,
        kind: str,
        count: int = 1,
        status: int | None = None,
        code: str | None = None,
        message: str | None = None,
        seconds: float | None = None,
    ) -> dict[str, Any]:
        """Inject a fault for the next ``count`` calls of ``operation``."""
        body = {"operation": operation, "kind": kind, "count": count}
        extra = {"status": status, "code": code, "message": message, "seconds": seconds}
        body.update({k: v for k, v in extra.items() if v is not None})
        result: dict[str, Any] = self._call("POST", "faults", body)
        return result

    def calls(self) -> dict[str, int]:
        """API calls per operation since the last reset or :meth:`clear_calls`."""
        result: dict[str, int] = self._call("GET", "calls")
        return result

    def clear_calls(self) -> None:
        """Start counting calls from zero."""
        self._call("POST", "calls/clear", {})

    def advance(self, seconds: float) -> float:
        """Move the emulator's clock forward; returns the new emulated time."""
        result: dict[str, float] = self._call("POST", "clock/advance", {"seconds": seconds})
        return result["now"]
