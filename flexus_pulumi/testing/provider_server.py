"""A client for the Python SDK's real dynamic-provider server (``python -m pulumi.dynamic``).

This is the process the Pulumi engine starts for every Python dynamic resource of a stack
(the ``pulumi-resource-pulumi-python`` plugin): it prints its gRPC port, then serves
``ResourceProvider`` with four worker threads. :class:`ProviderServer` starts it the same
way, configures it the way the engine does (namespaced stack config, secrets wrapped on the
wire and decrypted for ``configure()``), and offers one method per provider call taking and
returning plain dicts encoded exactly as the engine encodes them (numbers arrive as floats,
secrets arrive plain). Every property bag sent must carry the ``__provider`` string.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import grpc
from google.protobuf import struct_pb2
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from .secrets import Secret, config_text

PROVIDER_KEY = "__provider"

_T = TypeVar("_T")

#: gRPC channel options the SDK itself uses (large messages allowed).
_CHANNEL_OPTIONS = [("grpc.max_receive_message_length", 1 << 30)]


class ProviderServerError(RuntimeError):
    """The provider server could not be started or stopped answering."""


class ProviderCallError(RuntimeError):
    """A provider method raised: ``message`` is the exception line, ``details`` the traceback."""

    def __init__(self, method: str, message: str, details: str) -> None:
        super().__init__(f"{method}: {message}")
        self.method = method
        self.message = message
        self.details = details


@dataclass(frozen=True)
class CheckFailureInfo:
    """One ``CheckFailure`` returned by a provider's ``check``."""

    property: str
    reason: str


@dataclass(frozen=True)
class CheckOutcome:
    """What ``check`` returned: the inputs to use and any failures."""

    inputs: dict[str, Any]
    failures: list[CheckFailureInfo] = field(default_factory=list)


@dataclass(frozen=True)
class DiffOutcome:
    """What ``diff`` returned. ``changes`` is None when the provider left it unset."""

    changes: bool | None
    replaces: list[str] = field(default_factory=list)
    delete_before_replace: bool = False


@dataclass(frozen=True)
class ReadOutcome:
    """What ``read`` returned. An empty ``id`` means the resource is gone."""

    id: str
    outputs: dict[str, Any]
    inputs: dict[str, Any] | None = None


def run_coroutine(coro: Coroutine[Any, Any, _T]) -> _T:
    """Run ``coro`` on a fresh event loop (in a helper thread if this one runs a loop)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
        try:
            return loop.run_until_complete(coro)
        finally:
            loop.close()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        future: concurrent.futures.Future[_T] = pool.submit(run_coroutine, coro)
        return future.result()


def serialize(props: Mapping[str, Any]) -> struct_pb2.Struct:
    """Encode a property bag the way the SDK and the engine do."""
    result: struct_pb2.Struct = run_coroutine(rpc.serialize_properties(dict(props), {}))
    return result


def deserialize(struct: struct_pb2.Struct) -> dict[str, Any]:
    """Decode a property bag, keeping unknowns as ``pulumi.output.Unknown``."""
    if struct is None:
        return {}
    result: dict[str, Any] = rpc.deserialize_properties(struct, keep_unknowns=True)
    return result


def _config_value(value: str | Secret | Any) -> Any:
    if isinstance(value, Secret):
        return rpc.wrap_rpc_secret(config_text(value.value))
    return config_text(value)


def _plain_config(value: str | Secret | Any) -> str:
    return config_text(value.value if isinstance(value, Secret) else value)


def _error_message(details: str) -> str:
    lines = [line for line in details.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else "provider call failed"


class ProviderServer:
    """The SDK's dynamic-provider server in a subprocess, with typed calls.

    :param project: ``PULUMI_PROJECT`` for the server (``configure()`` resolves un-namespaced
        config keys against it). Default ``"project"``.
    :param stack: ``PULUMI_STACK`` for the server. Default ``"stack"``.
    :param config: stack config with namespaced keys (``"flexus:accessKey"``); values
        wrapped in :class:`~flexus_pulumi.testing.Secret` are sent as secrets. Default none.
    :param env: extra environment variables for the server (on top of this process's
        environment). Default none.
    :param on_output: called with each line the server prints on stdout or stderr (provider
        progress lines). Default: written to ``sys.stderr`` prefixed ``"info: "``.
    :param cwd: working directory of the server. Default: this process's.
    :param python: interpreter to run. Default ``sys.executable`` (the same virtualenv).
    :param start_timeout: seconds to wait for the port and the gRPC channel. Default 60.

    The server gets ``PYTHONPATH`` extended with this process's ``sys.path``, so a provider
    class importable here (pickled by reference) is importable there, and, as from the
    engine, ``PULUMI_CONFIG`` / ``PULUMI_CONFIG_SECRET_KEYS`` with the whole config, so
    ``pulumi.Config`` works inside providers too.
    """

    def __init__(
        self,
        *,
        project: str = "project",
        stack: str = "stack",
        config: Mapping[str, str | Secret | Any] | None = None,
        env: Mapping[str, str] | None = None,
        on_output: Callable[[str], None] | None = None,
        cwd: str | Path | None = None,
        python: str = sys.executable,
        start_timeout: float = 60.0,
    ) -> None:
        self.project = project
        self.stack = stack
        self._config = dict(config or {})
        self._env = dict(env or {})
        self._on_output = on_output or _default_output
        self._cwd = cwd
        self._python = python
        self._start_timeout = start_timeout
        self._proc: subprocess.Popen[bytes] | None = None
        self._channel: grpc.Channel | None = None
        self._stub: provider_pb2_grpc.ResourceProviderStub | None = None
        self._readers: list[threading.Thread] = []
        self.port: int | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def __enter__(self) -> ProviderServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def running(self) -> bool:
        """Whether the server process is up."""
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> ProviderServer:
        """Start the server, connect and send ``Configure``. Idempotent."""
        if self._proc is not None:
            return self
        env = dict(os.environ)
        paths = [p for p in sys.path if p and Path(p).exists()]
        if env.get("PYTHONPATH"):
            paths.append(env["PYTHONPATH"])
        env["PYTHONPATH"] = os.pathsep.join(paths)
        env["PULUMI_PROJECT"] = self.project
        env["PULUMI_STACK"] = self.stack
        # As the engine does for dynamic providers: all config, namespaced, for pulumi.Config.
        env["PULUMI_CONFIG"] = json.dumps({k: _plain_config(v) for k, v in self._config.items()})
        env["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(
            sorted(k for k, v in self._config.items() if isinstance(v, Secret))
        )
        env.update(self._env)
        self._proc = subprocess.Popen(  # noqa: S603 - fixed argv: this interpreter, a module name
            [self._python, "-u", "-m", "pulumi.dynamic"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=self._cwd,
        )
        first_line: queue.Queue[str | None] = queue.Queue()
        assert self._proc.stdout is not None
        assert self._proc.stderr is not None
        stderr_lines: list[str] = []
        self._readers = [
            threading.Thread(
                target=self._pump,
                args=(self._proc.stdout, first_line, None),
                name="provider-stdout",
                daemon=True,
            ),
            threading.Thread(
                target=self._pump,
                args=(self._proc.stderr, None, stderr_lines),
                name="provider-stderr",
                daemon=True,
            ),
        ]
        for reader in self._readers:
            reader.start()
        try:
            line = first_line.get(timeout=self._start_timeout)
        except queue.Empty:
            line = None
        if line is None or not line.strip().isdigit():
            self.close()
            detail = "\n".join(stderr_lines[-20:])
            raise ProviderServerError(
                f"the dynamic provider server did not start (first line {line!r})\n{detail}"
            )
        self.port = int(line.strip())
        self._channel = grpc.insecure_channel(f"127.0.0.1:{self.port}", options=_CHANNEL_OPTIONS)
        try:
            grpc.channel_ready_future(self._channel).result(timeout=self._start_timeout)
        except grpc.FutureTimeoutError as exc:
            self.close()
            raise ProviderServerError("could not connect to the dynamic provider server") from exc
        self._stub = provider_pb2_grpc.ResourceProviderStub(self._channel)
        self._configure()
        return self

    def close(self) -> None:
        """Stop the server (SIGINT, then SIGKILL after 5 s, like the engine). Idempotent."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        self._stub = None
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for reader in self._readers:
            reader.join(timeout=5)
        self._readers = []

    def _pump(
        self,
        stream: Any,
        first_line: queue.Queue[str | None] | None,
        keep: list[str] | None,
    ) -> None:
        waiting_for_port = first_line is not None
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if waiting_for_port and first_line is not None:
                first_line.put(line)
                waiting_for_port = False
                continue
            if keep is not None:
                keep.append(line)
                del keep[:-50]
            self._on_output(line)
        if waiting_for_port and first_line is not None:
            first_line.put(None)
        stream.close()

    def _configure(self) -> None:
        args = {key: _config_value(value) for key, value in self._config.items()}
        variables = {}
        for key, value in self._config.items():
            namespace, _, name = key.partition(":")
            variables[f"{namespace}:config:{name}" if name else key] = _plain_config(value)
        request = provider_pb2.ConfigureRequest(
            variables=variables,
            args=serialize(args),
            acceptSecrets=True,
            acceptResources=True,
        )
        self._call("Configure", request)

    # -- calls -------------------------------------------------------------------------

    def _call(self, method: str, request: Any) -> Any:
        if self._stub is None:
            raise ProviderServerError("the provider server is not running")
        try:
            return getattr(self._stub, method)(request)
        except grpc.RpcError as exc:
            details = exc.details() or str(exc)
            if exc.code() == grpc.StatusCode.UNAVAILABLE:
                raise ProviderServerError(f"{method}: provider server unavailable") from None
            raise ProviderCallError(method, _error_message(details), details) from None

    def check(
        self,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        *,
        urn: str = "",
        name: str = "",
        type_: str = "",
    ) -> CheckOutcome:
        """``Check(olds, news)``: the provider's validated inputs and its failures."""
        request = provider_pb2.CheckRequest(
            urn=urn, name=name, type=type_, olds=serialize(olds), news=serialize(news)
        )
        response = self._call("Check", request)
        failures = [CheckFailureInfo(f.property, f.reason) for f in response.failures]
        return CheckOutcome(deserialize(response.inputs), failures)

    def diff(
        self,
        id_: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        *,
        old_inputs: Mapping[str, Any] | None = None,
        urn: str = "",
        name: str = "",
        type_: str = "",
    ) -> DiffOutcome:
        """``Diff(id, olds, news)``; ``olds`` are the old *outputs*, as the engine sends."""
        request = provider_pb2.DiffRequest(
            id=id_,
            urn=urn,
            name=name,
            type=type_,
            olds=serialize(olds),
            news=serialize(news),
            old_inputs=serialize(old_inputs or {}),
        )
        response = self._call("Diff", request)
        if response.changes == provider_pb2.DiffResponse.DIFF_SOME:
            changes: bool | None = True
        elif response.changes == provider_pb2.DiffResponse.DIFF_NONE:
            changes = False
        else:
            changes = None
        return DiffOutcome(changes, list(response.replaces), bool(response.deleteBeforeReplace))

    def create(
        self, props: Mapping[str, Any], *, urn: str = "", name: str = "", type_: str = ""
    ) -> tuple[str, dict[str, Any]]:
        """``Create(props)``: the new id and outputs."""
        request = provider_pb2.CreateRequest(
            urn=urn, name=name, type=type_, properties=serialize(props)
        )
        response = self._call("Create", request)
        return str(response.id), deserialize(response.properties)

    def read(
        self,
        id_: str,
        props: Mapping[str, Any],
        *,
        inputs: Mapping[str, Any] | None = None,
        urn: str = "",
        name: str = "",
        type_: str = "",
    ) -> ReadOutcome:
        """``Read(id, props)`` as ``pulumi refresh`` sends it (props are the old outputs)."""
        request = provider_pb2.ReadRequest(
            id=id_,
            urn=urn,
            name=name,
            type=type_,
            properties=serialize(props),
            inputs=serialize(inputs or {}),
        )
        response = self._call("Read", request)
        new_inputs = deserialize(response.inputs) if response.HasField("inputs") else None
        return ReadOutcome(str(response.id), deserialize(response.properties), new_inputs)

    def update(
        self,
        id_: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        *,
        old_inputs: Mapping[str, Any] | None = None,
        urn: str = "",
        name: str = "",
        type_: str = "",
    ) -> dict[str, Any]:
        """``Update(id, olds, news)``: the new outputs (``olds`` are the old outputs)."""
        request = provider_pb2.UpdateRequest(
            id=id_,
            urn=urn,
            name=name,
            type=type_,
            olds=serialize(olds),
            news=serialize(news),
            old_inputs=serialize(old_inputs or {}),
        )
        response = self._call("Update", request)
        return deserialize(response.properties)

    def delete(
        self,
        id_: str,
        props: Mapping[str, Any],
        *,
        old_inputs: Mapping[str, Any] | None = None,
        urn: str = "",
        name: str = "",
        type_: str = "",
    ) -> None:
        """``Delete(id, props)`` (props are the old outputs)."""
        request = provider_pb2.DeleteRequest(
            id=id_,
            urn=urn,
            name=name,
            type=type_,
            properties=serialize(props),
            old_inputs=serialize(old_inputs or {}),
        )
        self._call("Delete", request)


def _default_output(line: str) -> None:
    sys.stderr.write(f"info: {line}\n")
