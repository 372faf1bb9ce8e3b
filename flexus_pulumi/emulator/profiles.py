"""Named combinations of settings, and the switch that runs a test suite under one.

``pessimistic`` gives, for every behaviour the vendor's reference leaves open, the answer
hardest on a client: no ``Client-Request-Id`` deduplication, a Config lag of 90 s, 400 for an
unknown order (and BSS slow to show new ones), no extras in the Config bundle, a ``tags``
filter Config ignores, undocumented fields rejected, an unrenewed instance frozen as soon
as its term ends and released a day later, the smaller page of BSS's resource list, and
no resources listed for a renewal's order id.

Test fixtures build their emulators with :func:`for_tests`: normally it returns the settings
the fixture asked for; with ``FLEXUS_EMULATOR_PROFILE=pessimistic`` in the environment the
profile's settings win over the fixture's, its durations run :data:`TEST_CLOCK_SPEED` times
faster, and the fixture's own timings are scaled so that they take the same real time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from .settings import SETTINGS

#: Environment variable naming the profile every test fixture's emulator uses.
PROFILE_ENV = "FLEXUS_EMULATOR_PROFILE"

#: The pessimistic combination (see the module docstring).
PESSIMISTIC: dict[str, Any] = {
    "config_lag_seconds": 90.0,
    "order_lag_seconds": 10.0,
    "dedupe_client_request_id": False,
    "unknown_order": "400",
    "extras_in_bundle": "absent",
    "config_tags_filter": "ignored",
    "unknown_fields": "rejected",
    "expiry_grace_seconds": 0.0,
    "expiry_retention_seconds": 86400.0,
    "resource_list_limit": "100",
    "renewal_order_resources": "empty",
}

#: Profiles by name: settings applied on top of the defaults.
PROFILES: dict[str, dict[str, Any]] = {
    "default": {},
    "pessimistic": PESSIMISTIC,
}

#: Emulated seconds per real second when a test runs under a profile: a 90 s Config lag
#: then takes 1.5 s.
TEST_CLOCK_SPEED = 60.0

#: Settings that are durations on the emulated clock (scaled with the clock's speed).
DURATIONS = tuple(
    name
    for name, spec in SETTINGS.items()
    if spec.kind == "seconds" and name not in ("clock_speed", "clock_skew_seconds")
)


def profile(name: str) -> dict[str, Any]:
    """The settings of profile ``name``; ValueError naming the known profiles."""
    try:
        return dict(PROFILES[name])
    except KeyError:
        raise ValueError(
            f"unknown emulator profile {name!r}; known: {', '.join(PROFILES)}"
        ) from None


def active_profile(environ: Mapping[str, str] | None = None) -> str | None:
    """The profile named by ``FLEXUS_EMULATOR_PROFILE`` (None when unset or ``default``)."""
    env = os.environ if environ is None else environ
    name = env.get(PROFILE_ENV, "").strip()
    if not name or name == "default":
        return None
    profile(name)  # unknown names fail loudly
    return name


def for_tests(
    asked: Mapping[str, Any] | None = None,
    /,
    *,
    environ: Mapping[str, str] | None = None,
    **more: Any,
) -> dict[str, Any]:
    """The settings a test fixture's emulator starts with: those it ``asked`` for (a mapping
    and/or keywords), or — under the profile named by ``FLEXUS_EMULATOR_PROFILE`` (in
    ``environ``, default ``os.environ``) — those with their durations scaled to the faster
    clock and the profile's settings on top."""
    given = {**(asked or {}), **more}
    name = active_profile(environ)
    if name is None:
        return dict(given)
    speed = float(given.get("clock_speed", 1.0)) * TEST_CLOCK_SPEED
    merged = {k: v * TEST_CLOCK_SPEED if k in DURATIONS else v for k, v in given.items()}
    merged.update(profile(name))
    merged["clock_speed"] = speed
    return merged


__all__ = [
    "DURATIONS",
    "PESSIMISTIC",
    "PROFILES",
    "PROFILE_ENV",
    "TEST_CLOCK_SPEED",
    "active_profile",
    "for_tests",
    "profile",
]
