"""Stacks written by the previous version stay readable: their outputs carry
``__adoption_key`` / ``__generation`` and no ``purchase_tag``, and their instances the tag
``flexus-pulumi={key}.{generation}``. Refresh, scale and destroy work on them unchanged."""

from __future__ import annotations

from typing import Any

from flexus_pulumi.cloud import ImageRef, PurchaseRequest, Tag
from flexus_pulumi.emulator import Emulator

from .conftest import BASIC, Deployed, GroupDriver, cloud_client, live_instances


def legacy_group(group_driver: GroupDriver, emu: Emulator, count: int = 2) -> Deployed:
    """A group as the previous version left it: bought, tagged {key}.0, outputs recorded."""
    checked = group_driver.checked({**BASIC, "count": count})
    key = checked["__adoption_key"]
    client = cloud_client(emu)
    bought = client.purchase(
        PurchaseRequest(
            instance_name="web",
            plan_spec=BASIC["plan_spec"],
            image_ref=ImageRef(image_name="WordPress", image_version="6.4"),
            region=emu.region,
            period_type="month",
            period_num=1,
            purchase_quantity=count,
            is_auto_pay=True,
            tags=[Tag(key="flexus-pulumi", value=f"{key}.0")],
        )
    )
    client.wait_for_order(bought.order_id)
    found = client.find_order_instances(bought.order_id, count)
    old_inputs: dict[str, Any] = {
        k: v for k, v in checked.items() if k not in ("__purchase", "__prior_purchase")
    }
    old_inputs["__generation"] = 0
    members = [
        {
            "index": n + 1,
            "instance_id": i.id,
            "server_id": i.server_id,
            "public_ip": i.public_ip,
            "name": i.name,
            "status": "RUNNING",
            "order_id": i.order_id,
        }
        for n, i in enumerate(found)
    ]
    outputs = {
        **old_inputs,
        "count": count,
        "instances": members,
        "instance_ids": [m["instance_id"] for m in members],
        "scale_serial": 0,
    }
    return Deployed(f"group-{key}.0", outputs, old_inputs)


def test_refresh_scale_out_and_destroy_of_a_legacy_group(
    group_driver: GroupDriver, emu: Emulator
) -> None:
    group = legacy_group(group_driver, emu)
    read = group_driver.read(group)
    assert read.id == group.id
    assert [m["instance_id"] for m in read.outputs["instances"]] == group.outputs["instance_ids"]
    assert read.outputs["purchase_tag"].endswith(".0")
    _, grown = group_driver.update(group, {"count": 3})
    assert len(grown.outputs["instances"]) == 3
    assert set(grown.outputs["instance_ids"]) == set(live_instances(emu))
    # the new member carries the group's old tag, so the group still finds it
    tags = {inst["tags"]["flexus-pulumi"] for inst in live_instances(emu).values()}
    assert tags == {grown.outputs["purchase_tag"]}
    group_driver.delete(grown)
    assert live_instances(emu) == {}
