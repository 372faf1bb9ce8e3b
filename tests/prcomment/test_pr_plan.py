"""A preview read as a plan: one change per resource, counted one way everywhere.

The recorded previews are the engine's shape for dynamic providers (``data/generate.py``):
what changed comes from old vs new inputs, a replacement is one ``replace`` step.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable

import pytest

from flexus_pulumi.prcomment import PreviewDigest, analyze, parse_preview, to_digest
from flexus_pulumi.prcomment.changes import Urn
from flexus_pulumi.prcomment.flexus import Member
from flexus_pulumi.prcomment.values import MISSING

GROUP = "pulumi-python:dynamic/flexus:InstanceGroup"


def test_urn_parts() -> None:
    urn = Urn.parse(
        "urn:pulumi:dev::shop::flexus:index:Fleet$pulumi-python:dynamic/flexus:Instance::a::b"
    )
    assert urn == Urn("dev", "shop", "pulumi-python:dynamic/flexus:Instance", "a::b")
    assert Urn.parse("not-a-urn") == Urn("", "", "", "not-a-urn")


def test_fleet_create_buys_group_and_server(digest: Callable[[str], PreviewDigest]) -> None:
    plan = analyze(digest("fleet_create"))
    assert plan.stack == "dev"
    assert plan.counts == {"create": 7}
    assert [(p.change.name, p.count, p.orders) for p in plan.purchases] == [
        ("prod-web", 3, 1),
        ("prod-db-1-instance", 1, 1),
    ]
    assert (plan.bought, plan.orders, plan.unsubscribed) == (4, 2, 0)
    assert not plan.bought_unknown
    web, db = plan.purchases
    assert web.change.context == (("Fleet", "prod"),)
    assert db.change.context == (("Fleet", "prod"), ("Server", "prod-db-1"))
    assert web.offer.spec_summary.startswith("2 vCPU / 2 GiB / 60 GiB disk")
    assert web.offer.region == "ap-southeast-3 (Singapore)"
    assert web.offer.period == "1 month, auto-renew"
    assert db.offer.period == "1 year, no auto-renew"
    assert db.offer.image == "Debian 11.1"
    assert db.offer.region == "ap-southeast-1 (Hong Kong)"
    assert db.offer.extras == "data disk 100 GiB, backup 50 GiB, host security"
    # the extras are created with their instance: listed, never bought on their own
    assert [(c.name, c.label) for c in plan.others] == [
        ("prod-db-1-backup", "BackupVault"),
        ("prod-db-1-data-disk", "DataDisk"),
        ("prod-db-1-host-security", "HostSecurity"),
    ]


def test_updates_resize_groups_and_renew(digest: Callable[[str], PreviewDigest]) -> None:
    plan = analyze(digest("update"))
    assert plan.counts == {"create": 1, "update": 3}
    assert [(p.change.name, p.count, p.reason, p.note) for p in plan.purchases] == [
        ("workers", 2, "grow", "group grows 2 → 4")
    ]
    (shrink,) = plan.unsubscriptions
    assert (shrink.change.name, shrink.count, shrink.reason) == ("batch", 2, "shrink")
    # the members leaving, as the provider picks them (the newest), by name, id and IP
    assert shrink.members == (
        Member("c0ffee000000000000000005", "batch-0004", "198.51.100.5"),
        Member("c0ffee000000000000000006", "batch-0005", "198.51.100.6"),
    )
    (web,) = plan.others
    # derived from old vs new inputs: the engine's JSON names no changed keys
    assert [(p.path, p.old, p.new, p.forces_replace) for p in web.props] == [
        ("description", "frontend", "frontend, old pool", False),
        ("power_state", "running", "stopped", False),
    ]
    (renewal,) = plan.renewals
    assert renewal.targets == ("c0ffee000000000000000001",)
    assert renewal.target_names == ("web-1",)
    assert renewal.period == "3 months"
    assert plan.renewed == 1


def test_a_replacement_is_a_purchase_and_an_unsubscription(
    digest: Callable[[str], PreviewDigest],
) -> None:
    plan = analyze(digest("replace"))
    assert plan.counts == {"replace": 4}
    assert [c.name for c in plan.replacements] == ["cache", "pool", "db-data-disk", "db-instance"]
    # buys what each replacement buys (a bigger instance is still a purchase) ...
    assert [(p.change.name, p.count, p.reason) for p in plan.purchases] == [
        ("cache", 1, "replace"),
        ("pool", 2, "replace"),
        ("db-instance", 1, "replace"),
    ]
    # ... and unsubscribes what it replaces; the data disk goes with its instance
    assert [(u.change.name, u.count, u.reason) for u in plan.unsubscriptions] == [
        ("cache", 1, "replace"),
        ("pool", 2, "replace"),
        ("db-instance", 1, "replace"),
    ]
    assert (plan.bought, plan.orders, plan.unsubscribed, plan.replaced) == (4, 3, 4, 4)
    cache, _pool, disk, db = plan.replacements
    assert [(p.path, p.old, p.new) for p in cache.forcing] == [("image.version", "20.04", "22.04")]
    assert [p.path for p in cache.props] == ["image.version", "server_name"]
    assert [(p.path, p.old, p.new) for p in db.forcing] == [
        ("plan_spec", "hf.large.1.30m.linux", "hf.large.2.30m.linux")
    ]
    assert [p.path for p in disk.forcing] == ["instance_id"]
    assert [m.name for m in plan.unsubscriptions[1].members] == ["pool-0001", "pool-0002"]


def test_replacement_steps_read_as_one_change(digest: Callable[[str], PreviewDigest]) -> None:
    plain, steps = analyze(digest("replace")), analyze(digest("replace_steps"))
    assert steps.counts == plain.counts
    assert [(p.change.name, p.count) for p in steps.purchases] == [
        (p.change.name, p.count) for p in plain.purchases
    ]
    assert steps.unsubscribed == plain.unsubscribed
    db = next(c for c in steps.replacements if c.name == "db-instance")
    assert db.ops == ("create-replacement", "replace", "delete-replaced")
    assert not db.delete_first


def test_delete_before_replace_is_noticed(digest: Callable[[str], PreviewDigest]) -> None:
    preview = digest("replace_steps")
    db = [i for i, s in enumerate(preview.steps) if s.urn.endswith("::db-instance")]
    first, last = db[0], db[-1]
    preview.steps[first], preview.steps[last] = preview.steps[last], preview.steps[first]
    changed = next(c for c in analyze(preview).replacements if c.name == "db-instance")
    assert changed.delete_first


def test_deletes_unsubscribe_unless_retained(digest: Callable[[str], PreviewDigest]) -> None:
    plan = analyze(digest("delete"))
    assert [(u.change.name, u.count, u.instance_ids) for u in plan.unsubscriptions] == [
        ("legacy", 2, ("c0ffee000000000000000003", "c0ffee000000000000000004")),
        ("old-web", 1, ("c0ffee000000000000000002",)),
    ]
    assert plan.unsubscribed == 3
    assert plan.unsubscriptions[0].members[0] == Member(
        "c0ffee000000000000000003", "legacy-0001", "198.51.100.3"
    )
    assert plan.unsubscriptions[1].offer.image == "Ubuntu 22.04"
    assert plan.unsubscriptions[1].offer.region == "sa-brazil-1 (Sao Paulo)"
    assert [c.name for c in plan.others] == ["keep-me"]


def test_adoption_buys_nothing(digest: Callable[[str], PreviewDigest]) -> None:
    plan = analyze(digest("adopt"))
    assert plan.purchases == []
    assert [(a.change.name, a.instance_id) for a in plan.adoptions] == [
        ("spare", "c0ffee000000000000000001")
    ]
    assert (plan.bought, plan.adopted, plan.unsubscribed) == (0, 1, 0)


def test_an_in_place_change_of_a_server_is_one_update(
    digest: Callable[[str], PreviewDigest],
) -> None:
    plan = analyze(digest("inplace"))
    assert plan.counts == {"update": 1}
    assert plan.replacements == []
    assert not plan.touches_flexus
    (web,) = plan.others
    assert web.name == "web-instance"
    assert [p.path for p in web.props] == ["power_state", "server_name"]


def test_renewal_target_from_the_sames(digest: Callable[[str], PreviewDigest]) -> None:
    (bare,) = analyze(digest("renew")).renewals
    assert bare.targets == ("c0ffee000000000000000001",)
    assert bare.target is None  # unchanged resources are not in the default JSON
    (full,) = analyze(digest("renew_sames")).renewals
    assert full.target is not None
    assert full.target.name == "blog-instance"
    assert full.period == "1 year"


def test_generic_resources_use_detailed_diff_paths(digest: Callable[[str], PreviewDigest]) -> None:
    plan = analyze(digest("generic"))
    assert plan.counts == {"create": 1, "update": 1, "replace": 1, "delete": 1, "read": 1}
    assert not plan.touches_flexus
    web = next(c for c in plan.changes if c.name == "web")
    assert [(p.path, p.kind, p.old, p.new) for p in web.props] == [
        ("metadata.labels.tier", "add", MISSING, "front"),
        ("spec.replicas", "update", 2, 3),
        ("spec.template.spec.containers[0].image", "update", "nginx:1.25", "nginx:1.27"),
    ]
    assert plan.errors == 1


def test_group_count_unknown_until_apply_is_not_a_purchase() -> None:
    urn = f"urn:pulumi:dev::p::{GROUP}::g"
    state = {"urn": urn, "custom": True, "type": GROUP}
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
    doc = json.loads(data_text("update"))
    step = next(s for s in doc["steps"] if s["urn"].endswith("::batch"))
    step["newState"]["inputs"]["remove_members"] = ["c0ffee000000000000000003"]
    (shrink,) = analyze(parse_preview(json.dumps(doc))).unsubscriptions
    assert [m.name for m in shrink.members] == ["batch-0002", "batch-0005"]
    assert "remove_members" in shrink.note


@pytest.mark.parametrize(("count", "orders"), [(1, 1), (200, 1), (201, 2), (1_000, 5)])
def test_orders_hold_two_hundred_instances(count: int, orders: int) -> None:
    urn = f"urn:pulumi:dev::p::{GROUP}::g"
    state = {"urn": urn, "custom": True, "type": GROUP, "inputs": {"count": count}}
    plan = analyze(to_digest({"steps": [{"op": "create", "urn": urn, "newState": state}]}))
    assert (plan.bought, plan.orders) == (count, orders)
