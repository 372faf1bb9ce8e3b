"""A preview read as a plan: one change per resource, purchases, unsubscriptions, replacements."""

from __future__ import annotations

import random
from collections.abc import Callable

from flexus_pulumi.prcomment import PreviewDigest, analyze, to_digest
from flexus_pulumi.prcomment.changes import Urn
from flexus_pulumi.prcomment.values import MISSING


def test_urn_parts() -> None:
    urn = Urn.parse(
        "urn:pulumi:dev::shop::flexus:index:Fleet$pulumi-python:dynamic/flexus:Instance::a::b"
    )
    assert urn == Urn("dev", "shop", "pulumi-python:dynamic/flexus:Instance", "a::b")
    assert Urn.parse("not-a-urn") == Urn("", "", "", "not-a-urn")


def test_fleet_create_buys_group_and_server(digest: Callable[[str], PreviewDigest]) -> None:
    plan = analyze(digest("fleet_create"))
    assert plan.stack == "dev"
    assert plan.counts == {"create": 5}
    assert plan.unchanged == 1
    assert [(p.change.name, p.count) for p in plan.purchases] == [("prod-web", 3), ("prod-db", 1)]
    assert plan.bought == 4
    assert not plan.bought_unknown
    web, db = plan.purchases
    assert web.change.context == (("Fleet", "prod"),)
    assert db.change.context == (("Fleet", "prod"), ("Server", "prod-db"))
    assert web.offer.spec_summary.startswith("2 vCPU / 2 GiB / 60 GiB disk")
    assert web.offer.region == "ap-southeast-3 (Singapore)"
    assert web.offer.period == "1 month, auto-renew"
    assert db.offer.period == "1 year, no auto-renew"
    assert db.offer.image == "Debian 11.1"
    assert db.offer.extras == "data disk 100 GiB, backup 50 GiB, host security"
    # components, the provider and the stack are counted, never listed
    assert not plan.others
    assert [c.name for c in plan.details] == ["prod-web", "prod-db"]


def test_updates_resize_groups_and_renew(digest: Callable[[str], PreviewDigest]) -> None:
    plan = analyze(digest("update"))
    assert plan.counts == {"create": 1, "update": 3}
    assert [(p.change.name, p.count, p.note) for p in plan.purchases] == [
        ("workers", 2, "group grows 2 → 4")
    ]
    (shrink,) = plan.unsubscriptions
    assert shrink.change.name == "batch"
    assert shrink.count == 2
    assert shrink.instance_ids == ("bb00000000000000000000b4", "bb00000000000000000000b5")
    assert [c.name for c in plan.others] == ["web-1"]
    web = plan.others[0]
    assert [(p.path, p.old, p.new) for p in web.props] == [
        ("description", "frontend", "frontend, old pool"),
        ("name", "web-1", "web-one"),
        ("power_state", "running", "stopped"),
    ]
    (renewal,) = plan.renewals
    assert renewal.targets == ("6f1c2b9d8e7a6b5c4d3e2f10",)
    assert renewal.target_names == ("web-1",)
    assert renewal.period == "3 months"


def test_replacement_steps_are_one_change(digest: Callable[[str], PreviewDigest]) -> None:
    plan = analyze(digest("replace"))
    assert plan.counts == {"replace": 3}
    assert [c.name for c in plan.replacements] == ["assets", "cache", "db"]
    assets, cache, db = plan.replacements
    assert db.ops == ("create-replacement", "replace", "delete-replaced")
    assert not db.delete_first
    assert [(p.path, p.old, p.new) for p in db.forcing] == [
        ("plan_spec", "hf.large.1.30m.linux", "hf.large.2.30m.linux")
    ]
    assert [(p.path, p.old, p.new) for p in cache.forcing] == [("image.version", "20.04", "22.04")]
    assert [p.path for p in cache.props] == ["image.version", "server_name"]
    assert [(p.path, p.old, p.new) for p in assets.forcing] == [
        ("region", "us-east-1", "eu-west-1")
    ]
    assert plan.replaced == 2  # Flexus instances; the bucket is not one
    assert plan.bought == 0
    assert plan.unsubscribed == 0


def test_delete_before_replace_is_noticed(digest: Callable[[str], PreviewDigest]) -> None:
    preview = digest("replace")
    preview.steps[0], preview.steps[2] = preview.steps[2], preview.steps[0]
    db = next(c for c in analyze(preview).replacements if c.name == "db")
    assert db.delete_first


def test_deletes_unsubscribe_unless_retained(digest: Callable[[str], PreviewDigest]) -> None:
    plan = analyze(digest("delete"))
    assert [(u.change.name, u.count, u.instance_ids) for u in plan.unsubscriptions] == [
        ("legacy", 2, ("dd00000000000000000000d1", "dd00000000000000000000d2")),
        ("old-web", 1, ("c0ffee00c0ffee00c0ffee00",)),
    ]
    assert plan.unsubscribed == 3
    assert plan.unsubscriptions[1].offer.image == "private image 9a8b7c6d-private-image"
    assert plan.unsubscriptions[1].offer.region == "sa-brazil-1 (Sao Paulo)"
    assert [c.name for c in plan.others] == ["keep-me"]
    assert [d.severity for d in plan.diagnostics] == ["warning"]
    assert plan.info_messages == 1


def test_generic_resources_use_detailed_diff_paths(digest: Callable[[str], PreviewDigest]) -> None:
    plan = analyze(digest("generic"))
    assert plan.counts == {"create": 1, "update": 1, "delete": 1, "read": 1}
    assert not plan.purchases
    assert not plan.unsubscriptions
    assert not plan.replacements
    web = next(c for c in plan.changes if c.name == "web")
    assert [(p.path, p.kind, p.old, p.new) for p in web.props] == [
        ("metadata.labels.tier", "add", MISSING, "front"),
        ("spec.replicas", "update", 2, 3),
        ("spec.template.spec.containers[0].image", "update", "nginx:1.25", "nginx:1.27"),
    ]
    assert plan.errors == 1


def test_group_count_unknown_until_apply_is_not_a_purchase() -> None:
    urn = "urn:pulumi:dev::p::pulumi-python:dynamic/flexus:InstanceGroup::g"
    state = {"urn": urn, "custom": True, "type": "pulumi-python:dynamic/flexus:InstanceGroup"}
    plan = analyze(
        to_digest(
            {
                "steps": [
                    {
                        "op": "update",
                        "urn": urn,
                        "oldState": {**state, "inputs": {"count": 2}},
                        "newState": {
                            **state,
                            "inputs": {"count": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"},
                        },
                    }
                ]
            }
        )
    )
    assert not plan.purchases
    assert not plan.unsubscriptions
    assert [c.name for c in plan.others] == ["g"]


def test_order_does_not_depend_on_step_order(digest: Callable[[str], PreviewDigest]) -> None:
    preview = digest("update")
    expected = [c.urn for c in analyze(preview).changes]
    shuffled = preview.model_copy(deep=True)
    random.Random(7).shuffle(shuffled.steps)
    assert [c.urn for c in analyze(shuffled).changes] == expected


def test_shrink_with_remove_members_names_the_members_the_provider_removes(
    data_text: Callable[[str], str],
) -> None:
    import json

    from flexus_pulumi.prcomment import parse_preview

    doc = json.loads(data_text("update"))
    step = next(s for s in doc["steps"] if s["urn"].endswith("::batch"))
    step["newState"]["inputs"]["remove_members"] = ["bb00000000000000000000b2"]
    (shrink,) = analyze(parse_preview(json.dumps(doc))).unsubscriptions
    assert shrink.instance_ids == ("bb00000000000000000000b2", "bb00000000000000000000b5")
    assert "remove_members" in shrink.note
