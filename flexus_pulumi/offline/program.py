"""Running a Pulumi program without the engine: the SDK's mock monitor, wired to a deployment.

The program runs in its own thread, in a fresh ``contextvars`` context (the SDK keeps its
settings in context variables, so runs never leak into each other) and its own event loop,
exactly as the language host runs it: ``pulumi.runtime.run_in_stack(program)``. The
monitor answers ``RegisterResource`` by asking :class:`~.deployment.Deployment` for the
steps (pkg/resource/deploy/source_eval.go ``RegisterResource``: the request's options
become the goal), and captures ``register_outputs`` and stack exports. Resource references
are turned off (as for providers that do not accept them), so a resource passed as an input
arrives as its id (custom) or URN (component).

A ``ReadResource`` (``get`` / ``ResourceOptions(id=…)`` of a dynamic resource) becomes a
read step (pkg/resource/deploy/source_eval.go ``ReadResource``, then
step_generator.go ``GenerateReadSteps``); the program gets back what ``Read`` answered.

What the driver cannot do as the engine does is refused with an :class:`Unsupported`
naming the option: ``import``, ``StackReference``, transforms, resource hooks, explicit
providers, ``hide_diffs``, state migrations, ``env_var_mappings``, remote components and
invokes.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import os
import runpy
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

from google.protobuf import empty_pb2, json_format
from pulumi.runtime.config import set_all_config
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks, MockSettings
from pulumi.runtime.proto import engine_pb2, resource_pb2
from pulumi.runtime.settings import configure
from pulumi.runtime.stack import run_in_stack

from .deployment import Deployment, StepFailed, Unsupported
from .properties import from_wire, props_to_struct, struct_to_props
from .secrets import Secret, config_text
from .steps import AliasSpec, Goal, ReadGoal


def _quiet_step_failures(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """Registrations that failed a step or were refused are already reported on the
    deployment: their unretrieved futures need no "exception was never retrieved"
    traceback."""
    if isinstance(context.get("exception"), (StepFailed, Unsupported)):
        return
    loop.default_exception_handler(context)


#: A program: a function that declares resources, or a project folder with ``__main__.py``.
Program = Callable[[], Any] | str | Path


class _NoMocks(Mocks):
    """Every call the driver does not route through the deployment is unsupported."""

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        raise Unsupported(f"invoke {args.token}: function calls are not supported offline")

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        raise Unsupported(f"{args.typ} ({args.name}): not supported offline")


def _refusal(request: Any) -> str | None:
    """Why the driver refuses this registration, naming the option; None if it does not."""
    what = f"{request.type} ({request.name})"
    if request.importId:
        return (
            f"{what}: ResourceOptions(import_=...) is not supported: the engine imports by "
            "calling Read, which gets no __provider for a dynamic resource (pulumi/pulumi#16175)"
        )
    refused = {
        "transforms": bool(request.transforms),
        "hooks": request.HasField("hooks")
        and any(getattr(request.hooks, f.name) for f in request.hooks.DESCRIPTOR.fields),
        "provider": bool(request.custom and request.provider),
        "providers": bool(request.providers) and bool(request.custom),
        "hide_diffs": bool(request.hideDiffs),
        "state_migrations": bool(request.state_migrations),
        "env_var_mappings": bool(request.envVarMappings),
        "remote (a multi-language component)": bool(request.remote),
    }
    for option, used in refused.items():
        if used:
            return f"{what}: ResourceOptions({option}=...) is not supported offline"
    return None


def goal_of(request: Any) -> Goal:
    """The engine's goal for a ``RegisterResourceRequest``."""
    trigger = None
    if request.HasField("replacement_trigger"):
        trigger = from_wire(json_format.MessageToDict(request.replacement_trigger))
    aliases = []
    for alias in request.aliases:
        if alias.urn:
            aliases.append(AliasSpec(urn=alias.urn))
        else:
            spec = alias.spec
            aliases.append(
                AliasSpec(
                    name=spec.name,
                    type=spec.type,
                    parent=spec.parentUrn,
                    no_parent=spec.noParent,
                    project=spec.project,
                    stack=spec.stack,
                )
            )
    aliases.extend(AliasSpec(urn=urn) for urn in request.aliasURNs)
    return Goal(
        type=request.type,
        name=request.name,
        custom=bool(request.custom),
        parent=request.parent,
        inputs=struct_to_props(request.object),
        dependencies=list(dict.fromkeys(request.dependencies)),
        property_dependencies={
            key: list(deps.urns) for key, deps in request.propertyDependencies.items()
        },
        protect=bool(request.protect),
        retain_on_delete=bool(request.retainOnDelete),
        delete_before_replace=(
            bool(request.deleteBeforeReplace) if request.deleteBeforeReplaceDefined else None
        ),
        ignore_changes=list(request.ignoreChanges),
        replace_on_changes=list(request.replaceOnChanges),
        additional_secret_outputs=list(request.additionalSecretOutputs),
        aliases=aliases,
        deleted_with=request.deletedWith,
        replace_with=list(request.replace_with),
        replacement_trigger=trigger,
    )


def read_goal_of(request: Any) -> ReadGoal:
    """The engine's read event for a ``ReadResourceRequest``."""
    return ReadGoal(
        type=request.type,
        name=request.name,
        id=request.id,
        parent=request.parent,
        inputs=struct_to_props(request.properties),
        dependencies=list(dict.fromkeys(request.dependencies)),
        additional_secret_outputs=list(request.additionalSecretOutputs),
    )


class DriverMonitor(MockMonitor):
    """The resource monitor of one run."""

    def __init__(self, deployment: Deployment, stack: str, project: str) -> None:
        super().__init__(_NoMocks())
        self._deployment = deployment
        self._stack = stack
        self._project = project

    def _refuse(self, message: str) -> Unsupported:
        self._deployment.refuse(message)
        return Unsupported(message)

    def RegisterResource(self, request: Any) -> Any:
        refusal = _refusal(request)
        if refusal is not None:
            raise self._refuse(refusal)
        registration = self._deployment.register(goal_of(request))
        obj = props_to_struct(registration.outputs, keep_secrets=True, keep_unknowns=True)
        return resource_pb2.RegisterResourceResponse(
            urn=registration.urn, id=registration.id, object=obj
        )

    def ReadResource(self, request: Any) -> Any:
        if request.type == "pulumi:pulumi:StackReference":
            raise self._refuse(
                f"StackReference {request.name!r} is not supported offline: the driver "
                "has no backend holding other stacks' outputs"
            )
        if request.provider:
            raise self._refuse(
                f"{request.type} ({request.name}): ResourceOptions(provider=...) is not "
                "supported offline"
            )
        registration = self._deployment.register(read_goal_of(request))
        obj = props_to_struct(registration.outputs, keep_secrets=True, keep_unknowns=True)
        return resource_pb2.ReadResourceResponse(urn=registration.urn, properties=obj)

    def RegisterResourceOutputs(self, request: Any) -> Any:
        self._deployment.register_outputs(request.urn, struct_to_props(request.outputs))
        return empty_pb2.Empty()

    def RegisterStackTransform(self, request: Any) -> Any:
        raise self._refuse(
            "pulumi.runtime.register_resource_transform: transforms are not supported offline"
        )

    def RegisterStackInvokeTransform(self, request: Any) -> Any:
        raise self._refuse(
            "pulumi.runtime.register_invoke_transform: transforms are not supported offline"
        )

    def RegisterResourceHook(self, request: Any) -> Any:
        raise self._refuse(f"resource hook {request.name!r}: hooks are not supported offline")

    def RegisterErrorHook(self, request: Any) -> Any:
        raise self._refuse(f"error hook {request.name!r}: hooks are not supported offline")

    def Invoke(self, request: Any) -> Any:
        raise self._refuse(f"invoke {request.tok}: function calls are not supported offline")

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


def project_dir_of(program: Program) -> Path:
    """A program's project folder: the folder itself, or the folder of a function's module."""
    if not callable(program):
        return Path(program).resolve()
    try:
        source = inspect.getsourcefile(program)
    except TypeError:
        source = None
    return Path(source).resolve().parent if source else Path.cwd()


@contextmanager
def project_folder(folder: Path | None) -> Iterator[None]:
    """While it lasts, ``folder`` is the working directory and first on the import path, as
    when the language host runs a project folder's ``__main__.py`` (nothing for None)."""
    if folder is None:
        yield
        return
    old_cwd, old_path = os.getcwd(), list(sys.path)
    os.chdir(folder)
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        os.chdir(old_cwd)
        sys.path[:] = old_path


def program_function(program: Program) -> tuple[Callable[[], Any], Path | None]:
    """The program as a function, and its project folder when it is one (None for a
    function)."""
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
    func, folder = program_function(program)
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

    with project_folder(folder):
        thread = threading.Thread(target=thread_main, name=f"pulumi-program-{stack}")
        thread.start()
        thread.join()
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
