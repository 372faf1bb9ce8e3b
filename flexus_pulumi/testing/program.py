"""Running a Pulumi program without the engine: the SDK's mock monitor, wired to a deployment.

The program runs in its own thread, in a fresh ``contextvars`` context (the SDK keeps its
settings in context variables, so runs never leak into each other) and its own event loop,
exactly as the language host runs it: ``pulumi.runtime.run_in_stack(program)``. The
monitor answers ``RegisterResource`` by asking :class:`~.deployment.Deployment` for the
step, and captures ``register_outputs`` and stack exports. Resource references are turned
off (as for providers that do not accept them), so a resource passed as an input arrives as
its id (custom) or URN (component).
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import runpy
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar

from google.protobuf import empty_pb2
from pulumi.runtime import rpc
from pulumi.runtime.config import set_all_config
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks, MockSettings
from pulumi.runtime.proto import engine_pb2, resource_pb2
from pulumi.runtime.settings import configure
from pulumi.runtime.stack import run_in_stack

from .deployment import Deployment, Goal, StepFailed, Unsupported
from .provider_server import run_coroutine
from .secrets import Secret, config_text
from .state import make_urn


def _quiet_step_failures(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """Registrations that failed a step are already reported on the deployment: their
    unretrieved futures need no "exception was never retrieved" traceback."""
    if isinstance(context.get("exception"), StepFailed):
        return
    loop.default_exception_handler(context)


#: A program: a function that declares resources, or a project folder with ``__main__.py``.
Program = Callable[[], Any] | str | Path


class _NoMocks(Mocks):
    """Every call the driver does not route through the deployment is unsupported."""

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        raise Unsupported(f"invoke {args.token}: function calls are not supported offline")

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        raise Unsupported(f"{args.typ} ({args.name}): reading existing resources is not supported")


class DriverMonitor(MockMonitor):
    """The resource monitor of one run."""

    def __init__(self, deployment: Deployment, stack: str, project: str) -> None:
        super().__init__(_NoMocks())
        self._deployment = deployment
        self._stack = stack
        self._project = project

    def RegisterResource(self, request: Any) -> Any:
        urn = make_urn(self._stack, self._project, request.parent, request.type, request.name)
        goal = Goal(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=bool(request.custom),
            parent=request.parent,
            dependencies=list(dict.fromkeys(request.dependencies)),
            inputs=rpc.deserialize_properties(request.object, keep_unknowns=True),
            delete_before_replace=bool(request.deleteBeforeReplace),
            ignore_changes=list(request.ignoreChanges),
            replace_on_changes=list(request.replaceOnChanges),
            protect=bool(request.protect),
            retain_on_delete=bool(request.retainOnDelete),
            additional_secret_outputs=list(request.additionalSecretOutputs),
        )
        if request.importId:
            raise Unsupported(f"{request.type} ({request.name}): import is not supported offline")
        registration = self._deployment.register(goal)
        obj = run_coroutine(rpc.serialize_properties(registration.outputs, {}))
        result = resource_pb2.Result.FAIL if registration.failed else resource_pb2.Result.SUCCESS
        return resource_pb2.RegisterResourceResponse(
            urn=urn, id=registration.id, object=obj, result=result
        )

    def RegisterResourceOutputs(self, request: Any) -> Any:
        outputs = rpc.deserialize_properties(request.outputs, keep_unknowns=True)
        self._deployment.register_outputs(request.urn, outputs)
        return empty_pb2.Empty()

    def GetDeploymentInfo(self, request: Any) -> Any:
        info = super().GetDeploymentInfo(request)  # type: ignore[no-untyped-call]
        features = [
            f
            for f in info.supportedFeatures
            if f != resource_pb2.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES
        ]
        return resource_pb2.DeploymentInfo(supportedFeatures=features)

    def SupportsFeature(self, request: Any) -> Any:
        supported = request.id not in ("outputValues", "resourceReferences")
        return type("SupportsFeatureResponse", (object,), {"hasSupport": supported})


class DriverEngine:
    """The engine side of ``pulumi.log``: messages become diagnostics of the run."""

    _SEVERITY: ClassVar[dict[int, str]] = {
        engine_pb2.INFO: "info",
        engine_pb2.WARNING: "warning",
        engine_pb2.ERROR: "error",
    }

    def __init__(self, deployment: Deployment, emit: Callable[[str], None]) -> None:
        self._deployment = deployment
        self._emit = emit

    def Log(self, request: Any) -> Any:
        severity = self._SEVERITY.get(request.severity)
        if severity is None or request.ephemeral:
            return empty_pb2.Empty()
        self._deployment.log(request.message, severity, request.urn)
        self._emit(f"    {severity}: {request.message}")
        return empty_pb2.Empty()


def _program_function(program: Program) -> tuple[Callable[[], Any], Path | None]:
    if callable(program):
        return program, None
    folder = Path(program).resolve()
    if not (folder / "__main__.py").is_file():
        raise FileNotFoundError(f"{folder}: no __main__.py (a Pulumi Python project folder)")

    def run() -> None:
        runpy.run_path(str(folder), run_name="__main__")

    return run, folder


def run_program(
    program: Program,
    *,
    deployment: Deployment,
    stack: str,
    project: str,
    preview: bool,
    config: Mapping[str, str | Secret | Any],
    emit: Callable[[str], None],
) -> BaseException | None:
    """Run ``program`` against ``deployment``; the exception it ended with, if any.

    Returns only once every registration in flight has finished.
    """
    func, folder = _program_function(program)
    outcome: list[BaseException | None] = [None]

    def body() -> None:
        loop = asyncio.new_event_loop()
        loop.set_exception_handler(_quiet_step_failures)
        asyncio.set_event_loop(loop)
        try:
            plain = {
                k: config_text(v.value if isinstance(v, Secret) else v) for k, v in config.items()
            }
            set_all_config(plain, [k for k, v in config.items() if isinstance(v, Secret)])
            monitor = DriverMonitor(deployment, stack, project)
            settings = MockSettings(  # type: ignore[no-untyped-call]
                monitor=monitor,
                monitor_features=set(
                    monitor.GetDeploymentInfo(empty_pb2.Empty()).supportedFeatures
                ),
                engine=DriverEngine(deployment, emit),
                project=project,
                stack=stack,
                dry_run=preview,
                organization="organization",
                root_directory=str(folder or Path.cwd()),
                callbacks=None,
                outputs=set(),
                lock=threading.Lock(),
            )
            configure(settings)
            try:
                loop.run_until_complete(run_in_stack(func))
            except BaseException as exc:
                outcome[0] = exc
        finally:
            deployment.wait_idle()
            _close_loop(loop)

    def thread_main() -> None:
        contextvars.Context().run(body)

    old_cwd = Path.cwd()
    old_path = list(sys.path)
    if folder is not None:
        os.chdir(folder)
        sys.path.insert(0, str(folder))
    try:
        thread = threading.Thread(target=thread_main, name=f"pulumi-program-{stack}")
        thread.start()
        thread.join()
    finally:
        if folder is not None:
            os.chdir(old_cwd)
            sys.path[:] = old_path
    return outcome[0]


def _close_loop(loop: asyncio.AbstractEventLoop) -> None:
    try:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_default_executor())
    finally:
        asyncio.set_event_loop(None)
        loop.close()
