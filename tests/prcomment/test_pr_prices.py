"""Price files: the format, every bad input named with its field and rule, and the
emulator's made-up prices offered (and labelled) as one."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from flexus_pulumi.emulator.models import Extra
from flexus_pulumi.emulator.pricing import PRICE_NOTE, price, price_file
from flexus_pulumi.prcomment import PriceFileError, load_prices, parse_prices

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "github-actions" / "prices.yaml"
GOOD: dict[str, Any] = {
    "currency": "USD",
    "note": "list prices",
    "specs": {"hf.large.1.30m.linux": {"month": 7, "year": "70.00"}},
    "extras": {
        "data_disk": {"gib_month": 0.05},
        "backup": {"gib_month": 0.05, "gib_year": 0.5},
        "host_security": {"month": 1.5},
    },
}


def test_a_price_file_is_read_exactly() -> None:
    table = parse_prices(GOOD, "prices.yaml")
    spec = table.specs["hf.large.1.30m.linux"]
    assert (spec.per("month"), spec.per("year")) == (Decimal(7), Decimal("70.00"))
    assert spec.for_term("month", 3) == Decimal(21)
    # 0.05 is kept exact: no binary floating point on the way
    assert table.data_disk is not None
    assert table.data_disk.per("month") * 3 == Decimal("0.15")
    # a year without a yearly price is twelve months
    assert table.data_disk.per("year") == Decimal("0.60")
    assert table.backup is not None
    assert table.backup.per("year") == Decimal("0.5")
    assert (table.currency, table.note, table.source) == ("USD", "list prices", "prices.yaml")
    assert table.money(Decimal("1234.5")) == "1,234.50 USD"


def test_extras_are_optional() -> None:
    table = parse_prices({"currency": "EUR", "specs": {"hf.large.1.30m.linux": {"month": 1}}})
    assert (table.data_disk, table.backup, table.host_security, table.note) == (
        None,
        None,
        None,
        "",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"currency": None}, "currency: is required"),
        ({"currency": "usd"}, "currency: 'usd' is not a currency code: use 3 capital letters"),
        ({"specs": None}, "specs: is required"),
        ({"specs": ["hf.large.1.30m.linux"]}, "specs: must be a mapping"),
        ({"note": 3}, "note: must be text, got 3"),
        ({"prices": {}}, "prices: unknown key; a price file has currency, note, specs, extras"),
        (
            {"specs": {"hf.large.1.30m.linx": {"month": 1}}},
            "specs.hf.large.1.30m.linx: not a Flexus L plan spec; did you mean "
            "'hf.large.1.30m.linux'",
        ),
        (
            {"specs": {"hf.large.1.30m.linux": 7}},
            "specs.hf.large.1.30m.linux: must be a mapping like {month: 7.0, year: 70.0}, got 7",
        ),
        (
            {"specs": {"hf.large.1.30m.linux": {"year": 70}}},
            "specs.hf.large.1.30m.linux.month: is required",
        ),
        (
            {"specs": {"hf.large.1.30m.linux": {"month": "seven"}}},
            "specs.hf.large.1.30m.linux.month: must be a number ≥ 0, got 'seven'",
        ),
        (
            {"specs": {"hf.large.1.30m.linux": {"month": -1}}},
            "specs.hf.large.1.30m.linux.month: must be a number ≥ 0, got -1",
        ),
        (
            {"specs": {"hf.large.1.30m.linux": {"month": True}}},
            "specs.hf.large.1.30m.linux.month: must be a number ≥ 0, got True",
        ),
        (
            {"specs": {"hf.large.1.30m.linux": {"month": 7, "week": 2}}},
            "specs.hf.large.1.30m.linux.week: unknown key; use month (and year)",
        ),
        ({"extras": {"eip": {"month": 1}}}, "extras.eip: unknown extra; use data_disk, backup"),
        (
            {"extras": {"data_disk": {"month": 1}}},
            "extras.data_disk.month: unknown key; use gib_month (and gib_year)",
        ),
    ],
)
def test_every_bad_field_is_named_with_its_rule(change: dict[str, Any], message: str) -> None:
    data = {**GOOD, **change}
    data = {k: v for k, v in data.items() if v is not None}
    with pytest.raises(PriceFileError) as error:
        parse_prices(data, "prices.yaml")
    assert str(error.value).startswith("prices.yaml: ")
    assert message in str(error.value)


def test_all_problems_at_once() -> None:
    with pytest.raises(PriceFileError) as error:
        parse_prices({"currency": "dollars", "specs": {"hf.large.9": {"month": "x"}}})
    text = str(error.value)
    assert "currency: 'dollars'" in text
    assert "specs.hf.large.9: not a Flexus L plan spec" in text


def test_not_a_mapping() -> None:
    with pytest.raises(PriceFileError, match=r"prices\.yaml: must be a mapping with currency"):
        parse_prices(["USD"], "prices.yaml")


def test_loading_yaml_json_and_bad_files(tmp_path: Path) -> None:
    as_yaml = tmp_path / "prices.yaml"
    as_yaml.write_text(yaml.safe_dump(GOOD), encoding="utf-8")
    as_json = tmp_path / "prices.json"
    as_json.write_text('{"currency": "USD", "specs": {"hf.large.1.30m.linux": {"month": 7}}}')
    assert load_prices(as_yaml).specs == parse_prices(GOOD).specs
    assert load_prices(as_json).source == "prices.json"
    broken = tmp_path / "broken.yaml"
    broken.write_text("currency: [USD\n")
    with pytest.raises(PriceFileError, match=r"broken\.yaml: not valid YAML or JSON"):
        load_prices(broken)
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe")
    with pytest.raises(PriceFileError, match=r"binary\.yaml: is not UTF-8 text"):
        load_prices(binary)
    with pytest.raises(PriceFileError, match=r"missing\.yaml: cannot read it"):
        load_prices(tmp_path / "missing.yaml")


def test_the_emulator_prices_are_a_price_file_labelled_made_up() -> None:
    table = parse_prices(price_file(), "emulator")
    assert "made-up" in table.note
    assert table.note == PRICE_NOTE
    # priced with it, a purchase comes to what the emulator charges
    extras = [Extra("evs", 40), Extra("cbr", 20), Extra("hss", None)]
    spec = table.specs["hf.large.2.30m.linux"]
    assert table.data_disk is not None
    assert table.backup is not None
    assert table.host_security is not None
    for unit, num in (("month", 3), ("year", 2)):
        term = (
            spec.for_term(unit, num)
            + 40 * table.data_disk.for_term(unit, num)
            + 20 * table.backup.for_term(unit, num)
            + table.host_security.for_term(unit, num)
        )
        assert term == Decimal(str(price("hf.large.2.30m.linux", extras, unit, num)))


def test_the_example_price_file_is_the_emulators() -> None:
    """``examples/github-actions/prices.yaml`` holds the emulator's made-up prices, and
    says so."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "made-up" in text.split("\n", 1)[0]
    example = load_prices(EXAMPLE)
    assert example == parse_prices(price_file(), "prices.yaml")
