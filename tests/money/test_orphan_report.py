"""The orphan report knows Config's lag: right after an interrupted scale-out it says a
recent purchase is not listed yet (never an all-clear); once Config lists it, it names the
instances as an interrupted attempt with the same inputs, which a rerun adopts."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from flexus_pulumi.cloud.clock import ManualClock
from flexus_pulumi.emulator import Emulator
from flexus_pulumi.orphans import find_orphans, load_state, render_text
from flexus_pulumi.orphans.report import Report
from flexus_pulumi.orphans.unlisted import counting, unlisted_purchases

from .conftest import (
    BASIC,
    CONFIG_LAG,
    PROJECT,
    STACK,
    Deployed,
    Engine,
    completed_unlisted,
    engine_client,
)


def export(path: Path, resources: list[Deployed]) -> Path:
    """A ``pulumi stack export`` of ``resources``."""
    path.write_text(
        json.dumps(
            {
                "version": 3,
                "deployment": {
                    "resources": [
                        {
                            "urn": f"urn:pulumi:{STACK}::{PROJECT}::{r.type}::{r.name}",
                            "type": r.type,
                            "id": r.id,
                            "inputs": r.inputs,
                            "outputs": r.outputs,
                        }
                        for r in resources
                    ]
                },
            }
        )
    )
    return path


def report(cloud: Emulator, clock: ManualClock, state: Path) -> Report:
    """The orphan report of ``state``, as the command makes it, on the test's clock."""
    client = engine_client(cloud, clock)
    listed: Counter[str] = Counter()
    found = find_orphans(
        counting(client.iter_instances(page_size=200), listed), [load_state(state)]
    )
    found.config_lag = CONFIG_LAG
    found.unlisted = unlisted_purchases(client, listed, config_lag=CONFIG_LAG)
    return found


@pytest.fixture
def interrupted(engine: Engine, cloud: Emulator, clock: ManualClock) -> Deployed:
    """A group of 3 whose scale-out to 5 was killed after its order completed, before
    Config listed the two instances it bought (the state holds 3)."""
    group = engine.group({**BASIC, "count": 3})
    with engine.killed_when(completed_unlisted(cloud, clock, 1)):
        engine.update(group, {"count": 5})
    return group


def test_a_purchase_config_does_not_list_yet_is_reported_not_ignored(
    interrupted: Deployed, cloud: Emulator, clock: ManualClock, tmp_path: Path
) -> None:
    found = report(cloud, clock, export(tmp_path / "state.json", [interrupted]))
    assert found.leaks == []  # nothing Config lists leaks …
    [order] = found.unlisted  # … but a purchase it does not list yet is not judged
    assert (order.bought, order.listed, order.status) == (2, 0, "completed")
    assert order.age is not None and order.age < CONFIG_LAG
    text = render_text(found)
    assert f"order {order.order_id} (completed): bought 2 instance(s)" in text
    assert "not yet listed (or unsubscribed since): rerun after the lag" in text
    assert "Nothing leaks: every instance" not in text
    assert found.as_json()["not_listed_yet"][0]["bought"] == 2


def test_after_the_lag_the_interrupted_attempt_is_named_as_such(
    interrupted: Deployed, cloud: Emulator, clock: ManualClock, tmp_path: Path
) -> None:
    clock.advance(CONFIG_LAG)
    found = report(cloud, clock, export(tmp_path / "state.json", [interrupted]))
    assert found.unlisted == []
    assert len(found.leaks) == 2
    for finding in found.leaks:
        assert "interrupted attempt with the same inputs" in finding.reason
        assert "adopts it" in finding.reason
        assert "asked for something else" not in finding.reason


def test_the_rerun_leaves_nothing_to_report(
    interrupted: Deployed, engine: Engine, cloud: Emulator, clock: ManualClock, tmp_path: Path
) -> None:
    grown = engine.update(interrupted, {"count": 5})
    found = report(cloud, clock, export(tmp_path / "state.json", [grown]))
    assert (found.leaks, found.unlisted) == ([], [])
    assert "Nothing leaks: every instance" in render_text(found)


def test_an_attempt_with_other_inputs_is_still_something_else(
    engine: Engine, cloud: Emulator, clock: ManualClock, tmp_path: Path
) -> None:
    """The resource now asks for another spec: what the killed attempt bought is not what
    a rerun would adopt, and the report says so."""
    holder = engine.create(BASIC)
    other: dict[str, Any] = {**holder.inputs, "__purchase": "0" * 12}
    moved = Deployed(holder.type, holder.name, "0" * 24, {}, other)
    clock.advance(CONFIG_LAG)
    found = report(cloud, clock, export(tmp_path / "state.json", [moved]))
    [finding] = found.leaks
    assert "asked for something else" in finding.reason


def test_an_order_settled_by_the_lag_is_judged_on_what_config_lists(
    engine: Engine, cloud: Emulator, clock: ManualClock, tmp_path: Path
) -> None:
    """Once Config's lag has passed since an order completed, Config lists all it bought
    that still exists: one of its instances unsubscribed since is no "not yet listed"."""
    group = engine.group({**BASIC, "count": 3})
    smaller = engine.update(group, {"count": 2})
    clock.advance(CONFIG_LAG)
    found = report(cloud, clock, export(tmp_path / "state.json", [smaller]))
    assert (found.leaks, found.unlisted) == ([], [])
