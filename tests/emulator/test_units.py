"""Small parts: clock, settings, throttle, id shapes, model round trips."""

from __future__ import annotations

import dataclasses
import re

import pytest

from flexus_pulumi.emulator import ids
from flexus_pulumi.emulator.clock import Clock, add_months, iso_millis, iso_seconds
from flexus_pulumi.emulator.faults import FaultBook
from flexus_pulumi.emulator.hcss import instance_names
from flexus_pulumi.emulator.metering import Throttle
from flexus_pulumi.emulator.models import Extra, Instance, Server, load
from flexus_pulumi.emulator.settings import Settings


class FakeTime:
    def __init__(self) -> None:
        self.t = 1_000_000.0

    def __call__(self) -> float:
        return self.t


def test_clock_offset_speed_and_advance() -> None:
    real = FakeTime()
    clock = Clock(offset=10, real=real)
    assert clock.now() == real.t + 10
    real.t += 5
    assert clock.now() == real.t + 10
    clock.speed = 4
    start = clock.now()
    real.t += 1
    assert clock.now() == start + 4
    clock.advance(100)
    assert clock.now() == start + 104
    with pytest.raises(ValueError, match="forward"):
        clock.advance(-1)
    clock.reset()
    assert clock.now() == real.t


def test_calendar_months() -> None:
    jan31 = 1706659200.0  # 2024-01-31T00:00:00Z
    assert iso_seconds(add_months(jan31, 1)) == "2024-02-29T00:00:00Z"
    assert iso_seconds(add_months(jan31, 12)) == "2025-01-31T00:00:00Z"
    assert iso_millis(jan31) == "2024-01-31T00:00:00.000Z"


def test_settings_defaults_and_validation() -> None:
    s = Settings()
    assert (s.order_seconds, s.job_seconds, s.config_lag_seconds) == (3.0, 1.0, 2.0)
    assert (s.unsubscribe_seconds, s.clock_speed, s.throttle_rate) == (0.0, 1.0, None)
    assert (s.token_ttl_seconds, s.dedupe_client_request_id) == (86400.0, False)
    assert (s.unknown_order, s.extras_in_bundle) == ("400", "internal")
    assert (s.config_tags_filter, s.unknown_fields) == ("honoured", "ignored")
    assert s.updated({"throttle_rate": 5}).throttle_rate == 5.0
    for bad in (
        {"nope": 1},
        {"clock_speed": 0},
        {"order_seconds": True},
        {"dedupe_client_request_id": 1},
    ):
        with pytest.raises(ValueError):  # noqa: PT011
            s.updated(bad)


def test_throttle_bucket() -> None:
    real = FakeTime()
    bucket = Throttle(real=real)
    assert bucket.admit(None) is None
    assert [bucket.admit(2) for _ in range(3)] == [None, None, 1]
    real.t += 0.5
    assert bucket.admit(2) is None
    assert bucket.admit(0.1) is None  # a new rate refills the bucket
    assert bucket.admit(0.1) == 10


def test_fault_book_counts_down() -> None:
    book = FaultBook()
    book.add("ecs_get", "error", count=2, code="X")
    book.add("ecs_get", "latency", seconds=0.5)
    first = book.take("ecs_get")
    assert first.error is not None
    assert first.latency == 0.5
    second = book.take("ecs_get")
    assert second.error is not None
    assert second.latency == 0.0
    assert book.take("ecs_get").error is None
    assert book.active() == []


def test_id_shapes() -> None:
    assert re.fullmatch(r"[0-9a-f]{24}", ids.instance_id())
    assert re.fullmatch(r"CS[A-Z0-9]{15}", ids.order_id())
    assert re.fullmatch(r"[0-9a-f]{32}", ids.job_id())
    assert ids.free_public_ip([]) == "198.51.100.1"
    taken = [f"198.51.100.{i}" for i in range(1, 255)]
    assert ids.free_public_ip(taken) == "203.0.113.1"


def test_instance_names() -> None:
    assert instance_names("web", 1) == ["web"]
    assert instance_names("web", 3) == ["web-0001", "web-0002", "web-0003"]


def test_model_round_trip() -> None:
    server = Server(
        id="s",
        name="n",
        hostname="h",
        flavor_id="f",
        created_at=1.0,
        updated_at=2.0,
        fixed_ip="192.168.0.2",
        mac="m",
        port_id="p",
        vpc_id="v",
        subnet_id="sn",
        system_disk_id="d",
        image_id="i",
    )
    inst = Instance(
        id="i1",
        name="web",
        region="ap-southeast-3",
        project_id="p",
        order_id="o",
        spec="hf.large.1.30m.linux",
        period_type="month",
        period_num=1,
        created_at=0.0,
        extras=[Extra("evs", 20, "r")],
        server=server,
        tags={"a": "b"},
    )
    assert load(Instance, dataclasses.asdict(inst)) == inst
