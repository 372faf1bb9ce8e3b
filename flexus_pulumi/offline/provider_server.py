"""A client for the Python SDK's real dynamic-provider server (``python -m pulumi.dynamic``).

This is the process the Pulumi engine starts for the Python dynamic resources of a stack
(the ``pulumi-resource-pulumi-python`` plugin): it prints its gRPC port, then serves
``ResourceProvider`` with four worker threads. :class:`ProviderServer` starts it as the
engine does (pkg/host/host.go ``Provider``, sdk/go/common/resource/plugin/provider_plugin.go
``NewProvider``): in the project directory, with this process's environment plus
``PULUMI_PROJECT`` and ``PULUMI_CONFIG`` (the stack config of the ``pulumi-python``
namespace only, namespace stripped); then sends ``Configure`` as the engine sends it to
the default ``pulumi-python`` provider (deploy/target.go ``GetPackageConfig``: the whole
stack config, keys namespaced, secrets marked; ``variables`` keyed
``pulumi-python:config:<key>``).

Calls take and return property bags of :mod:`.properties` values (plain values work too);
they are encoded as the engine encodes them for a provider that answered ``acceptSecrets:
False``: secrets plain, numbers as floats, unknowns only where the engine keeps them. Every
property bag sent must carry the ``__provider`` string.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import grpc
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from .properties import Props, SecretValue, props_to_struct, struct_to_props
from .secrets import Secret, config_text

PROVIDER_KEY = "__provider"

#: The package of the Python dynamic provider (deploy/target.go ``pythonDynamicProviderPackage``).
DYNAMIC_PACKAGE = "pulumi-python"

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


def plugin_config_env(config: Mapping[str, str | Secret | Any]) -> str:
    """``PULUMI_CONFIG`` as the engine's plugin host sets it for the ``pulumi-python``
    plugin: only keys of that namespace, namespace stripped, values plain (pkg/host)."""
    prefix = f"{DYNAMIC_PACKAGE}:"
    return json.dumps(
        {k[len(prefix) :]: _plain_config(v) for k, v in config.items() if k.startswith(prefix)}
    )


def configure_request(config: Mapping[str, str | Secret | Any]) -> Any:
    """The ``ConfigureRequest`` the engine sends the default ``pulumi-python`` provider."""
    args: Props = {
        key: SecretValue(config_text(value.value))
        if isinstance(value, Secret)
        else config_text(value)
        for key, value in config.items()
    }
    variables = {
        f"{DYNAMIC_PACKAGE}:config:{key}": _plain_config(value) for key, value in config.items()
    }
    return provider_pb2.ConfigureRequest(
        variables=variables,
        args=props_to_struct(args, keep_secrets=True),
        acceptSecrets=True,
        acceptResources=True,
        sends_old_inputs=True,
        sends_old_inputs_to_delete=True,
        type=f"pulumi:providers:{DYNAMIC_PACKAGE}",
        name="default",
    )


def _wire(props: Mapping[str, Any], *, preview: bool = False) -> Any:
    """A property bag as the engine marshals it for this provider (``KeepSecrets: false``)."""
    return props_to_struct(props, keep_secrets=False, keep_unknowns=preview)


def _plain_config(value: str | Secret | Any) -> str:
    return config_text(value.value if isinstance(value, Secret) else value)


def _error_message(details: str) -> str:
    """The exception a provider raised, from the traceback the SDK's server sends: every line
    after the last frame (a message may span several lines), as the engine shows it."""
    lines = [line for line in details.strip().splitlines() if line.strip()]
    frames = [i for i, line in enumerate(lines) if line.startswith("  File ")]
    start = frames[-1] + 1 if frames else 0
    while start < len(lines) and lines[start].startswith("    "):
        start += 1  # the frame's source line (and carets)
    message = "\n".join(lines[start:]).strip()
    return message or (lines[-1].strip() if lines else "provider call failed")


class ProviderServer:
    """The SDK's dynamic-provider server in a subprocess, with typed calls.

    :param project: ``PULUMI_PROJECT`` for the server (``configure()`` resolves un-namespaced
        config keys against it). Default ``"project"``.
    :param stack: the stack name (the engine passes it nowhere; kept for messages).
        Default ``"stack"``.
    :param config: stack config with namespaced keys (``"flexus:accessKey"``); values
        wrapped in :class:`~flexus_pulumi.testing.Secret` are sent as secrets. Default none.
    :param env: extra environment variables for the server (on top of this process's
        environment, as the user's shell adds to the CLI's). Default none.
    :param on_output: called with each line the server prints on stdout or stderr (provider
        progress lines). Default: written to ``sys.stderr`` prefixed ``"info: "``.
    :param cwd: the project directory: the server's working directory, and so the first
        entry of its import path (``python -m`` puts it there), as under the engine.
        Default: this process's working directory.
    :param python: interpreter to run. Default ``sys.executable`` (the same virtualenv).
    :param start_timeout: seconds to wait for the port and the gRPC channel. Default 60.

    A provider class pickled by reference must be importable in the server: installed in
    the virtualenv, or a module of the project directory, as under ``pulumi up``.
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
        env.update(self._env)
        env["PULUMI_PROJECT"] = self.project
        env["PULUMI_CONFIG"] = plugin_config_env(self._config)
        self._proc = subprocess.Popen(  # noqa: S603 - fixed argv: this interpreter, a module name
            [self._python, "-u", "-m", "pulumi.dynamic"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=self._cwd or Path.cwd(),
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

    def close(self, *, wait: bool = True) -> None:
        """Stop the server (SIGINT, then SIGKILL after 5 s, like the engine). Idempotent.

        With ``wait=False`` (default True) the signal is sent now and the exit is awaited
        in a background thread."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        self._stub = None
        proc, self._proc = self._proc, None
        readers, self._readers = self._readers, []
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        if wait:
            _reap(proc, readers)
        else:
            threading.Thread(
                target=_reap, args=(proc, readers), name="provider-reaper", daemon=True
            ).start()

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
        self._call("Configure", configure_request(self._config))

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
        preview: bool = True,
    ) -> CheckOutcome:
        """``Check(olds, news)``: the provider's validated inputs and its failures.

        Unknowns are sent only with ``preview`` (the engine's ``AllowUnknowns``)."""
        request = provider_pb2.CheckRequest(
            urn=urn,
            name=name,
            type=type_,
            olds=_wire(olds, preview=preview),
            news=_wire(news, preview=preview),
        )
        response = self._call("Check", request)
        failures = [CheckFailureInfo(f.property, f.reason) for f in response.failures]
        return CheckOutcome(struct_to_props(response.inputs), failures)

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
        preview: bool = True,
        ignore_changes: Sequence[str] = (),
    ) -> DiffOutcome:
        """``Diff(id, olds, news)``; ``olds`` are the old *outputs*, as the engine sends."""
        request = provider_pb2.DiffRequest(
            id=id_,
            urn=urn,
            name=name,
            type=type_,
            olds=_wire(olds, preview=preview),
            news=_wire(news, preview=preview),
            old_inputs=_wire(old_inputs or {}, preview=preview),
            ignoreChanges=list(ignore_changes),
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
            urn=urn, name=name, type=type_, properties=_wire(props)
        )
        response = self._call("Create", request)
        return str(response.id), struct_to_props(response.properties)

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
            properties=_wire(props),
            inputs=_wire(inputs or {}),
        )
        response = self._call("Read", request)
        new_inputs = struct_to_props(response.inputs) if response.HasField("inputs") else None
        return ReadOutcome(str(response.id), struct_to_props(response.properties), new_inputs)

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
            olds=_wire(olds),
            news=_wire(news),
            old_inputs=_wire(old_inputs or {}),
        )
        response = self._call("Update", request)
        return struct_to_props(response.properties)

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
            properties=_wire(props),
            old_inputs=_wire(old_inputs or {}),
        )
        self._call("Delete", request)


def _reap(proc: subprocess.Popen[bytes] | None, readers: list[threading.Thread]) -> None:
    """Wait for a signalled server to exit (killing it after 5 s) and for its readers."""
    if proc is not None:
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for reader in readers:
        reader.join(timeout=5)


def _default_output(line: str) -> None:
    sys.stderr.write(f"info: {line}\n")
