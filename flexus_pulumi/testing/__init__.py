"""Offline deployment driver and pytest fixtures: a test and demo harness, not an engine.

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

What it does, faithfully to the engine:

- the program runs under the SDK's own runtime (``pulumi.runtime`` with a mock monitor),
  so components, parents, ``depends_on``, ``Output.apply``, config and ``pulumi.export``
  behave as under ``pulumi up``;
- every Python dynamic resource goes to the SDK's real provider server
  (``python -m pulumi.dynamic``) over gRPC: provider pickling by reference,
  ``configure()`` with the stack config (secrets decrypted), floats for numbers,
  ``check`` → ``diff`` → ``create``/``update``/``delete``, ``read`` on refresh;
- steps as the engine decides them: same, create, update, replace — create before delete,
  or delete before replace when ``diff`` or ``ResourceOptions(delete_before_replace=True)``
  asks — and the deletion of resources the program no longer declares (and of replaced
  ones) after the program, dependents and children first. ``replace_on_changes``,
  ``ignore_changes`` (top-level properties), ``protect``, ``retain_on_delete`` and
  ``additional_secret_outputs`` are honoured;
- ``up`` previews first, so ``CheckFailure``s of all resources are reported (property and
  reason) before anything is created;
- up to four provider operations at a time, the width of the provider server's pool;
- the state is a JSON file written atomically after every step, so an interrupted or failed
  run keeps what it already did; a failed create records nothing, a failed update keeps the
  old state.

Design choices to know:

- **Secrets never reach the state file in plain text.** Secret properties are stored as
  salted scrypt digests. When the program supplies the same value again the provider gets
  the real value, so diffs are exact and a changed secret is an update; a value the program
  no longer supplies (on delete, refresh, or a secret output with no input of the same
  name) reaches the provider as ``"[secret]"``. Plans, outputs and messages show secrets as
  ``"[secret]"``. The serialized provider (``__provider``) is stored in plain text: deletes
  need it, and providers must carry no credentials (they come from ``configure()``).
- **Preview outputs are the checked inputs**, as the engine returns for providers without
  preview support: outputs a provider computes read as unknown until ``up``.

What it does not do: no Pulumi service or backend, locking, history or stack references;
no non-Python or non-dynamic providers, no ``get``/``import``, invokes, aliases, policy
packs, transforms beyond what the SDK runs itself, ``--target``, ``--parallel`` beyond
four, or pending-operation recovery; ``ignore_changes`` takes top-level properties only.
Deleting a resource before its replacement does not replace the resources that depend on it.

pytest fixtures (``flexus_emulator``, ``flexus_stack``) are in
:mod:`flexus_pulumi.testing.fixtures`; enable them with
``pytest_plugins = ["flexus_pulumi.testing.pytest_plugin"]`` in your ``conftest.py``.
"""

from __future__ import annotations

from .assertions import assert_plan
from .driver import Stack
from .errors import (
    CheckFailedError,
    CheckProblem,
    DriverError,
    OperationError,
    OperationFailure,
    ProgramError,
    UnsupportedError,
)
from .plan import Diagnostic, Plan, Step
from .provider_server import ProviderCallError, ProviderServer, ProviderServerError
from .secrets import SECRET_MASK, UNKNOWN, Secret, SecretsError
from .stack_config import StackConfigError, emulator_config
from .state import ResourceState, StateFileError, make_urn

__all__ = [
    "SECRET_MASK",
    "UNKNOWN",
    "CheckFailedError",
    "CheckProblem",
    "Diagnostic",
    "DriverError",
    "OperationError",
    "OperationFailure",
    "Plan",
    "ProgramError",
    "ProviderCallError",
    "ProviderServer",
    "ProviderServerError",
    "ResourceState",
    "Secret",
    "SecretsError",
    "Stack",
    "StackConfigError",
    "StateFileError",
    "Step",
    "UnsupportedError",
    "assert_plan",
    "emulator_config",
    "make_urn",
]
