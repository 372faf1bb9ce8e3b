"""Every call of the client against the emulator: results, auth, retries, faults, waiting."""

from __future__ import annotations

import logging
import socket
import threading
import time
import uuid
from typing import Any

import pytest

from flexus_pulumi.cloud import (
    AuthError,
    BadRequest,
    ConfigResource,
    Credentials,
    FlexusClient,
    FlexusError,
    InvalidRequest,
    JobFailed,
    NotFoundError,
    OrderFailed,
    OrderPendingPayment,
    OrderStatus,
    OutcomeUnknown,
    PollingPolicy,
    RetryPolicy,
    ServerError,
    ThrottledError,
    TransportError,
)
from flexus_pulumi.emulator import Emulator

from .conftest import make_client, purchase_request

# --- helpers ---------------------------------------------------------------------------------


def buy(client: FlexusClient, quantity: int = 1, **changes: Any) -> list[ConfigResource]:
    """Buy, wait for the order, and return the instances as Config lists them."""
    bought = client.purchase(purchase_request(purchase_quantity=quantity, **changes))
    client.wait_for_order(bought.order_id)
    return client.find_order_instances(
        bought.order_id, quantity, instance_ids=bought.instance_ids, deadline=10
    )


def orders_in(emu: Emulator) -> dict[str, dict[str, object]]:
    orders: dict[str, dict[str, object]] = emu.state()["orders"]
    return orders


# --- every call ------------------------------------------------------------------------------


def test_purchase_wait_and_find_what_the_order_bought(
    client: FlexusClient, emulator: Emulator
) -> None:
    request = purchase_request(
        purchase_quantity=2,
        extra_resources=[{"type": "evs", "size": 20}, {"type": "cbr", "size": 40}, {"type": "hss"}],
        tags=[{"key": "team", "value": "web"}],
    )
    progress: list[tuple[str, float]] = []
    bought = client.purchase(request, client_request_id="order-" + str(uuid.uuid4()))
    assert bought.order_id.startswith("CS")
    assert len(bought.order_id) == 17
    assert len(bought.instance_ids) == 2
    assert bought.client_request_id is not None
    assert bought.client_request_id.startswith("order-")

    details = client.wait_for_order(bought.order_id, progress=lambda s, e: progress.append((s, e)))
    assert details.order_info.state is OrderStatus.COMPLETED
    assert details.order_id == bought.order_id
    assert progress[-1][0] == "completed"

    found = client.find_order_instances(bought.order_id, 2, instance_ids=bought.instance_ids)
    assert [r.id for r in found] == bought.instance_ids
    for res in found:
        assert res.order_id == bought.order_id
        assert res.region_id == emulator.region
        assert res.spec_code == "hf.large.2.30m.linux"
        assert res.tags == {"team": "web"}
        assert res.server_id
        assert res.public_ip
        assert res.traffic_package_id
        assert res.system_disk_id
        if emulator.settings()["extras_in_bundle"] == "absent":
            assert res.extras == []  # a Config that lists no extras
            continue
        assert {(e.type, e.size) for e in res.extras} == {("evs", 20), ("cbr", 40), ("hss", None)}
        assert all(e.id for e in res.extras)
        assert res.find_extra("evs") is not None
    assert len({r.server_id for r in found}) == 2

    one = client.get_instance(found[0].id)
    assert one.server_id == found[0].server_id
    assert one.public_ip == found[0].public_ip


def test_ecs_calls(client: FlexusClient, emulator: Emulator) -> None:
    instances = buy(client, 2)
    server_ids = [r.server_id or "" for r in instances]
    server = client.get_server(server_ids[0])
    assert server.id == server_ids[0]
    assert server.running
    assert server.power_state == 1
    assert server.public_ips == [instances[0].public_ip]
    assert server.private_ips
    assert server.order_id == instances[0].order_id
    assert server.hostname

    updated = client.update_server(
        server.id, name="web-main", description="front", hostname="web-main"
    )
    assert updated.name == "web-main"
    assert client.get_server(server.id).description == "front"

    job = client.wait_for_job(client.stop_servers(server_ids))
    assert job.succeeded
    assert {s.entities.server_id for s in job.entities.sub_jobs} == set(server_ids)
    assert client.get_server(server.id).stopped
    assert client.wait_for_job(client.start_servers(server_ids)).succeeded
    assert client.get_server(server.id).running
    assert client.wait_for_job(client.reboot_servers(server_ids[:1], hard=True)).succeeded

    accepted = client.reset_password(server_ids, "Fl3xus-Pass!")
    assert accepted == server_ids
    assert emulator.password_matches(server_ids[1], "Fl3xus-Pass!")


def test_bss_calls(client: FlexusClient) -> None:
    first, second = buy(client, 2)
    usage = client.traffic_usage([first.traffic_package_id or ""])
    assert len(usage) == 1
    assert usage[0].free_resource_id == first.traffic_package_id
    assert usage[0].amount is not None
    assert usage[0].original_amount is not None
    assert usage[0].used is not None

    renewal = client.renew([first.id], period_type="month", period_num=2, auto_pay=True)
    assert len(renewal.order_ids) == 1
    assert renewal.fail_resource_infos == []
    assert client.wait_for_order(renewal.order_ids[0]).order_info.order_type == 2

    gone = client.unsubscribe([second.id], reason_type=5, reason="test")
    assert len(gone.order_ids) == 1
    assert gone.failed_ids == []
    remaining = [r.id for r in client.iter_instances() if not r.deleted]
    assert second.id not in remaining
    assert first.id in remaining

    again = client.unsubscribe(["000000000000000000000000"])
    assert again.failed_ids == ["000000000000000000000000"]
    assert "000000000000000000000000" in str(again.fail_resource_infos[0])


def test_iam_ids_are_looked_up_once(client: FlexusClient, emulator: Emulator) -> None:
    assert client.project_id == emulator.project_id
    assert client.domain_id == emulator.domain_id
    list(client.iter_instances())
    calls = emulator.calls()
    assert calls["iam_projects"] == 1
    assert calls["iam_domains"] == 1
    assert [p.name for p in client.list_projects(emulator.region)] == [emulator.region]
    assert client.list_domains()[0].id == emulator.domain_id


def test_given_ids_skip_iam(emulator: Emulator) -> None:
    with make_client(emulator, project_id=emulator.project_id, domain_id=emulator.domain_id) as c:
        list(c.iter_instances())
        with pytest.raises(NotFoundError):
            c.get_server(str(uuid.uuid4()))
    assert "iam_projects" not in emulator.calls()
    assert "iam_domains" not in emulator.calls()


def test_config_pagination_across_several_pages(client: FlexusClient, emulator: Emulator) -> None:
    bought = buy(client, 7)
    emulator.clear_calls()
    listed = list(client.iter_instances(page_size=2))
    assert sorted(r.id for r in listed) == sorted(r.id for r in bought)
    assert emulator.calls()["config_list"] == 4  # 2 + 2 + 2 + 1
    page = client.list_instances(limit=3, region_id=emulator.region)
    assert len(page.resources) == 3
    assert page.page_info.next_marker
    rest = client.list_instances(limit=200, marker=page.page_info.next_marker)
    assert len(rest.resources) == 4
    assert rest.page_info.next_marker is None
    assert client.list_instances(region_id="tr-west-1").resources == []
    named = client.list_instances(name=bought[0].name)
    assert [r.id for r in named.resources] == [bought[0].id]


def test_config_listing_reads_one_page_ahead(client: FlexusClient, emulator: Emulator) -> None:
    bought = buy(client, 7)
    emulator.clear_calls()
    listing = client.iter_instances(page_size=2)
    first = next(listing)
    # the first page is in use while the second is fetched; no more than that
    deadline = time.monotonic() + 5
    while emulator.calls().get("config_list", 0) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)
    assert emulator.calls()["config_list"] == 2
    listing.close()  # abandoned: the page on its way is awaited, nothing more is fetched
    assert emulator.calls()["config_list"] == 2
    assert not [t for t in threading.enumerate() if t.name.startswith("config-list")]
    again = list(client.iter_instances(page_size=2))
    assert again[0].id == first.id
    assert sorted(r.id for r in again) == sorted(r.id for r in bought)


def test_config_listing_error_on_a_later_page_surfaces(
    client: FlexusClient, emulator: Emulator
) -> None:
    buy(client, 5)
    emulator.clear_calls()
    emulator.fault("config_list", "error", status=403, code="RMS.00010003", after=1)
    listing = client.iter_instances(page_size=2)
    assert len([next(listing), next(listing)]) == 2  # the first page
    with pytest.raises(FlexusError) as info:
        next(listing)
    assert "RMS.00010003" in str(info.value)


# --- authentication --------------------------------------------------------------------------


def test_wrong_secret_is_an_auth_error_and_not_retried(emulator: Emulator) -> None:
    wrong = "wrong-" + emulator.secret_key
    creds = Credentials(access_key=emulator.access_key, secret_key=wrong)
    with (
        make_client(emulator, credentials=creds, project_id=emulator.project_id) as c,
        pytest.raises(AuthError) as info,
    ):
        c.get_server(str(uuid.uuid4()))
    err = info.value
    assert err.http_status == 401
    assert err.code == "APIGW.0301"
    assert err.request_id
    assert "HW_SECRET_KEY" in str(err)
    assert wrong not in str(err)
    assert emulator.secret_key not in str(err)
    assert emulator.calls()["ecs_get"] == 1


def test_auth_error_names_where_the_credentials_came_from(emulator: Emulator) -> None:
    source = "stack config (flexus:accessKey/flexus:secretKey)"
    creds = Credentials(access_key=emulator.access_key, secret_key="wrong", source=source)
    with (
        make_client(emulator, credentials=creds, project_id=emulator.project_id) as c,
        pytest.raises(AuthError, match=r"flexus:secretKey"),
    ):
        c.get_server(str(uuid.uuid4()))


def test_connection_errors_name_the_endpoint(emulator: Emulator) -> None:
    from flexus_pulumi.cloud.errors import TransportError
    from flexus_pulumi.cloud.retry import RetryPolicy

    creds = Credentials(access_key=emulator.access_key, secret_key=emulator.secret_key)
    with (
        FlexusClient(
            creds,
            region=emulator.region,
            endpoint="http://127.0.0.1:9",
            domain_id=emulator.domain_id,
            retry=RetryPolicy(max_attempts=1),
            environ={},
        ) as c,
        pytest.raises(TransportError, match=r"127\.0\.0\.1:9"),
    ):
        c.list_instances()


def test_wrong_password_is_an_auth_error(emulator: Emulator) -> None:
    creds = Credentials(
        user_name=emulator.user_name, password="Not-The-Password1", domain_name=emulator.domain_name
    )
    with make_client(emulator, credentials=creds) as c, pytest.raises(AuthError) as info:
        c.get_order("CS000000000000000")
    assert "Not-The-Password1" not in str(info.value)
    assert emulator.calls()["iam_token"] == 1


def test_token_auth_runs_every_kind_of_call(token_client: FlexusClient, emulator: Emulator) -> None:
    instances = buy(token_client, 1)
    server_id = instances[0].server_id or ""
    assert token_client.get_server(server_id).running
    assert token_client.wait_for_job(token_client.stop_servers([server_id])).succeeded
    assert token_client.traffic_usage([instances[0].traffic_package_id or ""])
    assert token_client.project_id == emulator.project_id
    assert token_client.domain_id == emulator.domain_id
    calls = emulator.calls()
    assert calls["iam_token"] == 2  # one project-scoped, one domain-scoped; then cached
    assert "iam_projects" not in calls  # the ids come with the tokens


def test_token_is_renewed_shortly_before_expiry(emulator: Emulator) -> None:
    emulator.settings(token_ttl_seconds=1.0)
    creds = Credentials(
        user_name=emulator.user_name, password=emulator.password, domain_name=emulator.domain_name
    )
    with make_client(emulator, credentials=creds, project_id=emulator.project_id) as c:
        with pytest.raises(NotFoundError):
            c.get_server(str(uuid.uuid4()))
        with pytest.raises(NotFoundError):
            c.get_server(str(uuid.uuid4()))
        assert emulator.calls()["iam_token"] == 1
        time.sleep(1.0)
        with pytest.raises(NotFoundError):
            c.get_server(str(uuid.uuid4()))
        assert emulator.calls()["iam_token"] == 2


def test_a_revoked_token_is_replaced_once(token_client: FlexusClient, emulator: Emulator) -> None:
    list(token_client.iter_instances())
    emulator.reset()  # forgets every issued token
    assert list(token_client.iter_instances()) == []
    calls = emulator.calls()
    assert calls["config_list"] == 2  # 401 with the old token, then success with a new one
    assert calls["iam_token"] == 1


def test_concurrent_use_fetches_each_token_once(
    token_client: FlexusClient, emulator: Emulator
) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                list(token_client.iter_instances())
                with pytest.raises(NotFoundError):
                    token_client.get_server(str(uuid.uuid4()))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    calls = emulator.calls()
    assert calls["iam_token"] == 2
    assert calls["config_list"] == 20
    assert calls["ecs_get"] == 20


# --- retries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_injected_throttling_and_server_errors_are_retried(
    client: FlexusClient, emulator: Emulator, status: int
) -> None:
    client.domain_id  # noqa: B018 - look the id up before counting
    emulator.fault("config_list", "error", count=2, status=status)
    assert client.list_instances().resources == []
    assert emulator.calls()["config_list"] == 3


def test_a_plain_purchase_is_never_sent_twice(client: FlexusClient, emulator: Emulator) -> None:
    emulator.fault("purchase", "error", count=1, status=500, code="HCSS.15000001")
    with pytest.raises(ServerError, match="not safe to repeat"):
        client.purchase(purchase_request())
    assert emulator.calls()["purchase"] == 1


def test_throttling_with_retry_after_is_waited_out(
    client: FlexusClient, emulator: Emulator
) -> None:
    client.domain_id  # noqa: B018
    emulator.settings(throttle_rate=1)
    started = time.monotonic()
    for _ in range(2):
        client.list_instances()
    assert time.monotonic() - started >= 0.9  # Retry-After: 1
    assert emulator.calls()["config_list"] == 3


def test_throttling_beyond_the_deadline_gives_up(emulator: Emulator) -> None:
    policy = RetryPolicy(initial=0.01, maximum=0.05, deadline=0.5)
    with make_client(emulator, retry=policy, domain_id=emulator.domain_id) as c:
        emulator.settings(throttle_rate=0.1)
        c.list_instances()
        with pytest.raises(ThrottledError) as info:
            c.list_instances()
    assert info.value.retry_after is not None
    assert info.value.retry_after >= 1
    assert info.value.http_status == 429


def test_errors_that_are_not_transient_are_not_retried(
    client: FlexusClient, emulator: Emulator
) -> None:
    client.domain_id  # noqa: B018
    emulator.fault("config_list", "error", status=400, code="RMS.00010001", message="bad limit")
    with pytest.raises(BadRequest, match="bad limit"):
        client.list_instances()
    assert emulator.calls()["config_list"] == 1


def test_drop_before_handling_is_retried_for_safe_calls(
    client: FlexusClient, emulator: Emulator
) -> None:
    instances = buy(client)
    emulator.fault("ecs_get", "drop_before")
    assert client.get_server(instances[0].server_id or "").running
    assert emulator.calls()["ecs_get"] == 2


@pytest.mark.parametrize("kind", ["drop_after", "drop_before"])
def test_unsafe_calls_are_not_repeated_when_the_outcome_is_unknown(
    client: FlexusClient, emulator: Emulator, kind: str
) -> None:
    (instance,) = buy(client)
    emulator.fault("renew", kind)
    with pytest.raises(OutcomeUnknown) as info:
        client.renew([instance.id], auto_pay=True)
    assert emulator.calls()["renew"] == 1
    assert "renew" in str(info.value)
    assert "check" in str(info.value)
    renewals = [o for o in orders_in(emulator).values() if o["order_type"] == 2]
    assert len(renewals) == (1 if kind == "drop_after" else 0)


def test_unsafe_calls_are_not_repeated_after_a_server_error(
    client: FlexusClient, emulator: Emulator
) -> None:
    (instance,) = buy(client)
    emulator.fault("ecs_action", "error", status=500)
    with pytest.raises(ServerError) as info:
        client.stop_servers([instance.server_id or ""])
    assert "not safe to repeat" in str(info.value)
    assert emulator.calls()["ecs_action"] == 1


def test_unsafe_calls_are_retried_when_throttled(client: FlexusClient, emulator: Emulator) -> None:
    (instance,) = buy(client)
    emulator.fault("unsubscribe", "error", status=429)
    result = client.unsubscribe([instance.id])
    assert len(result.order_ids) == 1
    assert emulator.calls()["unsubscribe"] == 2


def test_every_call_has_a_timeout(emulator: Emulator) -> None:
    with make_client(
        emulator, timeout=0.3, project_id=emulator.project_id, domain_id=emulator.domain_id
    ) as c:
        emulator.fault("config_list", "latency", seconds=1.0)
        started = time.monotonic()
        assert c.list_instances().resources == []  # timed out once, then retried
        assert time.monotonic() - started < 1.0
        assert emulator.calls()["config_list"] == 2
        (instance,) = buy(c)
        emulator.fault("unsubscribe", "latency", seconds=1.0)
        with pytest.raises(OutcomeUnknown, match="timed out"):
            c.unsubscribe([instance.id])


def test_connection_refused_is_retried_even_for_unsafe_calls() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    creds = Credentials(access_key="AK", secret_key="SK")
    policy = RetryPolicy(initial=0.01, maximum=0.02, deadline=5, max_attempts=3)
    client = FlexusClient(
        creds,
        region="ap-southeast-3",
        endpoint=f"http://127.0.0.1:{port}",
        domain_id="d",
        retry=policy,
        environ={},
    )
    with pytest.raises(TransportError) as info:
        client.renew(["000000000000000000000000"])
    assert not isinstance(info.value, OutcomeUnknown)
    assert info.value.attempts == 3
    assert client.transport.attempts() == {"renew": 3}
    assert "could not connect" in str(info.value)


# --- orders that do not complete -------------------------------------------------------------


def test_pending_payment_is_a_clear_error_carrying_the_order_id(
    client: FlexusClient, emulator: Emulator
) -> None:
    bought = client.purchase(purchase_request(is_auto_pay=False))
    with pytest.raises(OrderPendingPayment) as info:
        client.wait_for_order(bought.order_id)
    assert info.value.order_id == bought.order_id
    assert bought.order_id in str(info.value)
    assert "auto_pay" in str(info.value)
    assert client.get_order(bought.order_id).order_info.state is OrderStatus.PENDING_PAYMENT


def test_pending_payment_can_be_waited_for_until_paid(
    client: FlexusClient, emulator: Emulator
) -> None:
    emulator.settings(order_lag_seconds=0)  # BSS shows the order at once
    bought = client.purchase(purchase_request(is_auto_pay=False))
    waiter = client.order_waiter(bought.order_id, wait_for_payment=True)
    assert waiter.done() is False
    assert waiter.status == "pending payment"
    emulator.pay(bought.order_id)
    assert waiter.result(timeout=10).status == 5


def test_cancelled_order_is_a_clear_error_carrying_the_order_id(
    client: FlexusClient, emulator: Emulator
) -> None:
    emulator.fault("purchase", "cancel_order")
    bought = client.purchase(purchase_request())
    with pytest.raises(OrderFailed) as info:
        client.wait_for_order(bought.order_id)
    assert info.value.order_id == bought.order_id
    assert info.value.status == 4
    assert "cancelled" in str(info.value)
    assert bought.order_id in str(info.value)


def test_order_cancelled_while_processing(client: FlexusClient, emulator: Emulator) -> None:
    emulator.settings(order_seconds=5)
    bought = client.purchase(purchase_request())
    waiter = client.order_waiter(bought.order_id)
    assert waiter.done() is False
    emulator.cancel(bought.order_id)
    with pytest.raises(OrderFailed):
        waiter.result(timeout=5)


@pytest.mark.parametrize(("answer", "error"), [("404", NotFoundError), ("400", BadRequest)])
def test_order_not_found_after_the_grace_period(
    client: FlexusClient, emulator: Emulator, answer: str, error: type[Exception]
) -> None:
    emulator.settings(unknown_order=answer)
    waiter = client.order_waiter("CS000000000000000")
    waiter.not_found_grace = 0.0
    with pytest.raises(error, match=r"CBC\.30000010"):
        waiter.result(timeout=5)


@pytest.mark.parametrize("answer", ["404", "400"])
def test_an_order_bss_does_not_show_yet_is_waited_for(
    client: FlexusClient, emulator: Emulator, answer: str
) -> None:
    emulator.settings(unknown_order=answer, order_lag_seconds=1.0, order_seconds=0.3, clock_speed=1)
    bought = client.purchase(purchase_request())
    seen: list[str] = []
    details = client.wait_for_order(bought.order_id, progress=lambda s, _: seen.append(s))
    assert details.order_info.status == 5
    assert seen[0] == "not visible yet"


def test_job_failure_names_the_servers(client: FlexusClient, emulator: Emulator) -> None:
    (instance,) = buy(client)
    emulator.fault("ecs_action", "job_fail")
    job_id = client.reboot_servers([instance.server_id or ""])
    with pytest.raises(JobFailed) as info:
        client.wait_for_job(job_id)
    assert info.value.job_id == job_id
    assert any(instance.server_id in r for r in info.value.reasons if instance.server_id)


def test_config_listing_that_lags_behind_the_order(
    client: FlexusClient, emulator: Emulator
) -> None:
    # 0.8 s of real time after a 0.3 s order BSS shows at once
    emulator.settings(config_lag_seconds=0.8, order_seconds=0.3, order_lag_seconds=0, clock_speed=1)
    bought = client.purchase(purchase_request(purchase_quantity=2))
    client.wait_for_order(bought.order_id)
    assert [r for r in client.iter_instances() if r.order_id == bought.order_id] == []
    with pytest.raises(NotFoundError):
        client.get_instance(bought.instance_ids[0])
    found = client.find_order_instances(bought.order_id, 2, deadline=10)
    assert sorted(r.id for r in found) == sorted(bought.instance_ids)


def test_finding_instances_gives_up_at_the_deadline(
    client: FlexusClient, emulator: Emulator
) -> None:
    from flexus_pulumi.cloud import WaitTimeout

    (instance,) = buy(client)
    with pytest.raises(WaitTimeout) as info:
        client.find_order_instances(
            instance.order_id or "",
            2,
            policy=PollingPolicy(initial=0.05, maximum=0.1, deadline=0.3),
        )
    assert info.value.id == instance.order_id
    assert "1 of 2 listed" in str(info.value)


# --- validation before sending ---------------------------------------------------------------


def test_invalid_purchase_is_refused_before_any_call(
    client: FlexusClient, emulator: Emulator
) -> None:
    body = purchase_request().to_wire()
    body.update(
        plan_spec="hf.large.025.30m.linux",
        image_ref={"image_name": "CentOS", "image_version": "8.2"},
        instance_name="1-bad name",
        period_num=13,
    )
    with pytest.raises(InvalidRequest) as info:
        client.purchase(body)
    text = str(info.value)
    assert "instance_name" in text
    assert "period_num" in text
    assert "plan_spec" in text
    assert "allows:" in text  # says which specs the image allows
    assert {p.field for p in info.value.problems} >= {"instance_name", "period_num", "plan_spec"}
    with pytest.raises(InvalidRequest, match="for_region"):
        client.purchase(purchase_request(region="tr-west-1"))
    with pytest.raises(InvalidRequest, match="Client-Request-Id"):
        client.purchase(purchase_request(), client_request_id="short")
    assert emulator.calls() == {}


def test_other_invalid_requests_are_refused_before_any_call(
    client: FlexusClient, emulator: Emulator
) -> None:
    with pytest.raises(InvalidRequest, match="new_password"):
        client.reset_password(["s"], "root1234!A")
    with pytest.raises(InvalidRequest, match="hostname"):
        client.update_server("s", hostname="-bad-")
    with pytest.raises(InvalidRequest, match="give name"):
        client.update_server("s")
    with pytest.raises(InvalidRequest, match="servers"):
        client.start_servers([])
    with pytest.raises(InvalidRequest, match="resource_ids"):
        client.renew([str(i) for i in range(11)])
    with pytest.raises(InvalidRequest, match="period_num"):
        client.renew(["x"], period_type="year", period_num=4)
    with pytest.raises(InvalidRequest, match="free_resource_ids"):
        client.traffic_usage([])
    with pytest.raises(InvalidRequest, match="limit"):
        client.list_instances(limit=201)
    with pytest.raises(InvalidRequest, match="order_id"):
        client.get_order("../x")
    assert emulator.calls() == {}


def test_password_never_reaches_logs_or_errors(
    client: FlexusClient, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="flexus_pulumi")
    (instance,) = buy(client)
    password = "Zz9-Very-Secret"
    client.reset_password([instance.server_id or ""], password)
    emulator.fault("ecs_reset_password", "error", status=400, code="Ecs.0011")
    with pytest.raises(BadRequest) as info:
        client.reset_password([instance.server_id or ""], password)
    assert password not in str(info.value)
    assert password not in caplog.text
    assert emulator.secret_key not in caplog.text
    assert "ecs_reset_password" not in caplog.text or "PUT" in caplog.text
    assert "/cloudservers/os-reset-passwords -> 200" in caplog.text


# --- how soon a completed order is noticed ---------------------------------------------------


def test_order_waiter_notices_completion_soon(client: FlexusClient, emulator: Emulator) -> None:
    """Measured against the emulator's own completion time, on its clock (which a profile
    may have run faster, and so ahead of the machine's, before the test set it to 1)."""
    order_seconds = 1.0
    emulator.settings(order_seconds=order_seconds, order_lag_seconds=0, clock_speed=1)
    client.project_id  # noqa: B018

    def one(_: int) -> tuple[str, float, int]:
        bought = client.purchase(purchase_request())
        waiter = client.order_waiter(bought.order_id)
        waiter.result(timeout=10)
        return bought.order_id, emulator.backend.now(), waiter.polls

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(one, range(6)))
    orders = orders_in(emulator)
    overshoot = [done - float(orders[oid]["ready_at"]) for oid, done, _ in results]  # type: ignore[arg-type]
    assert min(overshoot) >= 0
    # the gap between polls around 1 s is 0.49 s (+10 % jitter), plus request latency
    assert max(overshoot) < 0.75, overshoot
    assert max(polls for _, _, polls in results) <= 5


def test_signatures_hold_for_odd_query_values(client: FlexusClient) -> None:
    """Non-ASCII and reserved characters in the query survive signing end to end."""
    for name in ("wëb server/ü", "a+b=c&d", "日本語", "~*'()!"):
        assert client.list_instances(name=name).resources == []


def test_concurrent_first_use_looks_ids_up_once(emulator: Emulator) -> None:
    with make_client(emulator) as c:
        barrier = threading.Barrier(4)
        failures: list[BaseException] = []

        def work() -> None:
            barrier.wait()
            try:
                list(c.iter_instances())
                with pytest.raises(NotFoundError):
                    c.get_server(str(uuid.uuid4()))
            except BaseException as exc:
                failures.append(exc)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert failures == []
    calls = emulator.calls()
    assert (calls["iam_projects"], calls["iam_domains"]) == (1, 1)
