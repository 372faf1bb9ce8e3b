"""Batch ECS actions keep to 1000 servers a call and 1000 servers a minute."""

from __future__ import annotations

from typing import Any

from flexus_pulumi.engine.ecs_batch import EcsBatch, Pacer


class FakeClient:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    def stop_servers(self, ids: list[str]) -> str:
        self.calls.append(("stop", len(ids)))
        return f"job{len(self.calls)}"

    def reset_password(self, ids: list[str], password: str) -> None:
        self.calls.append(("password", len(ids)))

    def wait_for_job(self, job: str, **_: Any) -> None:
        return None


def batch(client: FakeClient, slept: list[float]) -> EcsBatch:
    return EcsBatch(client, "fleet", 60, Pacer(sleep=slept.append))  # type: ignore[arg-type]


def test_batches_of_1000_a_minute_apart() -> None:
    client, slept = FakeClient(), []
    batch(client, slept).act("stop", [f"s{i}" for i in range(2500)])
    assert client.calls == [("stop", 1000), ("stop", 1000), ("stop", 500)]
    assert len(slept) == 2
    assert all(55 < s <= 60 for s in slept)


def test_one_batch_does_not_wait() -> None:
    client, slept = FakeClient(), []
    batch(client, slept).act("stop", ["a", "b"])
    assert client.calls == [("stop", 2)]
    assert slept == []


def test_each_kind_of_call_is_paced_on_its_own() -> None:
    client, slept = FakeClient(), []
    run = batch(client, slept)
    run.reset_password([f"s{i}" for i in range(1500)], "Fl3xus-Passw0rd")
    run.act("stop", ["a"])
    run.act("stop", ["b"])
    assert client.calls == [("password", 1000), ("password", 500), ("stop", 1), ("stop", 1)]
    assert len(slept) == 1
