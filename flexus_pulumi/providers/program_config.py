"""The running Pulumi program's own stack config: what its lookups use, and what deserves a
warning before anything is bought.

Read inside the program — where Pulumi knows which values are secrets, unlike a provider's
``configure()``, which gets them all decrypted and unmarked. Nothing is kept between calls:
each reads the config of the program running now, so one stack's settings never reach
another's run in the same process (a test session, an Automation API script).

:func:`review_program_config` runs once per program run (the first Flexus resource calls
it) and warns about:

- ``flexus:secretKey`` / ``flexus:securityToken`` stored in plain text (not set with
  ``--secret``);
- a ``flexus:`` key that is not a setting but close to one (``flexus:acessKey``: did you
  mean ``flexus:accessKey``?) — such a key is ignored;
- in a preview, credentials that ``pulumi up`` will not find (none at all, or half an
  AK/SK pair): a preview itself needs none (check and diff run without the cloud), so a
  pull-request preview in CI without cloud credentials still works, and says so.
"""

from __future__ import annotations

import difflib
import weakref
from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.runtime import config as runtime_config

from flexus_pulumi.cloud.errors import ConfigurationError

from .settings import CONFIG_KEYS, SECRET_KEYS, StackSettings

NAMESPACE = "flexus"
#: ``flexus:`` keys read by something else than the providers (``Fleet.from_config``).
OTHER_KEYS = ("flexus:fleet",)

_reviewed: weakref.WeakSet[Any] = weakref.WeakSet()


def program_config() -> dict[str, Any]:
    """The running program's stack config (namespaced keys, secrets decrypted); empty
    outside a program."""
    values: dict[str, Any] = dict(runtime_config.get_config_env() or {})
    values.update(runtime_config.CONFIG.get())
    return values


def program_settings() -> StackSettings:
    """The ``flexus:*`` settings of the running program's stack config, read now (outside
    a program: none, so the environment alone counts)."""
    return StackSettings.from_mapping(program_config())


def config_warnings(
    config: Mapping[str, Any], secret_keys: set[str], *, preview: bool
) -> list[str]:
    """The warnings :func:`review_program_config` gives for ``config`` (namespaced keys),
    whose keys in ``secret_keys`` are secrets."""
    found: list[str] = []
    for key in SECRET_KEYS:
        if config.get(key) not in (None, "") and key not in secret_keys:
            found.append(
                f"{key} is stored in plain text in the stack's config file: make it a "
                f"secret with `pulumi config set --secret {key} <value>` (and rotate the key "
                "if that file was shared or committed); without the pulumi CLI, "
                "`flexus-pulumi get-pulumi` builds it, and flexus_pulumi.testing.Stack takes "
                "the value wrapped in Secret(...)"
            )
    known = [*CONFIG_KEYS, *OTHER_KEYS]
    by_lower = {k.lower(): k for k in known}
    for key in config:
        if not key.startswith(f"{NAMESPACE}:") or key in known:
            continue
        close = difflib.get_close_matches(key.lower(), list(by_lower), n=1, cutoff=0.8)
        if close:
            found.append(
                f"{key} is not a flexus setting and is ignored: did you mean "
                f"{by_lower[close[0]]}? (`pulumi config rm {key}`, then set the right key)"
            )
    if preview:
        try:
            StackSettings.from_mapping(config).credentials()
        except ConfigurationError as exc:
            found.append(
                "this preview needs no cloud credentials, but `pulumi up` will fail: " + str(exc)
            )
    return found


def review_program_config() -> None:
    """Warn (once per program run) about the stack config: see the module docs."""
    root = pulumi.runtime.get_root_resource()
    if root is not None:
        if root in _reviewed:
            return
        _reviewed.add(root)
    config = program_config()
    secret = {k for k in config if runtime_config.is_config_secret(k)}
    secret |= set(runtime_config.get_config_secret_keys_env() or [])
    for warning in config_warnings(config, secret, preview=pulumi.runtime.is_dry_run()):
        pulumi.log.warn(warning)


__all__ = [
    "config_warnings",
    "program_config",
    "program_settings",
    "review_program_config",
]
