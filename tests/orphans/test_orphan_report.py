"""The orphan report's parts: reading states (both formats), and judging instances."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from flexus_pulumi.cloud import ConfigResource
from flexus_pulumi.orphans import (
    Money,
    ReleaseRefused,
    StateError,
    chosen,
    find_orphans,
    load_state,
    render_text,
)

KEY_WEB = "a" * 20
KEY_DB = "b" * 20
SECRET = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "x"}
NOW = dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc)


def _id(n: int) -> str:
    return f"{n:024x}"


def _instance_resource(
    stack: str, name: str, key: str, instance_id: str, **extra: Any
) -> dict[str, Any]:
    project, short = stack.split("/")
    return {
        "urn": f"urn:pulumi:{short}::{project}::pulumi-python:dynamic/flexus:Instance::{name}",
        "custom": True,
        "id": instance_id,
        "type": "pulumi-python:dynamic/flexus:Instance",
        "inputs": {"__adoption_key": key, "__stack": stack, "__provider": SECRET, **extra},
        "outputs": {"instance_id": instance_id, "__adoption_key": key},
    }


def _export(resources: list[dict[str, Any]], pending: list[dict[str, Any]] | None = None) -> str:
    deployment = {"manifest": {}, "resources": resources}
    if pending:
        deployment["pending_operations"] = pending
    return json.dumps({"version": 3, "deployment": deployment})


def _cloud(n: int, *, stack: str | None, key: str | None = None, **extra: Any) -> ConfigResource:
    tags = {}
    if key:
        tags["flexus-pulumi"] = f"{key}.digest"
    if stack:
        tags["flexus-pulumi-stack"] = stack
    return ConfigResource.model_validate(
        {
            "id": _id(n),
            "name": f"i{n}",
            "region_id": "ap-southeast-3",
            "created": "2026-11-20T00:00:00.000Z",
            "state": "Normal",
            "tags": tags,
            "properties": {
                "metadata": {
                    "resource_spec_code": "hf.large.1.30m.linux",
                    "expire_time": "2026-12-20T00:00:00Z",
                    "is_auto_renew": "false",
                    "order_id": f"CS{n:015d}",
                }
            },
            **extra,
        }
    )


def test_a_stack_export_with_groups_pending_creates_and_reads(tmp_path: Path) -> None:
    group = {
        "urn": "urn:pulumi:prod::shop::flexus:index:Fleet$pulumi-python:dynamic/flexus:InstanceGroup::web",
        "custom": True,
        "id": "group-x",
        "type": "pulumi-python:dynamic/flexus:InstanceGroup",
        "inputs": {"__adoption_key": KEY_DB},
        "outputs": {
            "instance_ids": [_id(2), _id(3)],
            "instances": [{"instance_id": _id(3)}, {"instance_id": _id(4)}],
        },
    }
    read = {**_instance_resource("shop/prod", "seen", KEY_WEB, _id(9)), "external": True}
    pending = {
        "resource": _instance_resource("shop/prod", "late", "c" * 20, ""),
        "type": "creating",
    }
    path = tmp_path / "prod.json"
    path.write_text(
        _export([_instance_resource("shop/prod", "web", KEY_WEB, _id(1)), group, read], [pending])
    )
    state = load_state(path)
    assert state.stack == "shop/prod"
    assert sorted(state.held) == [_id(1), _id(2), _id(3), _id(4)]  # the read one is not held
    assert state.held[_id(3)][0].name == "web"
    assert set(state.resources) == {KEY_WEB, KEY_DB}
    assert state.pending["c" * 20].name == "late"


def test_the_offline_driver_state_and_an_empty_state(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"version": 2, "stack": "a", "project": "shop", "resources": []}))
    assert load_state(path).stack == "shop/a"
    empty = tmp_path / "empty.json"
    empty.write_text(_export([]))
    with pytest.raises(StateError, match="give --stack PROJECT/STACK"):
        load_state(empty)
    assert load_state(empty, stack="shop/prod").stack == "shop/prod"
    for text, message in (("{", "not JSON"), ("[]", "not a stack state"), ("{}", "neither")):
        with pytest.raises(StateError, match=message):
            load_state("x.json", text)
    with pytest.raises(StateError, match="cannot read it"):
        load_state(tmp_path / "missing.json")


def test_each_instance_is_judged(tmp_path: Path) -> None:
    prod = load_state(
        "prod.json",
        _export(
            [
                _instance_resource("shop/prod", "web", KEY_WEB, _id(1)),
                _instance_resource(
                    "shop/prod", "adopted", "d" * 20, _id(6), adopt_instance_id=_id(6)
                ),
            ],
            [
                {
                    "resource": _instance_resource("shop/prod", "late", "c" * 20, ""),
                    "type": "creating",
                }
            ],
        ),
    )
    dev = load_state(
        "dev.json",
        _export(
            [_instance_resource("shop/dev", "also", "e" * 20, _id(6), adopt_instance_id=_id(6))]
        ),
    )
    instances = [
        _cloud(1, stack="shop/prod", key=KEY_WEB),  # held
        _cloud(2, stack="shop/prod", key=KEY_WEB),  # same resource, another purchase
        _cloud(3, stack="shop/prod", key="c" * 20),  # its create was interrupted
        _cloud(4, stack="shop/prod", key="f" * 20),  # its resource is gone
        _cloud(5, stack=None),  # bought in the console
        _cloud(6, stack=None),  # adopted by both stacks
        _cloud(7, stack="shop/staging", key="1" * 20),  # another stack's
        _cloud(8, stack="shop/prod", key="f" * 20, state="Deleted"),
    ]
    prices = {_id(2): Money(7.0, "USD"), _id(3): Money(3.5, "USD"), _id(6): Money(1.25, "USD")}
    report = find_orphans(instances, [prod, dev], monthly=lambda i: prices.get(i.id), now=NOW)
    kinds = {f.instance_id: f.kind for f in report.findings}
    assert kinds == {
        _id(2): "orphan",
        _id(3): "orphan",
        _id(4): "orphan",
        _id(6): "held-twice",
        _id(5): "untagged",
    }
    why = {f.instance_id: f.reason for f in report.findings}
    assert "bought for web, which now holds other instances" in why[_id(2)]
    assert "pulumi refresh --clear-pending-creates" in why[_id(3)]
    assert "retain_on_delete" in why[_id(4)]
    assert "adopted of shop/prod and also of shop/dev" in why[_id(6)]
    assert report.other_stacks == {"shop/staging": 1}
    assert report.checked == 7
    assert report.monthly_totals() == {"USD": 7.0 + 3.5 + 1.25}
    finding = report.findings[0]
    assert finding.age_days == pytest.approx(10)
    assert finding.auto_renew is False
    assert finding.expire_time == "2026-12-20T00:00:00Z"
    data = report.as_json()
    assert data["monthly_total"] == {"USD": 11.75}
    assert [f["kind"] for f in data["findings"]] == ["orphan"] * 3 + ["held-twice", "untagged"]
    text = render_text(report)
    assert "3 orphans — bought by shop/prod, shop/dev" in text
    assert "1 instance held twice" in text and "1 untagged instance" in text
    assert "These 4 instances commit 11.75 USD per month (1 of unknown price)." in text
    assert "10 days ago" in text and "no auto-renew" in text


def test_only_listed_instances_can_be_released() -> None:
    state = load_state(
        "prod.json", _export([_instance_resource("shop/prod", "web", KEY_WEB, _id(1))])
    )
    report = find_orphans(
        [_cloud(1, stack="shop/prod", key=KEY_WEB), _cloud(2, stack=None)], [state]
    )
    assert [f.instance_id for f in chosen(report, [_id(2), _id(2)])] == [_id(2)]
    with pytest.raises(
        ReleaseRefused, match=f"{_id(1)}: not among the instances this report lists"
    ):
        chosen(report, [_id(1)])
