"""Batch ECS actions keep to 1000 servers a call and 1000 servers a minute."""

from __future__ import annotations

from typing import Any

from flexus_pulumi.providers import server_ops


class FakeClient:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    def stop_servers(self, ids: list[str]) -> str:
        self.calls.append(("stop", len(ids)))
        return f"job{len(self.calls)}"

    def wait_for_job(self, job: str, **_: Any) -> None:
        return None


def test_batches_of_1000_a_minute_apart() -> None:
    client = FakeClient()
    slept: list[float] = []
    ids = [f"s{i}" for i in range(2500)]
    server_ops._run_action(client, "stop", ids, "fleet", 60, sleep=slept.append)  # type: ignore[arg-type]
    assert client.calls == [("stop", 1000), ("stop", 1000), ("stop", 500)]
    assert len(slept) == 2
    assert all(55 < s <= 60 for s in slept)


def test_one_batch_does_not_wait() -> None:
    client = FakeClient()
    slept: list[float] = []
    server_ops._run_action(client, "stop", ["a", "b"], "x", 60, sleep=slept.append)  # type: ignore[arg-type]
    assert client.calls == [("stop", 2)]
    assert slept == []
