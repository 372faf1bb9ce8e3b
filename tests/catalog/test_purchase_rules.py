"""Every purchase rule: the seed's example passes; each constraint, broken, is reported."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from flexus_pulumi import catalog
from flexus_pulumi.catalog import Problem, check_client_request_id, check_purchase

SEED_EXAMPLE: dict[str, Any] = {
    "instance_name": "test-0620-01",
    "description": "test",
    "plan_spec": "hf.large.1.30m.linux",
    "image_ref": {"image_name": "BT", "image_version": "6.8.35"},
    "region": "ap-southeast-3",
    "charging_mode": "prePaid",
    "period_type": "month",
    "period_num": 1,
    "purchase_quantity": 2,
    "is_auto_renew": True,
    "is_auto_pay": True,
    "extra_resources": [{"type": "evs", "size": 20}, {"type": "cbr", "size": 20}, {"type": "hss"}],
}


def with_(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(SEED_EXAMPLE)
    for key, value in changes.items():
        if value is ...:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def fields(problems: list[Problem]) -> dict[str, str]:
    return {p.field: p.rule for p in problems}


def test_seed_example_is_valid() -> None:
    assert check_purchase(SEED_EXAMPLE) == []


def test_minimal_request_is_valid() -> None:
    body = {
        "instance_name": "a",
        "plan_spec": "hf.large.05.30m.linux",
        "region": "sa-brazil-1",
        "period_type": "year",
        "period_num": "3",
    }
    assert check_purchase(body) == []


def test_all_problems_reported_at_once() -> None:
    body = with_(instance_name="", region="cn-north-4", period_num=0, purchase_quantity=0)
    assert fields(check_purchase(body)) == {
        "instance_name": "required",
        "region": "enum",
        "period_num": "range",
        "purchase_quantity": "range",
    }


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("a" * 128, None),
        ("a" * 129, "length"),
        ("1abc", "pattern"),
        ("_abc", "pattern"),
        ("ab c", "pattern"),
        ("ab.c", "pattern"),
        ("Ab_c-9", None),
        ("名字", "pattern"),
    ],
)
def test_instance_name(name: str, rule: str | None) -> None:
    got = fields(check_purchase(with_(instance_name=name)))
    assert got.get("instance_name") == rule


def test_description_length() -> None:
    assert check_purchase(with_(description="x" * 1024)) == []
    assert fields(check_purchase(with_(description="x" * 1025))) == {"description": "length"}


@pytest.mark.parametrize(
    ("ptype", "num", "expected"),
    [
        ("month", 1, {}),
        ("month", 9, {}),
        ("month", 10, {"period_num": "range"}),
        ("month", 0, {"period_num": "range"}),
        ("year", 3, {}),
        ("year", 4, {"period_num": "range"}),
        ("year", "2", {}),
        ("year", 2.0, {}),
        ("week", 1, {"period_type": "enum"}),
        ("month", "one", {"period_num": "type"}),
        ("month", 1.5, {"period_num": "type"}),
    ],
)
def test_periods(ptype: str, num: Any, expected: dict[str, str]) -> None:
    assert fields(check_purchase(with_(period_type=ptype, period_num=num))) == expected


def test_period_required() -> None:
    got = fields(check_purchase(with_(period_type=..., period_num=...)))
    assert got == {"period_type": "required", "period_num": "required"}


@pytest.mark.parametrize(
    ("qty", "ok"), [(1, True), (200, True), (201, False), (0, False), (-1, False)]
)
def test_quantity(qty: int, ok: bool) -> None:
    assert (check_purchase(with_(purchase_quantity=qty)) == []) is ok


@pytest.mark.parametrize(
    ("extras", "expected"),
    [
        ([{"type": "evs", "size": 10}, {"type": "cbr", "size": 2048}], {}),
        ([{"type": "evs", "size": 9}], {"extra_resources[0].size": "range"}),
        ([{"type": "cbr", "size": 2049}], {"extra_resources[0].size": "range"}),
        ([{"type": "evs"}], {"extra_resources[0].size": "required"}),
        ([{"type": "hss", "size": 10}], {"extra_resources[0].size": "not_allowed"}),
        ([{"type": "nas", "size": 10}], {"extra_resources[0].type": "enum"}),
        (
            [{"type": "evs", "size": 10}, {"type": "evs", "size": 20}],
            {"extra_resources[1].type": "unique"},
        ),
        ("evs", {"extra_resources": "type"}),
    ],
)
def test_extra_resources(extras: Any, expected: dict[str, str]) -> None:
    assert fields(check_purchase(with_(extra_resources=extras))) == expected


def test_extra_resources_seed_table_spelling_accepted() -> None:
    body = with_(extra_resources=...)
    body["ExtraResources"] = [{"type": "evs", "size": 5}]
    assert fields(check_purchase(body)) == {"ExtraResources[0].size": "range"}


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ([{"key": "env", "value": ""}], {}),
        ([{"key": "k" * 32, "value": "v" * 2048}], {}),
        ([{"key": "k" * 33, "value": "v"}], {"tags[0].key": "length"}),
        ([{"key": "", "value": "v"}], {"tags[0].key": "length"}),
        ([{"key": "k", "value": "v" * 2049}], {"tags[0].value": "length"}),
        ([{"key": "k"}], {"tags[0].value": "required"}),
        ([{"key": "k", "value": "a"}, {"key": "k", "value": "b"}], {"tags[1].key": "unique"}),
    ],
)
def test_tags(tags: Any, expected: dict[str, str]) -> None:
    assert fields(check_purchase(with_(tags=tags))) == expected


@pytest.mark.parametrize(
    ("image_ref", "spec", "region", "expected"),
    [
        (
            {"image_name": "GitLab", "image_version": "16.9.3"},
            "hf.large.1.30m.linux",
            "ap-southeast-3",
            {"plan_spec": "image"},
        ),
        (
            {"image_name": "GitLab", "image_version": "16.9.3"},
            "hf.large.4.30m.linux",
            "ap-southeast-3",
            {},
        ),
        (
            {"image_name": "BT", "image_version": "6.8.35"},
            "hf.large.05.30m.linux",
            "ap-southeast-3",
            {"plan_spec": "image"},
        ),
        (
            {"image_name": "BT", "image_version": "9.9"},
            "hf.large.1.30m.linux",
            "ap-southeast-3",
            {"image_ref.image_version": "enum"},
        ),
        (
            {"image_name": "BT"},
            "hf.large.1.30m.linux",
            "ap-southeast-3",
            {"image_ref.image_version": "required"},
        ),
        (
            {"image_name": "Windows"},
            "hf.large.1.30m.linux",
            "ap-southeast-3",
            {"image_ref.image_name": "enum"},
        ),
        (
            {"image_name": "BT", "image_version": "6.8.35"},
            "hf.large.1.30m.byol",
            "ap-southeast-3",
            {"plan_spec": "image"},
        ),
        (
            {"image_name": "Ubuntu", "image_version": "22.04"},
            "hf.large.025.30m.linux",
            "ap-southeast-1",
            {"plan_spec": "image"},
        ),
        (
            {"image_name": "Huawei Cloud EulerOS", "image_version": "2.0"},
            "hf.large.025.30m.linux",
            "ap-southeast-1",
            {},
        ),
        (
            {"image_name": "Huawei Cloud EulerOS", "image_version": "2.0"},
            "hf.large.025.30m.linux",
            "sa-brazil-1",
            {"plan_spec": "region"},
        ),
        (
            {"image_name": "CentOS", "image_version": "7.6"},
            "hf.large.025.30m.linux",
            "ap-southeast-3",
            {},
        ),
        (
            {"image_name": "CentOS", "image_version": "7.9"},
            "hf.large.025.30m.linux",
            "ap-southeast-3",
            {"plan_spec": "image"},
        ),
        (
            {"image_name": "CentOS", "image_version": "7.6"},
            "hf.large.025.30m.linux",
            "tr-west-1",
            {"plan_spec": "region"},
        ),
        (
            {"image_name": "CentOS", "image_version": "8.2"},
            "hf.large.1.30m.linux",
            "tr-west-1",
            {"image_ref.image_version": "region"},
        ),
        (
            {"image_name": "CentOS", "image_version": "7.2"},
            "hf.large.1.30m.linux",
            "me-east-1",
            {"image_ref.image_version": "region"},
        ),
        (
            {"image_name": "CentOS", "image_version": "8.2"},
            "hf.large.1.30m.linux",
            "ap-southeast-2",
            {},
        ),
        (
            {"image_name": "Debian", "image_version": "11.1"},
            "hf.large.025.30m.linux",
            "ap-southeast-1",
            {},
        ),
        (
            {"image_name": "Debian", "image_version": "9.0"},
            "hf.large.025.30m.linux",
            "ap-southeast-1",
            {"plan_spec": "image"},
        ),
        (
            {"image_id": "5b2d2d0b-6c1e-4f7a-9a3c-0e1f2a3b4c5d"},
            "hf.large.1.30m.byol",
            "tr-west-1",
            {},
        ),
        (
            {"image_id": "5b2d2d0b-6c1e-4f7a-9a3c-0e1f2a3b4c5d"},
            "hf.large.025.30m.linux",
            "tr-west-1",
            {},
        ),
        (
            {"image_id": "not-a-uuid"},
            "hf.large.1.30m.linux",
            "tr-west-1",
            {"image_ref.image_id": "pattern"},
        ),
        (
            {"image_id": "5b2d2d0b-6c1e-4f7a-9a3c-0e1f2a3b4c5d", "image_name": "BT"},
            "hf.large.1.30m.linux",
            "tr-west-1",
            {"image_ref.image_id": "exclusive"},
        ),
        ({}, "hf.large.1.30m.linux", "tr-west-1", {"image_ref.image_name": "required"}),
        (
            {"image_name": "BT", "image_version": "6.8.35"},
            "hf.huge.1",
            "ap-southeast-3",
            {"plan_spec": "enum"},
        ),
    ],
)
def test_image_and_spec(
    image_ref: dict[str, str], spec: str, region: str, expected: dict[str, str]
) -> None:
    assert (
        fields(check_purchase(with_(image_ref=image_ref, plan_spec=spec, region=region)))
        == expected
    )


def test_windows_spec_without_image_needs_private_image() -> None:
    got = fields(check_purchase(with_(image_ref=..., plan_spec="hf.large.2.30m.byol")))
    assert got == {"plan_spec": "image"}


def test_messages_suggest_valid_values() -> None:
    [problem] = check_purchase(with_(image_ref={"image_name": "GitLab", "image_version": "16.9.3"}))
    assert "hf.large.4.30m.linux" in problem.message
    [problem] = check_purchase(with_(region="ap-southeast-33"))
    assert "did you mean 'ap-southeast-3'?" in problem.message
    [problem] = check_purchase(with_(image_ref={"image_name": "wordpress", "image_version": "6.4"}))
    assert "'WordPress'" in problem.message


def test_charging_mode_and_booleans() -> None:
    got = fields(check_purchase(with_(charging_mode="postPaid", is_auto_pay="yes")))
    assert got == {"charging_mode": "enum", "is_auto_pay": "type"}


@pytest.mark.parametrize(
    ("value", "ok"),
    [("x" * 36, True), ("x" * 128, True), ("x" * 35, False), ("x" * 129, False), ("", False)],
)
def test_client_request_id(value: str, ok: bool) -> None:
    assert (check_client_request_id(value) == []) is ok


SIX_REGIONS = (
    "ap-southeast-1 (Hong Kong), ap-southeast-3 (Singapore), ap-southeast-2 (Bangkok), "
    "tr-west-1 (Istanbul), sa-brazil-1 (Sao Paulo), me-east-1 (Riyadh)"
)


@pytest.mark.parametrize(
    ("region", "hint"),
    [
        ("eu-west-0", ""),  # a Huawei Cloud region, not a typo of one of the six
        ("cn-north-4", ""),
        ("ap-southeast-4", ""),  # as close to three of them: no guess
        ("ap-southeast-33", "did you mean 'ap-southeast-3'? "),
        ("AP-SOUTHEAST-1", "did you mean 'ap-southeast-1'? "),
    ],
)
def test_a_region_that_does_not_sell_flexus_l_names_all_six(region: str, hint: str) -> None:
    [problem] = catalog.check_region(region)
    assert problem.field == "region"
    assert problem.message == (
        f"{region!r} does not sell Flexus L; {hint}the regions that do: {SIX_REGIONS}"
    )


def test_a_missing_region_names_all_six() -> None:
    [problem] = catalog.check_region("")
    assert problem.message == f"is required; the regions that sell Flexus L: {SIX_REGIONS}"
