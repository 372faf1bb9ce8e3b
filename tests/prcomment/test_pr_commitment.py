"""What a change commits: server-months and extra GiB-months bought, renewed or given up,
for months and years, groups, extras and renewals — with and without a price file."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from flexus_pulumi.prcomment import (
    PreviewDigest,
    PriceTable,
    analyze,
    commitment,
    parse_prices,
    render_comment,
    to_digest,
)

INSTANCE = "pulumi-python:dynamic/flexus:Instance"
GROUP = "pulumi-python:dynamic/flexus:InstanceGroup"
RENEWAL = "pulumi-python:dynamic/flexus:Renewal"
SPEC = "hf.large.1.30m.linux"
PRICES = parse_prices(
    {
        "currency": "USD",
        "note": "test prices",
        "specs": {SPEC: {"month": 7, "year": 70}, "hf.large.2.30m.linux": {"month": 12}},
        "extras": {
            "data_disk": {"gib_month": "0.05"},
            "backup": {"gib_month": "0.05", "gib_year": "0.5"},
            "host_security": {"month": "1.5"},
        },
    },
    "prices.yaml",
)


def _urn(type_: str, name: str) -> str:
    return f"urn:pulumi:dev::shop::{type_}::{name}"


def _state(type_: str, name: str, inputs: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"urn": _urn(type_, name), "custom": True, "type": type_, "inputs": inputs, **extra}


def _step(
    op: str,
    type_: str,
    name: str,
    new: dict[str, Any] | None,
    old: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    step: dict[str, Any] = {"op": op, "urn": _urn(type_, name), **extra}
    if new is not None:
        step["newState"] = _state(type_, name, new)
    if old is not None:
        step["oldState"] = _state(type_, name, old, id=f"{name}-id")
    return step


def _commit(steps: list[dict[str, Any]], prices: PriceTable | None = PRICES) -> Any:
    return commitment(analyze(to_digest({"steps": steps})), prices)


def _line(**inputs: Any) -> Any:
    (line,) = _commit([_step("create", INSTANCE, "web", {"plan_spec": SPEC, **inputs})]).lines
    return line


@pytest.mark.parametrize(
    ("period", "months", "amount"),
    [
        ({}, 1, "7"),  # the defaults: one month
        ({"period_type": "month", "period_num": 3}, 3, "21"),
        ({"period_type": "year", "period_num": 1}, 12, "70"),
        ({"period_type": "year", "period_num": 3.0}, 36, "210"),  # gRPC sends floats
    ],
)
def test_months_and_years(period: dict[str, Any], months: int, amount: str) -> None:
    line = _line(**period)
    assert (line.what, line.servers, line.months, line.server_months) == ("buys", 1, months, months)
    assert line.gib_months == 0
    assert line.amount == Decimal(amount)


def test_a_year_without_a_yearly_price_is_twelve_months() -> None:
    line = _line(plan_spec="hf.large.2.30m.linux", period_type="year", period_num=2)
    assert line.amount == Decimal(12 * 12 * 2)


def test_a_group_of_twelve_for_three_months_is_thirty_six_server_months() -> None:
    steps = [_step("create", GROUP, "web", {"plan_spec": SPEC, "count": 12, "period_num": 3})]
    commit = _commit(steps)
    (line,) = commit.lines
    assert (line.servers, line.server_months, line.amount) == (12, 36, Decimal(12 * 21))
    (text,) = render_comment(to_digest({"steps": steps}), prices=PRICES)
    assert "**Commits:** 🛒 buys 36 server-months · 💵 **252.00 USD**" in text
    (text,) = render_comment(to_digest({"steps": steps}))
    assert "**Commits:** 🛒 buys 36 server-months\n" in text
    assert "Add a price file (`flexus-pulumi pr-comment --prices FILE`) to see amounts." in text


def test_extras_are_gib_months_and_money() -> None:
    line = _line(data_disk_size=100, backup_size=50, host_security=True, period_num=2)
    assert line.gib_months == 150 * 2
    # 2 × (7 + 100 × 0.05 + 50 × 0.05 + 1.5)
    assert line.amount == Decimal("32.00")
    yearly = _line(data_disk_size=100, backup_size=50, period_type="year")
    # 70 + 100 × 0.05 × 12 + 50 × 0.5
    assert yearly.amount == Decimal("155.00")
    assert yearly.gib_months == 150 * 12


def test_unpriced_things_say_why() -> None:
    unknown_spec = _line(plan_spec="hf.xlarge.4.30m.linux")
    assert unknown_spec.amount is None
    assert unknown_spec.unpriced == "no price for hf.xlarge.4.30m.linux in the price file"
    no_extras = parse_prices({"currency": "USD", "specs": {SPEC: {"month": 7}}})
    (line,) = _commit(
        [_step("create", INSTANCE, "web", {"plan_spec": SPEC, "data_disk_size": 10})], no_extras
    ).lines
    assert line.unpriced == "no price for extras.data_disk in the price file"
    assert line.server_months == 1  # the commitment is still counted


def test_auto_renew_is_a_recurring_cost_and_giving_up_takes_it_off() -> None:
    old = {"plan_spec": SPEC, "count": 3, "auto_renew": True}
    members = [{"instance_id": f"{i:024x}", "name": f"web-000{i}"} for i in range(1, 4)]
    steps = [
        _step(
            "create",
            GROUP,
            "new",
            {"plan_spec": "hf.large.2.30m.linux", "count": 2, "auto_renew": True},
        ),
        _step(
            "delete",
            GROUP,
            "old",
            None,
            old,
        ),
    ]
    steps[1]["oldState"]["outputs"] = {"instances": members}
    commit = _commit(steps)
    buy, give_up = commit.lines
    assert (buy.recurring, give_up.recurring) == (Decimal(24), Decimal(21))
    assert give_up.amount is None
    assert commit.recurring() == {"month": Decimal(3)}
    assert commit.given_up() == (3, False)


def test_a_replacement_buys_and_gives_up(digest: Callable[[str], PreviewDigest]) -> None:
    commit = commitment(analyze(digest("replace")), PRICES)
    assert [(line.change.name, line.what, line.servers) for line in commit.lines] == [
        ("cache", "buys", 1),
        ("pool", "buys", 2),
        ("db-instance", "buys", 1),
        ("cache", "gives up", 1),
        ("pool", "gives up", 2),
        ("db-instance", "gives up", 1),
    ]
    assert commit.server_months("buys") == (4, False)
    assert commit.gib_months("buys") == (100, False)  # db's data disk, bought again


def test_renewals_need_what_they_renew(digest: Callable[[str], PreviewDigest]) -> None:
    (bare,) = commitment(analyze(digest("renew")), PRICES).lines
    assert (bare.what, bare.servers, bare.server_months) == ("renews", 1, 12)
    assert bare.amount is None
    assert "--show-sames" in bare.unpriced
    (full,) = commitment(analyze(digest("renew_sames")), PRICES).lines
    # one year of hf.large.2 (12 × 12, no yearly price) and a 40 GiB data disk
    assert full.amount == Decimal(12 * 12) + Decimal("0.05") * 40 * 12
    assert full.gib_months == 40 * 12
    assert full.recurring is None  # a renewal does not auto-renew


def test_a_renewal_of_a_resource_in_the_same_preview() -> None:
    instance = _step(
        "update",
        INSTANCE,
        "web",
        {"plan_spec": SPEC, "power_state": "stopped"},
        {"plan_spec": SPEC},
    )
    instance["oldState"]["outputs"] = {"instance_id": "a" * 24}
    renewal = _step(
        "create",
        RENEWAL,
        "web-renewal",
        {"instance_id": "a" * 24, "period_type": "year", "period_num": 2},
    )
    (line,) = _commit([instance, renewal]).lines
    assert (line.what, line.server_months, line.amount) == ("renews", 24, Decimal(140))
    assert line.note == "web"


def test_ending_a_renewal_gives_its_periods_up() -> None:
    old = {"instance_id": "a" * 24, "period_num": 3, "unsubscribe_on_delete": True}
    commit = _commit([_step("delete", RENEWAL, "r", None, old)])
    (line,) = commit.lines
    assert (line.what, line.servers, line.months) == ("gives up", 1, 3)
    kept = _commit([_step("delete", RENEWAL, "r", None, {**old, "unsubscribe_on_delete": False})])
    assert kept.lines == []


def test_adoptions_and_retained_removals_commit_nothing(
    digest: Callable[[str], PreviewDigest],
) -> None:
    assert commitment(analyze(digest("adopt")), PRICES).lines == []
    retained = [
        line
        for line in commitment(analyze(digest("delete")), PRICES).lines
        if line.change.name == "keep-me"
    ]
    assert retained == []


def test_the_comment_states_the_source_and_note_of_prices(
    digest: Callable[[str], PreviewDigest],
) -> None:
    (text,) = render_comment(digest("fleet_create"), prices=PRICES)
    assert "Amounts at the prices from `prices.yaml` (test prices), before taxes" in text
    # 3 × 7 + (70 + 100 × 0.05 × 12 + 50 × 0.5 + 1.5 × 12)
    assert "💵 **194.00 USD** · auto-renew +21.00 USD/month" in text


def test_one_server_month_is_singular() -> None:
    steps = [_step("create", INSTANCE, "web", {"plan_spec": SPEC})]
    (text,) = render_comment(to_digest({"steps": steps}))
    assert "**Commits:** 🛒 buys 1 server-month\n" in text
