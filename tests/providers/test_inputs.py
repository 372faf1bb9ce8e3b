"""Instance inputs: defaults, coercion, every rule by input name, the diff policy — from the
one schema — and a check that never crashes, whatever it is given."""

from __future__ import annotations

from typing import Any

import pytest

from flexus_pulumi.common import UNKNOWN
from flexus_pulumi.engine.member import Member
from flexus_pulumi.engine.member_set import purchase_request
from flexus_pulumi.providers.purchase import diff_purchase_resource
from flexus_pulumi.schema import GROUP_SCHEMA, INSTANCE_SCHEMA
from flexus_pulumi.schema.instance_rules import check_member
from flexus_pulumi.schema.specs import PurchaseSpec

VALID: dict[str, Any] = {
    "name": "web",
    "plan_spec": "hf.large.1.30m.linux",
    "image": {"name": "WordPress", "version": "6.4"},
    "region": "ap-southeast-3",
}
WINDOWS_IMAGE = {"id": "2b9a2d4c-5b5f-4c1e-9d0a-6a5b1c2d3e4f"}  # a private Windows image


def normalize(
    news: dict[str, Any], *, group: bool = False, default_region: str | None = None
) -> tuple[dict[str, Any], list[Any]]:
    checked = check_member(news, group=group, default_region=default_region)
    return checked.inputs, checked.problems


def problems_of(news: dict[str, Any], **kw: Any) -> dict[str, str]:
    return {p.field: p.rule for p in normalize(news, **kw)[1]}


def test_defaults_are_filled_and_documented() -> None:
    out, problems = normalize(VALID)
    assert problems == []
    assert out["period_type"] == "month"
    assert out["period_num"] == 1
    assert out["auto_pay"] is True
    assert out["auto_renew"] is False
    assert out["power_state"] == "running"
    assert out["tags"] == {}
    assert all(f.doc for f in (*INSTANCE_SCHEMA.fields, *GROUP_SCHEMA.fields))


def test_region_defaults_to_provider_region() -> None:
    news = {k: v for k, v in VALID.items() if k != "region"}
    out, problems = normalize(news, default_region="tr-west-1")
    assert problems == []
    assert out["region"] == "tr-west-1"
    assert problems_of(news) == {"region": "required"}


def test_wire_floats_become_ints() -> None:
    out, problems = normalize(
        {**VALID, "period_num": 3.0, "data_disk_size": 20.0, "order_timeout": 60.0}
    )
    assert problems == []
    assert (out["period_num"], out["data_disk_size"], out["order_timeout"]) == (3, 20, 60)
    assert all(type(out[k]) is int for k in ("period_num", "data_disk_size", "order_timeout"))


def test_every_problem_at_once_named_by_input() -> None:
    news = {
        **VALID,
        "name": "9web",
        "image": {"name": "GitLab", "version": "16.9.3"},
        "period_num": 12,
        "data_disk_size": 5,
        "backup_size": 4096,
        "tags": {"k" * 40: "v"},
        "hostname": "bad..host",
        "power_state": "on",
        "admin_password": "short",
        "colour": "blue",
    }
    assert problems_of(news) == {
        "name": "pattern",
        "plan_spec": "image",
        "period_num": "range",
        "data_disk_size": "range",
        "backup_size": "range",
        "tags." + "k" * 40: "length",
        "hostname": "pattern",
        "power_state": "enum",
        "admin_password": "complexity",
        "colour": "unknown",
    }


def test_image_version_problem_named_image_version() -> None:
    news = {**VALID, "image": {"name": "CentOS", "version": "8.2"}, "region": "tr-west-1"}
    assert problems_of(news) == {"image.version": "region"}
    assert problems_of({**VALID, "image": {"name": "Centos", "version": "7.9"}}) == {
        "image.name": "enum"
    }


def test_no_input_is_reported_twice_and_tags_are_named() -> None:
    _, problems = normalize(
        {**VALID, "period_num": "two", "data_disk_size": 10.5, "tags": {"ok": "x" * 3000}}
    )
    assert [(p.field, p.message) for p in problems] == [
        ("period_num", "'two' is not a whole number"),
        ("data_disk_size", "10.5 is not a whole number"),
        ("tags.ok", "value is 3000 characters long; 0-2048 are allowed"),
    ]


def test_image_by_id_and_name_at_once_is_rejected() -> None:
    image = {"name": "BT", "version": "6.8.35", "id": "5b2d2d0b-6c1e-4f7a-9a3c-0e1f2a3b4c5d"}
    assert problems_of({**VALID, "image": image}) == {"image": "exclusive"}


def test_image_required_and_private_image() -> None:
    assert problems_of({k: v for k, v in VALID.items() if k != "image"}) == {"image": "required"}
    private = {**VALID, "image": {"id": "5b2d2d0b-6c1e-4f7a-9a3c-0e1f2a3b4c5d"}}
    assert problems_of({**private, "plan_spec": "hf.large.2.30m.byol"}) == {}


def test_a_version_given_as_a_number_is_the_catalogs_version() -> None:
    out, problems = normalize({**VALID, "image": {"name": "Ubuntu", "version": 22.04}})
    assert problems == []
    assert out["image"] == {"name": "Ubuntu", "version": "22.04"}


def test_unknown_values_are_not_checked() -> None:
    assert problems_of({**VALID, "plan_spec": UNKNOWN, "hostname": UNKNOWN}) == {}


def test_group_count_and_its_limit() -> None:
    assert problems_of({**VALID, "count": 350.0}, group=True) == {}
    assert problems_of({**VALID, "count": 0}, group=True) == {"count": "range"}
    assert problems_of(VALID, group=True) == {"count": "required"}
    assert problems_of({**VALID, "count": 3}) == {"count": "unknown"}
    assert problems_of({**VALID, "count": 1_000_000}, group=True) == {"count": "limit"}
    assert problems_of({**VALID, "count": 5000, "max_count": 5000}, group=True) == {}
    _, problems = normalize({**VALID, "count": 1001}, group=True)
    assert "raise max_count to 1001" in problems[0].message
    assert problems_of({**VALID, "count": 2, "adopt_instance_id": "a" * 24}, group=True) == {
        "adopt_instance_id": "unknown"
    }


def test_reserved_tag_keys() -> None:
    assert problems_of({**VALID, "tags": {"flexus-pulumi-x": "y"}}) == {
        "tags.flexus-pulumi-x": "reserved"
    }


BAD_VALUES: list[Any] = [["a"], {"k": "v"}, 3.5, True, None, "", "web\n", [{"x": 1}]]


@pytest.mark.parametrize("key", [f.name for f in GROUP_SCHEMA.fields if f.name != "count"])
@pytest.mark.parametrize("value", BAD_VALUES, ids=repr)
def test_check_never_crashes_and_names_the_input(key: str, value: Any) -> None:
    """Any value of any type, for any input: a list of problems, never an exception; a
    problem of this input is reported under its own name."""
    _, problems = normalize({**VALID, "count": 2, key: value}, group=True)
    assert all(p.field.split(".")[0] in (key, "image", "plan_spec") for p in problems)


@pytest.mark.parametrize("key", ["plan_spec", "region", "period_type"])
@pytest.mark.parametrize("value", [["hf.large.1.30m.linux"], {"a": 1}])
def test_unhashable_values_are_a_type_problem(key: str, value: Any) -> None:
    assert problems_of({**VALID, key: value}) == {key: "type"}


@pytest.mark.parametrize(
    ("key", "value"),
    [("name", "web\n"), ("server_name", "web\n"), ("hostname", "web\n"), ("name", "web-\nx")],
)
def test_patterns_match_the_whole_value(key: str, value: str) -> None:
    assert problems_of({**VALID, key: value}) == {key: "pattern"}


@pytest.mark.parametrize("password", ["Xmin-1234ab", "Fl3xus.ISTRat", "trat0R-Secret"])
def test_password_with_three_letters_of_administrator_is_refused_on_windows(password: str) -> None:
    windows = {**VALID, "plan_spec": "hf.large.1.30m.byol", "image": WINDOWS_IMAGE}
    assert problems_of({**windows, "admin_password": password}) == {"admin_password": "forbidden"}
    assert problems_of({**VALID, "admin_password": password}) == {}  # Linux: root


def test_purchase_request_is_built_in_the_cloud_layer() -> None:
    out, _ = normalize(
        {
            **VALID,
            "data_disk_size": 20,
            "backup_size": 30,
            "host_security": True,
            "tags": {"b": "2", "a": "1"},
        }
    )
    body = purchase_request(PurchaseSpec.from_inputs(out), 5, [("flexus-pulumi", "k.d")]).to_wire()
    assert body["image_ref"] == {"image_name": "WordPress", "image_version": "6.4"}
    assert body["purchase_quantity"] == 5
    assert body["is_auto_pay"] is True
    assert body["extra_resources"] == [
        {"type": "evs", "size": 20},
        {"type": "cbr", "size": 30},
        {"type": "hss"},
    ]
    assert body["tags"] == [
        {"key": "a", "value": "1"},
        {"key": "b", "value": "2"},
        {"key": "flexus-pulumi", "value": "k.d"},
    ]


def test_the_purchase_digest_changes_exactly_with_what_is_bought() -> None:
    base = PurchaseSpec.from_inputs(normalize(VALID)[0])
    same = PurchaseSpec.from_inputs(
        normalize({**VALID, "name": "other", "period_num": 3, "tags": {"a": "b"}})[0]
    )
    assert base.digest() == same.digest()
    for change in (
        {"plan_spec": "hf.large.2.30m.linux"},
        {"image": {"name": "Ubuntu", "version": "22.04"}},
        {"region": "ap-southeast-1"},
        {"data_disk_size": 10},
        {"host_security": True},
        {"replace_trigger": "2"},
    ):
        assert PurchaseSpec.from_inputs(normalize({**VALID, **change})[0]).digest() != base.digest()


@pytest.mark.parametrize(
    ("change", "changed", "replaces"),
    [
        ({}, (), ()),
        ({"plan_spec": "hf.large.2.30m.linux"}, ("plan_spec",), ("plan_spec",)),
        ({"image": {"name": "Odoo", "version": "17.0"}}, ("image",), ("image",)),
        ({"data_disk_size": 20}, ("data_disk_size",), ("data_disk_size",)),
        ({"host_security": True}, ("host_security",), ("host_security",)),
        ({"hostname": "web-2"}, ("hostname",), ()),
        ({"name": "web2"}, (), ()),
        ({"server_name": "web2"}, ("server_name",), ()),
        ({"power_state": "stopped"}, ("power_state",), ()),
        ({"tags": {"team": "a"}}, (), ()),
        ({"period_num": 2, "auto_renew": True}, (), ()),
        ({"plan_spec": UNKNOWN}, ("plan_spec",), ("plan_spec",)),
    ],
)
def test_diff_policy(
    change: dict[str, Any], changed: tuple[str, ...], replaces: tuple[str, ...]
) -> None:
    old, _ = normalize(VALID)
    new, _ = normalize({**VALID, **change})
    got = diff_purchase_resource(INSTANCE_SCHEMA, old, new, [], numbered=False)
    assert (got.changed, got.replaces) == (changed, replaces)


def test_diff_treats_wire_floats_as_equal() -> None:
    old, _ = normalize({**VALID, "data_disk_size": 20})
    got = diff_purchase_resource(
        INSTANCE_SCHEMA, {**old, "data_disk_size": 20.0}, old, [], numbered=False
    )
    assert got.changed == ()


def test_diff_secret_by_fingerprint_and_drift_of_members() -> None:
    old, _ = normalize(VALID)
    new, _ = normalize({**VALID, "admin_password": "Fl3xus-Passw0rd"})
    got = diff_purchase_resource(INSTANCE_SCHEMA, old, new, [], numbered=False)
    assert got.changed == ("admin_password",)
    stopped = Member("a" * 24, status="SHUTOFF", server_name="web")
    got = diff_purchase_resource(INSTANCE_SCHEMA, old, old, [stopped], numbered=False)
    assert got.drifted == ("a" * 24,)
    assert got.result().changes is True


def test_a_run_of_administrator_is_refused_on_windows_plans_only() -> None:
    linux = {**VALID, "admin_password": "Sadmin-2024"}
    assert problems_of(linux) == {}
    windows = {**linux, "plan_spec": "hf.large.1.30m.byol", "image": WINDOWS_IMAGE}
    assert problems_of(windows) == {"admin_password": "forbidden"}
    assert problems_of({**windows, "admin_password": "Fl3xus-Passw0rd"}) == {}
