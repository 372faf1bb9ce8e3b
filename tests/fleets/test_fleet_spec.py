"""Fleet specs: merging defaults, and every problem reported at once with its path."""

from __future__ import annotations

from typing import Any

import pytest

from flexus_pulumi import FleetSpec, FleetSpecError, MemberDefaults, members_table
from flexus_pulumi.components.fleet_spec import parse_fleet_spec
from flexus_pulumi.schema import INSTANCE_SCHEMA

REGION = "ap-southeast-3"
DEFAULTS: dict[str, Any] = {
    "region": REGION,
    "plan_spec": "hf.large.1.30m.linux",
    "image": {"name": "WordPress", "version": "6.4"},
    "tags": {"team": "web"},
}


def _problems(data: Any, **kwargs: Any) -> dict[str, str]:
    with pytest.raises(FleetSpecError) as caught:
        parse_fleet_spec(data, **kwargs)
    return {p.path: p.message for p in caught.value.problems}


def test_defaults_cover_every_instance_input_but_the_name() -> None:
    assert set(MemberDefaults.model_fields) == set(INSTANCE_SCHEMA.names) - {
        "name",
        "adopt_instance_id",
        "adopt_from_stack",
    }


def test_group_fields_override_defaults_and_tags_merge() -> None:
    spec = parse_fleet_spec(
        {
            "defaults": {**DEFAULTS, "auto_renew": True, "period_num": 3},
            "groups": {
                "web": {"count": 3, "tags": {"tier": "front", "team": "edge"}},
                "db": {
                    "count": 2,
                    "kind": "servers",
                    "name": "database",
                    "plan_spec": "hf.large.2.30m.linux",
                    "auto_renew": False,
                },
            },
        }
    )
    web = spec.inputs_of("web")
    assert web == {
        **DEFAULTS,
        "auto_renew": True,
        "period_num": 3,
        "tags": {"team": "edge", "tier": "front"},
        "name": "web",
    }
    db = spec.inputs_of("db")
    assert db["name"] == "database"
    assert db["plan_spec"] == "hf.large.2.30m.linux"
    assert db["auto_renew"] is False
    assert db["tags"] == {"team": "web"}
    assert spec.groups["db"].kind == "servers"
    assert "count" not in db and "kind" not in db


def test_config_strings_are_coerced() -> None:
    # `pulumi config set --path` may store numbers and booleans as strings
    spec = parse_fleet_spec(
        {
            "defaults": {**DEFAULTS, "period_num": "2", "auto_renew": "true"},
            "groups": {"web": {"count": "4"}},
        }
    )
    assert spec.groups["web"].count == 4
    assert spec.inputs_of("web")["period_num"] == 2
    assert spec.inputs_of("web")["auto_renew"] is True


def test_every_problem_is_reported_at_once_with_its_path() -> None:
    problems = _problems(
        {
            "defaults": {**DEFAULTS, "period_num": 12, "colour": "blue"},
            "groups": {
                "web": {"count": 3, "image": {"name": "WordPress", "version": "9.9"}},
                "db": {"count": 0, "kind": "vm"},
                "cache": {"count": 2, "plan_spec": "nope", "data_disk_size": 5},
                "api": {
                    "count": 12,
                    "server_name": "n" * 62,
                    "tags": {"flexus-pulumi": "x"},
                },
                "9lives": {"count": 1},
                "jobs": {"count": 2, "kind": "servers", "remove_members": ["x"]},
            },
            "extra": 1,
        }
    )
    assert set(problems) == {
        "extra",
        "defaults.colour",
        "defaults.period_num",
        "groups.web.image.version",
        "groups.db.count",
        "groups.db.kind",
        "groups.cache.plan_spec",
        "groups.cache.data_disk_size",
        "groups.api.server_name",
        "groups.api.tags.flexus-pulumi",
        "groups.9lives.name",
        "groups.jobs.remove_members",
    }
    assert "9.9" in problems["groups.web.image.version"]
    assert "6.4" in problems["groups.web.image.version"]  # names the valid version
    assert "1-9" in problems["defaults.period_num"]  # reported once, under defaults
    assert "-12" in problems["groups.api.server_name"]  # the longest member name
    assert "group's key" in problems["groups.9lives.name"]


def test_the_error_message_lists_every_path() -> None:
    with pytest.raises(FleetSpecError) as caught:
        parse_fleet_spec({"groups": {"web": {"count": 1}}})
    text = str(caught.value)
    for path in ("groups.web.plan_spec", "groups.web.image", "groups.web.region"):
        assert path in text


def test_region_from_the_provider_config() -> None:
    spec = {"defaults": {k: v for k, v in DEFAULTS.items() if k != "region"}}
    with pytest.raises(FleetSpecError) as caught:
        parse_fleet_spec({**spec, "groups": {"web": {"count": 1}}})
    assert [p.path for p in caught.value.problems] == ["groups.web.region"]
    parse_fleet_spec({**spec, "groups": {"web": {"count": 1}}}, default_region=REGION)


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ([], ""),
        ({"defaults": DEFAULTS}, "groups"),
        ({"defaults": DEFAULTS, "groups": {}}, "groups"),
        ({"defaults": DEFAULTS, "groups": {"web": {}}}, "groups.web.count"),
        ({"defaults": DEFAULTS, "groups": {"web": 3}}, "groups.web"),
    ],
)
def test_shape_problems(data: Any, path: str) -> None:
    assert path in _problems(data)


def test_a_validated_model_is_checked_against_the_catalog_too() -> None:
    spec = FleetSpec.model_validate(
        {"defaults": {**DEFAULTS, "plan_spec": "hf.tiny"}, "groups": {"web": {"count": 1}}}
    )
    assert "defaults.plan_spec" in _problems(spec)


def test_password_is_kept_secret_in_the_model() -> None:
    spec = parse_fleet_spec(
        {
            "defaults": {**DEFAULTS, "admin_password": "Fleet-Pass-2024"},
            "groups": {"w": {"count": 1}},
        }
    )
    assert "Fleet-Pass-2024" not in repr(spec)
    assert spec.inputs_of("w")["admin_password"] == "Fleet-Pass-2024"
    bad = _problems(
        {"defaults": {**DEFAULTS, "admin_password": "short"}, "groups": {"w": {"count": 1}}}
    )
    assert "short" not in bad["defaults.admin_password"]


def test_members_table_is_aligned_markdown() -> None:
    table = members_table(
        [
            {
                "group": "web",
                "name": "web-0001",
                "server_name": "www-1",
                "public_ip": "198.51.100.1",
                "instance_id": "a",
            },
            {"group": "db", "name": "db-0001", "public_ip": None, "instance_id": "b" * 24},
        ]
    )
    lines = table.splitlines()
    assert lines[0].split("|")[1:-1] == [
        " group ",
        " name     ",
        " server ",
        " public IP    ",
        " instance id              ",
    ]
    assert set(lines[1]) == {"|", "-"}
    assert len({len(line) for line in lines}) == 1
    assert "| web   | web-0001 | www-1  | 198.51.100.1 |" in lines[2]
    assert members_table([]).count("\n") == 1


def test_a_clash_with_the_defaults_is_blamed_on_each_group() -> None:
    spec = {
        "defaults": {
            "plan_spec": "hf.large.1.30m.linux",
            "image": {"name": "Ubuntu", "version": "22.04"},
            "period_num": 12,
        },
        "groups": {
            "web": {"count": 2, "image": {"name": "GitLab", "version": "16.9.3"}},
            "git": {"count": 1, "image": {"name": "GitLab", "version": "16.9.3"}},
        },
    }
    with pytest.raises(FleetSpecError) as caught:
        parse_fleet_spec(spec, default_region="ap-southeast-3")
    paths = [p.path for p in caught.value.problems]
    assert sorted(paths) == [
        "defaults.period_num",
        "groups.git.plan_spec",
        "groups.web.plan_spec",
    ]
    web = next(p for p in caught.value.problems if p.path == "groups.web.plan_spec")
    assert "comes from defaults" in web.message


def test_numbers_and_booleans_from_pulumi_config_set_path_are_read_as_text() -> None:
    # `pulumi config set --path 'flexus:fleet.groups.api.image.version' 21` stores 21, `true`
    # a boolean; YAML reads `22.04` as a float. Each is what the user typed.
    spec = parse_fleet_spec(
        {
            "defaults": {**DEFAULTS, "image": {"name": "Ubuntu", "version": 22.04}},
            "groups": {
                "api": {
                    "count": 2,
                    "hostname": 2024,
                    "server_name": True,
                    "tags": {"team": 7, "on": False, 3: "three"},
                },
                "blog": {"count": 1, "image": {"name": "WordPress", "version": 6.4}},
            },
        }
    )
    api = spec.inputs_of("api")
    assert api["hostname"] == "2024"
    assert api["server_name"] == "true"
    assert api["tags"] == {"team": "7", "on": "false", "3": "three"}
    assert api["image"] == {"name": "Ubuntu", "version": 22.04}  # check reads it as "22.04"


def test_a_number_version_of_a_group_keeps_the_default_image_name() -> None:
    spec = parse_fleet_spec(
        {
            "defaults": {**DEFAULTS, "image": {"name": "Ubuntu", "version": "22.04"}},
            "groups": {"api": {"count": 1, "image": {"version": 20.04}}},
        }
    )
    assert spec.inputs_of("api")["image"] == {"name": "Ubuntu", "version": 20.04}
    wrong = _problems(
        {
            "defaults": {**DEFAULTS, "image": {"name": "Ubuntu", "version": "22.04"}},
            "groups": {"api": {"count": 1, "image": {"version": 21}}},
        }
    )
    assert list(wrong) == ["groups.api.image.version"]
    assert "Ubuntu has no version '21'" in wrong["groups.api.image.version"]


def test_a_wrong_type_is_reported_once_in_the_providers_words() -> None:
    problems = _problems(
        {
            "defaults": DEFAULTS,
            "groups": {
                "api": {
                    "count": "two",
                    "image": {"name": "Ubuntu", "version": ["22.04"]},
                    "period_num": "x",
                    "auto_renew": "maybe",
                    "kind": "vm",
                    "admin_password": ["Secret-Pass-1"],
                },
                "db": {"count": 0},
                "web": {},
            },
        }
    )
    assert problems == {
        "groups.api.count": "'two' is not a whole number",
        "groups.api.image.version": "['22.04'] is not a string",
        "groups.api.period_num": "'x' is not a whole number",
        "groups.api.auto_renew": "'maybe' is not true or false",
        "groups.api.kind": "'vm'; valid values: 'group', 'servers'",
        "groups.api.admin_password": "the value is not a string",
        "groups.db.count": "0: at least 1",
        "groups.web.count": problems["groups.web.count"],
    }
    assert problems["groups.web.count"].startswith("is required: Number of identical instances")
    assert not any("Input should" in m for m in problems.values())  # never pydantic's text
