"""Orders move on the emulated clock: processing → completed, pending payment → paid,
cancelled; order details for every order type."""

from __future__ import annotations

import time

import pytest

from flexus_pulumi.emulator import Emulator, EmulatorControlError

from .helpers import Api, purchase_body


def _buy(emu: Emulator, **changes: object) -> tuple[str, list[str]]:
    r = Api(emu).purchase(purchase_body(**changes))
    assert r.status_code == 202, r.text
    return r.json()["order_id"], r.json()["instance_ids"]


def test_processing_then_completed_on_the_clock(emulator: Emulator) -> None:
    emulator.settings(order_seconds=100)
    api = Api(emulator)
    order_id, (iid,) = _buy(emulator)
    info = api.order(order_id)["order_info"]
    assert info["status"] == 3
    assert info["payment_time"] is not None
    assert api.list_config().json()["resources"] == []
    emulator.advance(99)
    assert api.order(order_id)["order_info"]["status"] == 3
    emulator.advance(1)
    assert api.order(order_id)["order_info"]["status"] == 5
    assert [r["id"] for r in api.list_config().json()["resources"]] == [iid]


def test_processing_then_completed_in_real_time(emulator: Emulator) -> None:
    api = Api(emulator)
    order_id, _ = _buy(emulator)
    assert api.order(order_id)["order_info"]["status"] == 3
    time.sleep(0.35)
    assert api.order(order_id)["order_info"]["status"] == 5


def test_clock_speed(emulator: Emulator) -> None:
    emulator.settings(order_seconds=30, clock_speed=200)
    api = Api(emulator)
    order_id, _ = _buy(emulator)
    api.wait_order(order_id, timeout=2)


def test_pending_payment_until_paid(emulator: Emulator) -> None:
    api = Api(emulator)
    order_id, (iid,) = _buy(emulator, is_auto_pay=False)
    info = api.order(order_id)["order_info"]
    assert info["status"] == 6
    assert info["payment_time"] is None
    assert info["pending_payment_end_time"]
    emulator.advance(3600)
    assert api.order(order_id)["order_info"]["status"] == 6
    paid = emulator.control.pay(order_id)
    assert paid["status"] == 3
    assert api.order(order_id)["order_info"]["status"] == 3
    api.wait_order(order_id)
    assert [r["id"] for r in api.list_config().json()["resources"]] == [iid]


def test_unpaid_order_expires_after_seven_days(emulator: Emulator) -> None:
    api = Api(emulator)
    order_id, _ = _buy(emulator, is_auto_pay=False)
    emulator.advance(7 * 86400)
    assert api.order(order_id)["order_info"]["status"] == 4


def test_cancel_pending_and_processing(emulator: Emulator) -> None:
    api = Api(emulator)
    pending, _ = _buy(emulator, is_auto_pay=False)
    emulator.settings(order_seconds=100)
    processing, _ = _buy(emulator)
    assert emulator.control.cancel(pending)["status"] == 4
    assert emulator.cancel(processing)["status"] == 4
    emulator.advance(200)
    assert api.order(pending)["order_info"]["status"] == 4
    assert api.order(processing)["order_info"]["status"] == 4
    assert api.list_config().json()["resources"] == []
    assert {i["status"] for i in emulator.state()["instances"].values()} == {"cancelled"}


def test_pay_or_cancel_in_the_wrong_status(emulator: Emulator) -> None:
    order_id, _ = Api(emulator).buy()
    with pytest.raises(EmulatorControlError) as paid:
        emulator.control.pay(order_id)
    assert paid.value.status == 409
    with pytest.raises(EmulatorControlError) as cancelled:
        emulator.control.cancel(order_id)
    assert cancelled.value.status == 409
    with pytest.raises(EmulatorControlError) as unknown:
        emulator.control.pay("CSNOSUCHORDER0000")
    assert unknown.value.status == 404


def test_order_details_shape_and_line_item_paging(emulator: Emulator) -> None:
    api = Api(emulator)
    order_id, _ids = api.buy(purchase_quantity=12, period_type="year", period_num=2)
    details = api.order(order_id)
    assert details["total_count"] == 12
    assert len(details["order_line_items"]) == 10  # BSS pages line items, 10 by default
    info = details["order_info"]
    assert info["order_type"] == 1
    assert info["currency"] == "USD"
    assert info["amount_after_discount"] > 0
    item = details["order_line_items"][0]
    assert item["period_type"] == 3
    assert item["period_num"] == 2
    assert item["service_type_code"] == "hws.service.type.hcss"
    assert item["expire_time"]
    r = api.call(
        "GET",
        f"/v2/orders/customer-orders/details/{order_id}",
        query=[("limit", 5), ("offset", 10)],
    )
    assert len(r.json()["order_line_items"]) == 2
    bad = api.call("GET", f"/v2/orders/customer-orders/details/{order_id}", query=[("limit", 101)])
    assert bad.status_code == 400
    assert bad.json()["error_code"] == "CBC.0100"


@pytest.mark.parametrize("status", ["400", "404"])
def test_unknown_order(emulator: Emulator, status: str) -> None:
    emulator.settings(unknown_order=status)
    r = Api(emulator).call("GET", "/v2/orders/customer-orders/details/CS000000000000000")
    assert r.status_code == int(status)
    assert r.json()["error_code"] == "CBC.30000010"
    assert "CS000000000000000" in r.json()["error_msg"]


@pytest.mark.parametrize("lag", [0.0, 30.0])
def test_a_new_order_is_unknown_while_bss_lags(emulator: Emulator, lag: float) -> None:
    emulator.settings(order_lag_seconds=lag, order_seconds=0)
    api = Api(emulator)
    order_id = api.purchase(purchase_body()).json()["order_id"]
    path = f"/v2/orders/customer-orders/details/{order_id}"
    first = api.call("GET", path)
    assert first.status_code == (400 if lag else 200)
    emulator.advance(lag)
    assert api.call("GET", path).json()["order_info"]["status"] == 5
