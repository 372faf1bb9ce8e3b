"""``EmulatorControl``: the control API of a running emulator, over HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from .control import PREFIX


class EmulatorControlError(RuntimeError):
    """The control API refused a request (status and message; status 0: no answer)."""

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
        except urllib.error.URLError as exc:
            raise EmulatorControlError(0, f"no emulator at {self.endpoint}: {exc.reason}") from None

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

    def apply_profile(self, name: str) -> dict[str, Any]:
        """Apply a named combination of settings (``pessimistic``, ``default``); returns all
        settings."""
        result: dict[str, Any] = self._call("POST", "profile", {"name": name})
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
        *,
        after: int = 0,
        match: str | None = None,
        retry_after: float | None = None,
    ) -> dict[str, Any]:
        """Inject a fault (see :mod:`flexus_pulumi.emulator.faults`); returns it, with the
        ``id`` :meth:`clear_fault` takes."""
        body: dict[str, Any] = {"operation": operation, "kind": kind, "count": count}
        extra = {
            "status": status,
            "code": code,
            "message": message,
            "seconds": seconds,
            "after": after or None,
            "match": match,
            "retry_after": retry_after,
        }
        body.update({k: v for k, v in extra.items() if v is not None})
        result: dict[str, Any] = self._call("POST", "faults", body)
        return result

    def faults(self) -> list[dict[str, Any]]:
        """The faults still active."""
        result: list[dict[str, Any]] = self._call("GET", "faults")["faults"]
        return result

    def clear_fault(self, fault_id: str) -> None:
        """Remove one fault by id."""
        self._call("DELETE", f"faults/{fault_id}")

    def clear_faults(self) -> None:
        """Remove every fault."""
        self._call("DELETE", "faults")

    def temporary_credentials(self, seconds: float | None = None) -> dict[str, Any]:
        """New temporary ``access_key``, ``secret_key`` and ``security_token``, valid for
        ``seconds`` (default: the token lifetime) — as an agency or a CI identity gets them."""
        body = {} if seconds is None else {"seconds": seconds}
        result: dict[str, Any] = self._call("POST", "credentials/temporary", body)
        return result

    @property
    def console(self) -> ConsoleControl:
        """Out-of-band changes to instances, as made in the console."""
        return ConsoleControl(self)

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


class ConsoleControl:
    """:class:`~flexus_pulumi.emulator.console.Console` over HTTP: the same methods, each
    taking an instance id (or its server's id) and returning the instance's new state."""

    def __init__(self, control: EmulatorControl) -> None:
        self._control = control

    def change(self, instance_id: str, action: str, **args: Any) -> dict[str, Any]:
        """Make console change ``action`` (see ``console.ACTIONS``) with ``args``."""
        result: dict[str, Any] = self._control._call(
            "POST", f"instances/{instance_id}/{action}", args
        )
        return result

    def rename(self, instance_id: str, name: str) -> dict[str, Any]:
        """Rename the instance (its name in Config)."""
        return self.change(instance_id, "rename", name=name)

    def rename_server(self, instance_id: str, name: str) -> dict[str, Any]:
        """Rename the ECS server."""
        return self.change(instance_id, "rename_server", name=name)

    def set_hostname(self, instance_id: str, hostname: str) -> dict[str, Any]:
        """Change the hostname, in effect at once."""
        return self.change(instance_id, "set_hostname", hostname=hostname)

    def stop(self, instance_id: str) -> dict[str, Any]:
        """Power the server off."""
        return self.change(instance_id, "stop")

    def start(self, instance_id: str) -> dict[str, Any]:
        """Power the server on."""
        return self.change(instance_id, "start")

    def reboot(self, instance_id: str) -> dict[str, Any]:
        """Reboot the server."""
        return self.change(instance_id, "reboot")

    def unsubscribe(self, instance_id: str) -> dict[str, Any]:
        """Unsubscribe the instance and its bundle."""
        return self.change(instance_id, "unsubscribe")

    def use_traffic(self, instance_id: str, gb: float) -> dict[str, Any]:
        """Use ``gb`` GB of the instance's traffic package this month."""
        return self.change(instance_id, "use_traffic", gb=gb)
