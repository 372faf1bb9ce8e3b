"""ECS and BSS rules used after purchase."""

from __future__ import annotations

from typing import Any

import pytest

from flexus_pulumi import catalog


@pytest.mark.parametrize(
    ("hostname", "ok"),
    [
        ("web-1", True),
        ("web-1.example.com", True),
        ("a" * 64, True),
        ("a" * 65, False),
        (".web", False),
        ("web.", False),
        ("web..x", False),
        ("-web", False),
        ("web-", False),
        ("we--b", False),
        ("web_1", False),
        ("", False),
    ],
)
def test_hostname(hostname: str, ok: bool) -> None:
    assert (catalog.check_hostname(hostname) == []) is ok


@pytest.mark.parametrize(
    ("password", "rules"),
    [
        ("Passw0rd!x", set()),
        ("password@123", set()),
        ("Ab1!", {"length"}),
        ("A" * 27 + "b1", {"length"}),
        ("abcdefgh1", {"complexity"}),
        ("Rootroot1!", {"forbidden"}),
        ("Xtoor12345", {"forbidden"}),
        ("Administrator1!", {"forbidden"}),
        ("Passw0rd#", {"pattern"}),
    ],
)
def test_password(password: str, rules: set[str]) -> None:
    problems = catalog.check_password(password)
    assert {p.rule for p in problems} == rules
    assert all(password not in p.message for p in problems)


def test_server_name_and_description() -> None:
    assert catalog.check_server_name("hcss_ecs_ff60") == []
    assert catalog.check_server_name("web 1")[0].rule == "pattern"
    assert catalog.check_server_name("x" * 65)[0].rule == "length"
    assert catalog.check_server_description("x" * 85) == []
    assert catalog.check_server_description("x" * 86)[0].rule == "length"
    assert catalog.check_server_description("<b>")[0].rule == "pattern"


def test_server_ids_batch_limit() -> None:
    assert catalog.check_server_ids([{"id": "a"}] * 1000) == []
    assert catalog.check_server_ids([{"id": "a"}] * 1001)[0].rule == "range"
    assert catalog.check_server_ids([])[0].rule == "required"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"resource_ids": ["i"], "period_type": 2, "period_num": 1}, set()),
        ({"resource_ids": ["i"], "period_type": 3, "period_num": 3, "is_auto_pay": 1}, set()),
        ({"resource_ids": ["i"] * 11, "period_type": 2, "period_num": 1}, {"resource_ids"}),
        ({"resource_ids": ["i"], "period_type": 1, "period_num": 1}, {"period_type"}),
        ({"resource_ids": ["i"], "period_type": 3, "period_num": 4}, {"period_num"}),
        (
            {"resource_ids": ["i"], "period_type": 2, "period_num": 1, "is_auto_pay": 2},
            {"is_auto_pay"},
        ),
    ],
)
def test_renew(body: dict[str, Any], fields: set[str]) -> None:
    assert {p.field for p in catalog.check_renew(body)} == fields


def test_unsubscribe_and_traffic_query() -> None:
    assert catalog.check_unsubscribe({"resource_ids": ["i"], "unsubscribe_type": 1}) == []
    assert catalog.check_unsubscribe({"resource_ids": ["i"], "unsubscribe_type": 3})[0].field == (
        "unsubscribe_type"
    )
    assert catalog.check_free_resource_query({"free_resource_ids": ["x"] * 100}) == []
    assert catalog.check_free_resource_query({"free_resource_ids": ["x"] * 101})[0].rule == "range"
    assert catalog.check_free_resource_query({"free_resource_ids": ["x" * 65]})[0].rule == "length"


@pytest.mark.parametrize("password", ["Sadmin-2024", "Mini-Str0ng", "Toronto-77"])
def test_runs_of_administrator_bind_windows_images_only(password: str) -> None:
    """ECS's password requirements: "Cannot contain more than two consecutive characters in
    the same sequence as they appear in the username. (This requirement applies only to
    Windows ECSs.)" — Linux (root) passwords may contain ``adm``, ``min``, ``tor``…"""
    assert catalog.check_password(password, os_family="linux") == []
    assert catalog.check_password(password) == []  # the OS is not known: not applied
    [problem] = catalog.check_password(password, os_family="windows")
    assert (problem.field, problem.rule) == ("admin_password", "forbidden")
    assert "consecutive characters of 'Administrator'" in problem.message
    assert "Windows" in problem.message
    assert password not in problem.message
