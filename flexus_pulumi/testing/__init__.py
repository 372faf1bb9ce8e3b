"""Testing Pulumi programs: stacks on the real Pulumi CLI, or on the offline driver where
there is none, with one API; pytest fixtures and an emulator to run them against.

    from flexus_pulumi.testing import Secret, Stack

    stack = Stack("dev", "fleet", program, "state.json",
                  config={"flexus:region": "ap-southeast-3", "flexus:secretKey": Secret(sk)})
    stack.engine                   # "cli" or "offline"; stack.engine_description says which
    plan = stack.preview()         # checks and diffs only; nothing is bought
    print(plan.render())           # like `pulumi preview --diff`
    plan.to_json()                 # like `pulumi preview --json` (a PreviewDigest)
    stack.up()                     # preview, then create/update/replace/delete
    stack.refresh(); stack.destroy(); stack.outputs()

``program`` is a function that declares resources or a project folder with ``__main__.py``.
:class:`Stack` uses the CLI :func:`flexus_pulumi.pulumi_cli.find_cli` finds
(``flexus-pulumi get-pulumi`` builds the pinned one): Automation-API inline programs on a
local file backend beside ``state.json`` (:class:`CliStack`). Without one it uses the offline
driver (:mod:`flexus_pulumi.offline`, :class:`OfflineStack`), which makes the calls the
engine makes, in its order and with its arguments, and is measured against it
(``tests/engine/agreement.py``; the README's "Running on the real Pulumi engine"). Reads
(``Instance.get``, ``ResourceOptions(id=…)``) work on both; what the driver cannot do as the
engine does it refuses with :class:`UnsupportedError` naming the option (``import_``,
``StackReference``, transforms, ``--replace``, ``--clear-pending-creates``, …).

Both raise the same errors — :class:`CheckFailedError` (check failures, each property
named), :class:`OperationError` (a provider operation failed; the steps done are kept),
:class:`ProgramError` (the program raised), :class:`DriverError` — each carrying the
:class:`Plan` of what was done.

pytest fixtures (``flexus_emulator``, ``flexus_stack``) are in
:mod:`flexus_pulumi.testing.fixtures`; enable them with
``pytest_plugins = ["flexus_pulumi.testing.pytest_plugin"]`` in your ``conftest.py``.
"""

from __future__ import annotations

from flexus_pulumi.offline.driver import Stack as OfflineStack
from flexus_pulumi.offline.errors import (
    CheckFailedError,
    CheckProblem,
    DriverError,
    OperationError,
    OperationFailure,
    ProgramError,
    UnsupportedError,
)
from flexus_pulumi.offline.plan import Diagnostic, Plan, Step
from flexus_pulumi.offline.properties import SecretValue
from flexus_pulumi.offline.provider_server import (
    ProviderCallError,
    ProviderServer,
    ProviderServerError,
)
from flexus_pulumi.offline.secrets import SECRET_MASK, UNKNOWN, Secret, SecretsError
from flexus_pulumi.offline.stack_config import StackConfigError, emulator_config
from flexus_pulumi.offline.state import ResourceState, StateFileError, make_urn
from flexus_pulumi.stacks import ENGINE_ENV, CliStack, Stack, choose_engine

from .assertions import assert_plan

__all__ = [
    "ENGINE_ENV",
    "SECRET_MASK",
    "UNKNOWN",
    "CheckFailedError",
    "CheckProblem",
    "CliStack",
    "Diagnostic",
    "DriverError",
    "OfflineStack",
    "OperationError",
    "OperationFailure",
    "Plan",
    "ProgramError",
    "ProviderCallError",
    "ProviderServer",
    "ProviderServerError",
    "ResourceState",
    "Secret",
    "SecretValue",
    "SecretsError",
    "Stack",
    "StackConfigError",
    "StateFileError",
    "Step",
    "UnsupportedError",
    "assert_plan",
    "choose_engine",
    "emulator_config",
    "make_urn",
]
