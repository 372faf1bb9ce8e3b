"""HTTP plumbing: a threading HTTP/1.1 server handing each request to the dispatcher."""

from __future__ import annotations

import contextlib
import email.utils
import ipaddress
import socket
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .dispatch import Dispatcher
from .errors import reason


def is_loopback(host: str) -> bool:
    """Whether ``host`` names the loopback interface."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: EmulatorHTTPServer

    def setup(self) -> None:
        super().setup()
        # Answers are written as headers then body; without this, Nagle's algorithm and
        # delayed ACKs add ~40 ms to every keep-alive request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr access log (the dispatcher logs at DEBUG)."""

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass  # trailer fields
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self) -> None:
        try:
            body = self._read_body()
        except ValueError:
            self.close_connection = True
            self.send_error(400, "malformed request body framing")
            return
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            # http.server decodes header bytes as latin-1; signers sign the UTF-8 text.
            text = value.encode("latin-1", "replace").decode("utf-8", "replace")
            headers.setdefault(name.lower(), text)
        reply = self.server.dispatcher.handle(self.command, self.path, headers, body)
        if reply is None:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        payload = reply.encode()
        self.send_response(reply.status, reason(reply.status))
        if reply.body is not None or reply.damage is not None:
            self.send_header("Content-Type", "application/json;charset=UTF-8")
        truncated = reply.damage == "truncate"
        self.send_header("Content-Length", str(len(payload) + (2 if truncated else 0)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if truncated:
            # promise more than the body, send half of it, hang up
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        if payload and self.command != "HEAD":
            self.wfile.write(payload)

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The ``Date`` header: the server's clock (real time plus the clock skew setting)."""
        when = time.time() + self.server.dispatcher.backend.settings.clock_skew_seconds
        return email.utils.formatdate(when if timestamp is None else timestamp, usegmt=True)


class EmulatorHTTPServer(ThreadingHTTPServer):
    """One port serving every emulated service plus the control API."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], dispatcher: Dispatcher) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.dispatcher = dispatcher
        super().__init__(address, _Handler)
