"""The comment tells the truth: what it says a change buys, adopts, unsubscribes, renews and
costs is what ``up`` then does.

One stack is deployed once (a ``Server`` with a data disk and backup, an auto-renewing
``InstanceGroup``, an ``Instance`` kept with ``retain_on_delete``), then each row of the
table changes the program: preview (``pulumi preview --json --show-sames``), render the comment
with the emulator's price table, ``up``, and compare the comment's counts and amount with
the orders the emulator actually took. Each row starts from the state the one before left,
so the table runs in order, on one emulator (a row run alone first deploys its start).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pulumi
import pytest

from flexus_pulumi import ImageArgs, InstanceArgs, InstanceGroupArgs, Renewal, Server
from flexus_pulumi.common import INSTANCE, INSTANCE_GROUP
from flexus_pulumi.emulator import Emulator
from flexus_pulumi.emulator.models import (
    INSTANCE_DELETED,
    INSTANCE_UNSUBSCRIBING,
    ORDER_NEW,
    ORDER_RENEWAL,
)
from flexus_pulumi.emulator.pricing import price_file
from flexus_pulumi.emulator.profiles import for_tests
from flexus_pulumi.prcomment import parse_preview, parse_prices, render_comment
from flexus_pulumi.providers.group import InstanceGroup
from flexus_pulumi.providers.instance import Instance
from flexus_pulumi.testing import Stack, emulator_config
from flexus_pulumi.testing.fixtures import EMULATOR_TIMINGS

PRICES = parse_prices(price_file(), "emulator-prices.yaml")
UBUNTU = ImageArgs("Ubuntu", "22.04")
START: dict[str, Any] = {
    "web_spec": "hf.large.1.30m.linux",
    "disk": 20,
    "server_name": "web",
    "password": "Sup3r-Secr3t-1",
    "power": "running",
    "description": "",
    "period_num": 1,
    "pool": 2,
    "pool_spec": "hf.large.1.30m.linux",
    "renew": False,
    "spare": True,
    "adopt": None,
}


def program(world: dict[str, Any]) -> Callable[[], None]:
    """The stack's program, as ``world`` says it is now."""

    def run() -> None:
        web = Server(
            "web",
            InstanceArgs(
                name="web",
                plan_spec=world["web_spec"],
                image=UBUNTU,
                data_disk_size=world["disk"],
                backup_size=10,
                server_name=world["server_name"],
                admin_password=world["password"],
                power_state=world["power"],
                description=world["description"],
                period_num=world["period_num"],
            ),
        )
        InstanceGroup(
            "pool",
            InstanceGroupArgs(
                name="pool",
                plan_spec=world["pool_spec"],
                image=UBUNTU,
                count=world["pool"],
                auto_renew=True,
            ),
        )
        if world["spare"]:
            Instance(
                "spare",
                InstanceArgs(
                    name="spare",
                    plan_spec="hf.large.1.30m.linux",
                    image=UBUNTU,
                    adopt_instance_id=world["adopt"],
                ),
                pulumi.ResourceOptions(retain_on_delete=True),
            )
        if world["renew"]:
            Renewal("web-renewal", web.instance_id, period_num=2)
        pulumi.export("web_id", web.instance_id)

    return run


@dataclass(frozen=True)
class Counts:
    """What a change buys, adopts, unsubscribes and renews, and what it costs now."""

    purchases: int = 0
    bought: int = 0
    adopted: int = 0
    unsubscribed: int = 0
    renewals: int = 0
    amount: Decimal = Decimal(0)


@dataclass(frozen=True)
class Row:
    """A change: the settings it makes (``before`` names a step run first: the id of the
    instance to adopt is read from the stack), what it should do, and whether the
    preview must show no replacement."""

    name: str
    change: dict[str, Any]
    expect: Counts
    in_place: bool = True
    before: Callable[[Stack, dict[str, Any]], None] | None = field(default=None, repr=False)


def _remember_spare(stack: Stack, world: dict[str, Any]) -> None:
    world["adopt_next"] = stack.resource("spare").id


def _adopt_spare(stack: Stack, world: dict[str, Any]) -> None:
    world["adopt"] = world["adopt_next"]


ROWS = [
    Row("rename", {"server_name": "web-1"}, Counts()),
    Row("password", {"password": "Sup3r-Secr3t-2"}, Counts()),
    Row("power", {"power": "stopped"}, Counts()),
    Row("recorded only", {"description": "kept in the state", "period_num": 2}, Counts()),
    Row(
        "spec change",
        {"web_spec": "hf.large.2.30m.linux"},
        Counts(purchases=1, bought=1, unsubscribed=1, amount=Decimal("27.00")),
        in_place=False,
    ),
    Row(
        "extras change",
        {"disk": 40},
        Counts(purchases=1, bought=1, unsubscribed=1, amount=Decimal("29.00")),
        in_place=False,
    ),
    Row("scale out", {"pool": 3}, Counts(purchases=1, bought=1, amount=Decimal("7.00"))),
    Row("scale in", {"pool": 1}, Counts(unsubscribed=2)),
    Row(
        "group spec change",
        {"pool_spec": "hf.large.2.30m.linux"},
        Counts(purchases=1, bought=1, unsubscribed=1, amount=Decimal("12.00")),
        in_place=False,
    ),
    Row("renewal", {"renew": True}, Counts(renewals=1, amount=Decimal("29.00"))),
    Row("removal with retain_on_delete", {"spare": False}, Counts(), before=_remember_spare),
    Row("adoption", {"spare": True}, Counts(adopted=1), before=_adopt_spare),
]

_AMOUNT = re.compile(r"💵 \*\*([\d,.]+) USD\*\*")
DATA_LOSS = "⚠️ Data loss:"


def said(counts: dict[str, int], comment: str) -> Counts:
    """The counts (of the summary's Flexus L line) and the amount the comment states."""
    amount = _AMOUNT.search(comment)
    return Counts(
        purchases=counts["purchases"],
        bought=counts["bought"],
        adopted=counts["adopted"],
        unsubscribed=counts["unsubscribed"],
        renewals=counts["renewals"],
        amount=Decimal(amount.group(1).replace(",", "")) if amount else Decimal(0),
    )


def managed(stack: Stack) -> set[str]:
    """The instances the stack's state holds."""
    ids: set[str] = set()
    for resource in stack.resources():
        if resource.type == INSTANCE.token:
            ids.add(resource.id)
        elif resource.type == INSTANCE_GROUP.token:
            ids.update(resource.outputs["instance_ids"])
    return ids


def did(before: dict[str, Any], after: dict[str, Any], taken: set[str]) -> tuple[Counts, set[str]]:
    """What the emulator did between two of its states: the orders it took (and what they
    cost), the instances it unsubscribed; and of the instances the stack ``taken`` under
    management, those that existed already (adopted)."""
    new = [o for oid, o in after["orders"].items() if oid not in before["orders"]]
    bought = [o for o in new if o["order_type"] == ORDER_NEW]
    renewed = [o for o in new if o["order_type"] == ORDER_RENEWAL]
    leaving = (INSTANCE_UNSUBSCRIBING, INSTANCE_DELETED)
    gone = {
        iid
        for iid, inst in after["instances"].items()
        if inst["status"] in leaving
        and before["instances"].get(iid, {}).get("status") not in leaving
    }
    amount = sum((Decimal(str(o["amount"])) for o in bought + renewed), Decimal(0))
    counts = Counts(
        purchases=len(bought),
        adopted=len(taken & set(before["instances"])),
        bought=sum(len(o["instance_ids"]) for o in bought),
        unsubscribed=len(gone),
        renewals=len(renewed),
        amount=amount,
    )
    return counts, gone


@dataclass
class World:
    """The one stack the table changes, and the settings it was last deployed with."""

    emulator: Emulator
    stack: Stack
    settings: dict[str, Any]
    deployed: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    settings = dict(START)
    folder: Path = tmp_path_factory.mktemp("truth")
    with Emulator(settings=for_tests(EMULATOR_TIMINGS)) as emu:
        stack = Stack(
            "dev", "shop", program(settings), folder / "state.json", config=emulator_config(emu)
        )
        stack.up()
        yield World(emu, stack, settings)


def _catch_up(world: World, row: Row) -> None:
    """Apply every earlier row this module has not applied yet (a row run alone)."""
    for earlier in ROWS[: ROWS.index(row)]:
        if earlier.name not in world.deployed:
            if earlier.before is not None:
                earlier.before(world.stack, world.settings)
            world.settings.update(earlier.change)
            world.stack.up(skip_preview=True)
            world.deployed.append(earlier.name)


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_the_comment_says_what_up_does(
    world: World, row: Row, headline: Callable[[str], dict[str, int]]
) -> None:
    _catch_up(world, row)
    if row.before is not None:
        row.before(world.stack, world.settings)
    world.settings.update(row.change)
    deployed = world.stack.outputs()
    preview = world.stack.preview()
    if row.in_place:
        # a Server's extras follow its instance's id, kept through an in-place update
        assert "replace" not in preview.counts, preview.summary_lines()
        assert preview.outputs["web_id"] == deployed["web_id"]
    # --show-sames, as the example workflow runs it: a renewal is priced by what it renews
    (comment,) = render_comment(parse_preview(preview.dumps(show_sames=True)), prices=PRICES)
    before, held = world.emulator.state(), managed(world.stack)
    world.stack.up(skip_preview=True)
    world.deployed.append(row.name)
    done, gone = did(before, world.emulator.state(), managed(world.stack) - held)
    claimed = said(headline(comment), comment)
    assert claimed == done, f"{row.name}: the comment says {claimed}, up did {done}\n{comment}"
    assert done == row.expect, f"{row.name}: up did {done}, the table expects {row.expect}"
    assert (DATA_LOSS in comment) == bool(gone), comment
    for instance_id in gone:  # each instance leaving is named
        assert f"`{instance_id}`" in comment


def test_bought_instances_carry_what_their_order_cost(world: World) -> None:
    _catch_up(world, ROWS[-1])
    orders = world.emulator.state()["orders"]
    web = world.stack.resource("web-instance").outputs["order_cost"]
    assert web["amount"] == orders[web["order_id"]]["amount"]
    assert (web["currency"], web["note"]) == ("USD", PRICES.note)
    pool = world.stack.resource("pool").outputs
    assert [c["order_id"] for c in pool["order_costs"]] == pool["order_ids"]
    for cost in pool["order_costs"]:
        assert cost["amount"] == orders[cost["order_id"]]["amount"]
