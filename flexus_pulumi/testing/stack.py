"""``Stack``: one stack of a Pulumi program, run by the real Pulumi CLI when there is one,
else by the offline driver — with the same API, and saying which."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, TextIO

from flexus_pulumi.offline.driver import Stack as OfflineStack
from flexus_pulumi.offline.errors import UnsupportedError
from flexus_pulumi.offline.plan import Plan
from flexus_pulumi.offline.program import Program
from flexus_pulumi.offline.secrets import Secret
from flexus_pulumi.offline.state import ResourceState
from flexus_pulumi.pulumi_cli import CliNotFoundError, PulumiCli, require_cli

from .cli_stack import CliStack

Engine = Literal["auto", "cli", "offline"]

#: Environment variable that picks the engine when ``engine="auto"``: ``cli`` or ``offline``.
ENGINE_ENV = "FLEXUS_PULUMI_ENGINE"


def choose_engine(engine: Engine = "auto") -> tuple[PulumiCli | None, str]:
    """The CLI to run stacks with (None: the offline driver) and why, for ``engine``:
    ``"cli"`` requires one (:class:`CliNotFoundError` otherwise), ``"offline"`` never uses
    one, ``"auto"`` (default) follows ``$FLEXUS_PULUMI_ENGINE`` when set, else uses a CLI
    when one is found (:func:`flexus_pulumi.pulumi_cli.find_cli`)."""
    if engine == "auto":
        forced = os.environ.get(ENGINE_ENV, "").strip().lower()
        if forced in ("cli", "offline"):
            engine = "cli" if forced == "cli" else "offline"
        elif forced:
            raise ValueError(f"{ENGINE_ENV}={forced!r}: use 'cli' or 'offline'")
    if engine == "offline":
        return None, "the offline driver (asked for)"
    try:
        cli = require_cli()
    except CliNotFoundError as exc:
        if engine == "cli":
            raise
        return None, f"the offline driver, because {exc}"
    return cli, cli.describe()


class Stack:
    """One stack of one Pulumi program: ``preview()``, ``up()``, ``refresh()``,
    ``destroy()``, ``outputs()``, ``resources()``.

    :param name: the stack name (``dev``); part of every URN.
    :param project: the project name; part of every URN.
    :param program: a function that declares resources, or the path of a project folder
        with ``__main__.py`` (run with that folder as the working directory and first on
        ``sys.path``, as the CLI runs it).
    :param state_file: where the state lives between runs. The offline driver keeps it in
        this JSON file; the CLI keeps a file backend in the folder ``<state_file>.backend``.
    :param config: stack config with namespaced keys (``"flexus:region"``); wrap secrets in
        :class:`~flexus_pulumi.testing.Secret`. Added to (and overriding) what the project
        folder's ``Pulumi.yaml`` and ``Pulumi.<name>.yaml`` set. Default none.
    :param env: extra environment variables for the providers. Default none.
    :param output: where progress, provider output and plans are written. Default
        ``sys.stdout``.
    :param secrets_passphrase: the passphrase of the state's secrets and of the secure
        values in ``Pulumi.<name>.yaml``. Default: ``PULUMI_CONFIG_PASSPHRASE``, else one kept
        in ``<state_file>.passphrase``.
    :param project_dir: where ``Pulumi.yaml`` is looked for, and the providers' first import
        path. Default: the program folder, or for a function the folder of its module.
    :param engine: ``"auto"`` (default: the real CLI when one is found — ``$FLEXUS_PULUMI_CLI``,
        the cache of ``flexus-pulumi get-pulumi``, ``PATH`` — else the offline driver;
        ``$FLEXUS_PULUMI_ENGINE=cli|offline`` decides instead when set), ``"cli"`` (fail
        without one) or ``"offline"``.

    ``engine`` is then ``"cli"`` or ``"offline"``, and ``engine_description`` says which
    CLI, or why the offline driver. Both raise the same errors
    (:class:`~flexus_pulumi.testing.CheckFailedError`, ``OperationError``, ``ProgramError``,
    ``DriverError``) and return the same :class:`~flexus_pulumi.testing.Plan`.
    """

    def __init__(
        self,
        name: str,
        project: str,
        program: Program,
        state_file: str | Path,
        *,
        config: Mapping[str, str | Secret | Any] | None = None,
        env: Mapping[str, str] | None = None,
        output: TextIO | None = None,
        secrets_passphrase: str | None = None,
        project_dir: str | Path | None = None,
        engine: Engine = "auto",
    ) -> None:
        cli, why = choose_engine(engine)
        self.engine_description = why
        self._impl: CliStack | OfflineStack
        if cli is not None:
            self._impl = CliStack(
                name,
                project,
                program,
                state_file,
                cli=cli,
                config=config,
                env=env,
                output=output,
                secrets_passphrase=secrets_passphrase,
                project_dir=project_dir,
            )
        else:
            self._impl = OfflineStack(
                name,
                project,
                program,
                state_file,
                config=config,
                env=env,
                output=output,
                secrets_passphrase=secrets_passphrase,
                project_dir=project_dir,
            )
        self.engine: Literal["cli", "offline"] = "cli" if cli is not None else "offline"

    def __repr__(self) -> str:
        return f"Stack({self.project}/{self.name}, engine={self.engine})"

    @property
    def name(self) -> str:
        """The stack name."""
        return self._impl.name

    @property
    def project(self) -> str:
        """The project name."""
        return self._impl.project

    @property
    def state_file(self) -> Path:
        """The state file's path (the CLI's backend is ``<state_file>.backend``)."""
        return self._impl.state_file

    @property
    def urn(self) -> str:
        """The URN of the stack resource."""
        return self._impl.urn

    @property
    def program(self) -> Program:
        """The program (a function or a project folder)."""
        return self._impl.program

    @property
    def config(self) -> dict[str, str | Secret | Any]:
        """The ``config`` given (not the project files'; see :meth:`stack_config`)."""
        return self._impl.config

    @property
    def env(self) -> dict[str, str]:
        """The extra environment variables of the providers."""
        return self._impl.env

    @property
    def output(self) -> TextIO:
        """Where progress, provider output and plans are written."""
        return self._impl.output

    @property
    def project_dir(self) -> Path:
        """The project folder."""
        return self._impl.project_dir

    @property
    def cli(self) -> CliStack:
        """The CLI-run stack, for what only the CLI does (``preview_json``, ``export``,
        interrupting an ``up``); :class:`UnsupportedError` on the offline driver."""
        if isinstance(self._impl, CliStack):
            return self._impl
        raise UnsupportedError(
            f"this needs the Pulumi CLI; the stack runs on {self.engine_description}"
        )

    def stack_config(self) -> dict[str, str | Secret | Any]:
        """The effective stack config: the project folder's files, then ``config``."""
        return self._impl.stack_config()

    # -- operations ----------------------------------------------------------------------

    def preview(
        self,
        *,
        replace: Sequence[str] = (),
        cli_output: bool = False,
        on_start: Callable[[subprocess.Popen[str]], None] | None = None,
    ) -> Plan:
        """Check and Diff only: what ``up`` would do; nothing changes. ``replace``: names or
        URNs to replace (``--replace``; CLI only). The output shows the plan as ``pulumi
        preview --diff`` does; with ``cli_output`` (CLI only; ignored offline) it is the
        CLI's own text. ``on_start`` (CLI only) gets the CLI process."""
        if isinstance(self._impl, CliStack):
            return self._impl.preview(replace=replace, cli_output=cli_output, on_start=on_start)
        self._offline_only_without(replace=replace, on_start=on_start)
        return self._impl.preview()

    def up(
        self,
        *,
        skip_preview: bool = False,
        replace: Sequence[str] = (),
        on_start: Callable[[subprocess.Popen[str]], None] | None = None,
    ) -> Plan:
        """A preview (unless ``skip_preview``), then the update; the plan lists the steps
        done. ``replace`` (names or URNs, ``--replace``) and ``on_start`` (gets the CLI
        process) need the CLI."""
        if isinstance(self._impl, CliStack):
            return self._impl.up(skip_preview=skip_preview, replace=replace, on_start=on_start)
        self._offline_only_without(replace=replace, on_start=on_start)
        return self._impl.up(skip_preview=skip_preview)

    def refresh(self, *, clear_pending_creates: bool = False, skip_preview: bool = False) -> Plan:
        """Read every resource back and update the state, after a preview of it that reads
        everything too (unless ``skip_preview``). ``clear_pending_creates`` drops what an
        interrupted ``up`` left pending (``--clear-pending-creates``; CLI only)."""
        if isinstance(self._impl, CliStack):
            return self._impl.refresh(
                clear_pending_creates=clear_pending_creates, skip_preview=skip_preview
            )
        self._offline_only_without(clear_pending_creates=clear_pending_creates)
        return self._impl.refresh(skip_preview=skip_preview)

    def destroy(self, *, preview: bool = False, skip_preview: bool = False) -> Plan:
        """Delete every resource of the stack, after a preview of it (unless
        ``skip_preview``) that stops it before anything is deleted if a delete is refused (a
        protected resource); only that preview with ``preview``."""
        return self._impl.destroy(preview=preview, skip_preview=skip_preview)

    # -- inspection ----------------------------------------------------------------------

    def outputs(self) -> dict[str, Any]:
        """The stack's exports (secrets read ``"[secret]"``)."""
        return self._impl.outputs()

    def resources(self) -> list[ResourceState]:
        """The resources in the state, in dependency order (secrets in plain)."""
        return self._impl.resources()

    def resource(self, name: str) -> ResourceState:
        """The live resource named ``name``."""
        return self._impl.resource(name)

    def stored_files(self) -> list[Path]:
        """Every file the engine keeps this stack in (the state file; or the backend's
        files and the stack's config file): what a test reads to prove that no secret is
        stored in clear."""
        if isinstance(self._impl, CliStack):
            return self._impl.stored_files()
        return [p for p in [self.state_file] if p.is_file()]

    def _offline_only_without(self, **options: Any) -> None:
        used = [k for k, v in options.items() if v]
        if used:
            raise UnsupportedError(
                f"{', '.join(used)} needs the Pulumi CLI; this stack runs on "
                f"{self.engine_description}"
            )
