"""Testing Pulumi programs offline: the offline driver (:mod:`flexus_pulumi.offline`,
re-exported here) and pytest fixtures — a test and demo harness, not an engine.

Users with the Pulumi CLI use ``pulumi preview`` / ``pulumi up`` themselves. This package
runs a Pulumi program where the CLI is not available — in unit tests, in CI without
credentials, in the ``flexus-pulumi demo`` — the way moto lets AWS users test offline::

    from flexus_pulumi.testing import Secret, Stack

    stack = Stack("dev", "fleet", program, "state.json",
                  config={"flexus:region": "ap-southeast-3", "flexus:secretKey": Secret(sk)})
    plan = stack.preview()         # checks and diffs only; nothing is bought
    print(plan.render())           # like `pulumi preview --diff`
    plan.to_json()                 # like `pulumi preview --json` (a PreviewDigest)
    stack.up()                     # preview, then create/update/replace/delete
    stack.refresh(); stack.destroy(); stack.outputs()

What it does, as the engine does it (README, "Testing your own stacks offline", has the
full table; ``tests/testing/test_conformance_*.py`` cite the engine source of each point):

- the program runs under the SDK's own runtime (``pulumi.runtime`` with a mock monitor),
  so components, parents, ``depends_on``, ``Output.apply``, config and ``pulumi.export``
  behave as under ``pulumi up``;
- every Python dynamic resource goes to the SDK's real provider server
  (``python -m pulumi.dynamic``) over gRPC, started in the project directory with the
  engine's environment and ``Configure``; ``up`` previews and updates in two processes;
- steps are decided as the engine's step generator decides them (:mod:`.step_generator`:
  ``Check`` with the old inputs, ``Diff`` with the old outputs, **a second olds-less
  ``Check`` on every replacement**, the resource options) and applied as its step
  executor applies them (:mod:`.step_executor`: nothing but ``Check``/``Diff`` in a
  preview, four provider calls at a time, deletes in dependency antichains);
- the first resource whose ``Check`` fails stops the run; a failed create records
  nothing, a failed update keeps the old state;
- providers get real plain values (secrets included); outputs are made secret again as
  the engine does; the state file keeps secrets encrypted;
- stack config comes from ``Pulumi.yaml`` / ``Pulumi.<stack>.yaml`` and ``config=``;
- the state is a JSON file written atomically after every step; plans have the shape of
  ``pulumi preview --json`` (:meth:`Plan.to_json`).

What the driver cannot do as the engine does it refuses with :class:`UnsupportedError`
naming the option (``import``, ``get``, ``StackReference``, transforms, hooks, explicit
providers, ...). It has no backend: no history, locking, ``--target`` or pending-operation
recovery.

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

from .assertions import assert_plan
from .cli_stack import CliStack
from .stack import ENGINE_ENV, Stack, choose_engine

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
