"""How many calls the report makes, counted by the (pessimistic) emulator: Config listed
once, BSS's resource list in pages (of 100 here, where pages of 500 are refused), traffic
100 packages a call — and what it says when the cloud refuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cloud.conftest import make_client

from flexus_pulumi.cli import main
from flexus_pulumi.cloud import PurchaseRequest
from flexus_pulumi.emulator import Emulator


def _buy(emu: Emulator, count: int) -> None:
    client = make_client(emu, project_id=emu.project_id, domain_id=emu.domain_id)
    request = {
        "instance_name": "console",
        "plan_spec": "hf.large.1.30m.linux",
        "region": emu.region,
        "period_type": "month",
        "period_num": 1,
        "image_ref": {"image_name": "Ubuntu", "image_version": "22.04"},
        "is_auto_pay": True,
    }
    orders = []
    while count > 0:
        bought = client.purchase(
            PurchaseRequest.model_validate({**request, "purchase_quantity": min(count, 200)})
        )
        orders.append((bought.order_id, len(bought.instance_ids)))
        count -= 200
    for order_id, size in orders:
        client.wait_for_order(order_id)
        client.find_order_instances(order_id, size)


@pytest.fixture
def empty_state(tmp_path: Path) -> Path:
    """The state of a stack after `pulumi destroy` (it holds nothing)."""
    path = tmp_path / "prod.json"
    path.write_text(json.dumps({"version": 3, "deployment": {"resources": []}}))
    return path


def test_calls_of_a_report_of_250_instances(
    cloud_env: Emulator, empty_state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _buy(cloud_env, 250)
    cloud_env.clear_calls()
    status = main(["report", str(empty_state), "--stack", "shop/prod", "--json"])
    out, err = capsys.readouterr()
    assert status == 0  # untagged instances are listed for information only
    report = json.loads(out)
    assert len(report["instances"]) == 250
    assert report["counts"] == {"untagged": 250}
    assert all(
        r["term"] == "in use" and r["traffic"]["left_pct"] == 100 for r in report["instances"]
    )
    assert cloud_env.calls() == {
        "config_list": 2,  # pages of 200
        "customer_resources": 1 + 3,  # pages of 500 refused here: 3 pages of 100
        "traffic_usage": 3,  # 100 packages a call
        "order_details": 2,  # what each untagged instance costs: one call per order
    }
    assert "250 instances, 250 terms and 250 traffic packages read in" in err
    cloud_env.clear_calls()
    assert main(["report", str(empty_state), "--stack", "shop/prod", "--no-prices"]) == 0
    capsys.readouterr()
    assert "order_details" not in cloud_env.calls()


def test_no_report_when_the_cloud_refuses(
    cloud_env: Emulator, empty_state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _buy(cloud_env, 1)
    cloud_env.fault("customer_resources", "error", status=403, code="CBC.0151")
    status = main(["report", str(empty_state), "--stack", "shop/prod"])
    out, err = capsys.readouterr()
    assert status == 3 and out == ""
    assert "the cloud refused a listing, so there is no report" in err and "CBC.0151" in err
