"""Provider inputs: defaults, coercion, every rule by property name, and the diff policy."""

from __future__ import annotations

from typing import Any

import pytest

from flexus_pulumi.providers.inputs import (
    PROPERTIES,
    UNKNOWN,
    diff_inputs,
    normalize,
    purchase_body,
)

VALID: dict[str, Any] = {
    "name": "web",
    "plan_spec": "hf.large.1.30m.linux",
    "image": {"name": "WordPress", "version": "6.4"},
    "region": "ap-southeast-3",
}


def problems_of(news: dict[str, Any], **kw: Any) -> dict[str, str]:
    _, problems = normalize(news, default_region=kw.pop("default_region", None), **kw)
    return {p.field: p.rule for p in problems}


def test_defaults_are_filled_and_documented() -> None:
    out, problems = normalize(VALID, default_region=None)
    assert problems == []
    assert out["period_type"] == "month"
    assert out["period_num"] == 1
    assert out["auto_pay"] is True
    assert out["auto_renew"] is False
    assert out["power_state"] == "running"
    assert out["tags"] == {}
    assert all(p.doc for p in PROPERTIES.values())


def test_region_defaults_to_provider_region() -> None:
    news = {k: v for k, v in VALID.items() if k != "region"}
    out, problems = normalize(news, default_region="tr-west-1")
    assert problems == []
    assert out["region"] == "tr-west-1"
    assert problems_of(news) == {"region": "required"}


def test_wire_floats_become_ints() -> None:
    out, problems = normalize(
        {**VALID, "period_num": 3.0, "data_disk_size": 20.0, "order_timeout": 60.0},
        default_region=None,
    )
    assert problems == []
    assert (out["period_num"], out["data_disk_size"], out["order_timeout"]) == (3, 20, 60)
    assert all(type(out[k]) is int for k in ("period_num", "data_disk_size", "order_timeout"))


def test_every_problem_at_once_named_by_property() -> None:
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


def test_no_property_is_reported_twice_and_tags_are_named() -> None:
    _, problems = normalize(
        {**VALID, "period_num": "two", "data_disk_size": 10.5, "tags": {"ok": "x" * 3000}},
        default_region=None,
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


def test_unknown_values_are_not_checked() -> None:
    assert problems_of({**VALID, "plan_spec": UNKNOWN, "hostname": UNKNOWN}) == {}


def test_group_count() -> None:
    assert problems_of({**VALID, "count": 350.0}, group=True) == {}
    assert problems_of({**VALID, "count": 0}, group=True) == {"count": "range"}
    assert problems_of(VALID, group=True) == {"count": "required"}
    assert problems_of({**VALID, "count": 3}) == {"count": "unknown"}


def test_reserved_tag_keys() -> None:
    got = problems_of({**VALID, "tags": {"flexus-key": "x"}}, reserved_tag_keys=("flexus-key",))
    assert got == {"tags.flexus-key": "reserved"}


def test_purchase_body_is_the_wire_shape() -> None:
    out, _ = normalize(
        {
            **VALID,
            "data_disk_size": 20,
            "backup_size": 30,
            "host_security": True,
            "tags": {"b": "2", "a": "1"},
        },
        default_region=None,
    )
    body = purchase_body(out, quantity=5)
    assert body["image_ref"] == {"image_name": "WordPress", "image_version": "6.4"}
    assert body["purchase_quantity"] == 5
    assert body["is_auto_pay"] is True
    assert body["extra_resources"] == [
        {"type": "evs", "size": 20},
        {"type": "cbr", "size": 30},
        {"type": "hss"},
    ]
    assert body["tags"] == [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}]


@pytest.mark.parametrize(
    ("change", "changed", "replaces", "inert"),
    [
        ({}, (), (), ()),
        ({"plan_spec": "hf.large.2.30m.linux"}, ("plan_spec",), ("plan_spec",), ()),
        ({"image": {"name": "Odoo", "version": "17.0"}}, ("image",), ("image",), ()),
        ({"data_disk_size": 20}, ("data_disk_size",), ("data_disk_size",), ()),
        ({"host_security": True}, ("host_security",), ("host_security",), ()),
        ({"hostname": "web-2"}, ("hostname",), (), ()),
        ({"name": "web2"}, (), (), ("name",)),
        ({"server_name": "web2"}, ("server_name",), (), ()),
        ({"power_state": "stopped"}, ("power_state",), (), ()),
        ({"tags": {"team": "a"}}, (), (), ("tags",)),
        ({"period_num": 2, "auto_renew": True}, (), (), ("period_num", "auto_renew")),
        ({"plan_spec": UNKNOWN}, ("plan_spec",), ("plan_spec",), ()),
    ],
)
def test_diff_policy(
    change: dict[str, Any],
    changed: tuple[str, ...],
    replaces: tuple[str, ...],
    inert: tuple[str, ...],
) -> None:
    old, _ = normalize(VALID, default_region=None)
    new, _ = normalize({**VALID, **change}, default_region=None)
    got = diff_inputs(old, new)
    assert (got.changed, got.replaces, got.inert) == (changed, replaces, inert)


def test_diff_treats_wire_floats_as_equal() -> None:
    old, _ = normalize({**VALID, "data_disk_size": 20}, default_region=None)
    assert diff_inputs({**old, "data_disk_size": 20.0}, old).changed == ()


def test_diff_secret_by_fingerprint() -> None:
    old, _ = normalize(VALID, default_region=None)
    got = diff_inputs(old, old, secret_matches={"admin_password": False})
    assert got.changed == ("admin_password",)
