"""The one money test in real time, with the real provider server: the issue's interrupted
scale-out, the provider process SIGKILLed the moment the scale-out's order completed (Config
lists its instances seconds later), rerun at once in a new provider process. What the rest
of the suite proves on a manual clock, in process, this shows holds with pickling, gRPC,
``configure()`` and real sleeps."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from providers.conftest import PESSIMISTIC_ENV, Driver, cloud_client, running_servers
from pulumi.dynamic.dynamic import serialize_provider

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.emulator.profiles import for_tests
from flexus_pulumi.offline.stack_config import emulator_config
from flexus_pulumi.providers.group import InstanceGroupProvider
from flexus_pulumi.testing import ProviderServer

from .conftest import BASIC, billed, order_sizes, orders

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="finds the provider process in /proc"
)


def provider_processes() -> set[int]:
    """This process's children running the dynamic provider server."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"pulumi.dynamic" in cmdline:
            found.add(int(entry.name))
    return found


def listed(cloud: Emulator) -> list[str]:
    """The instances Config lists now."""
    return [i.id for i in cloud_client(cloud).iter_instances()]


def test_a_scale_out_killed_after_its_order_completed_is_adopted_by_the_rerun() -> None:
    # orders of 60 s and a Config lag of 90 s, on a clock 30 times faster: 2 s and 3 s
    settings = for_tests(
        environ=PESSIMISTIC_ENV, clock_speed=0.5, order_seconds=1.0, job_seconds=0.1
    )
    with running_servers(settings) as (cloud, server, lines):
        driver = Driver(server, serialize_provider(InstanceGroupProvider()), lines)
        lag = cloud.settings()["config_lag_seconds"]
        cloud.settings(config_lag_seconds=0)  # the group as it stands, quickly
        rid, outs, inputs = driver.create({**BASIC, "count": 2}, "fleet")
        cloud.settings(config_lag_seconds=lag)
        cloud.advance(lag)  # what the group holds stays listed under the lag
        grow = driver.check({**inputs, "count": 4}, inputs)
        [killed] = provider_processes()  # the server running_servers started
        failure: list[BaseException] = []

        def scale_out() -> None:
            try:
                server.update(rid, outs, grow.inputs)
            except BaseException as exc:
                failure.append(exc)

        worker = threading.Thread(target=scale_out)
        worker.start()
        deadline = time.monotonic() + 60
        while not (len(orders(cloud)) == 2 and orders(cloud)[1]["status"] == 5):
            assert time.monotonic() < deadline, "the scale-out's order never completed"
            time.sleep(0.02)
        os.kill(killed, signal.SIGKILL)
        worker.join()
        assert failure, "the killed scale-out cannot have answered"
        unlisted = orders(cloud)[1]["instance_ids"]
        assert not set(unlisted) & set(listed(cloud))  # Config does not list them yet
        server.close()
        with ProviderServer(config=emulator_config(cloud), on_output=lines.append) as rerun:
            again = Driver(rerun, driver.provider, lines)
            grow = again.check({**inputs, "count": 4}, inputs)
            grown = rerun.update(rid, outs, grow.inputs)
        assert set(grown["instance_ids"]) == set(billed(cloud))
        assert set(unlisted) <= set(grown["instance_ids"])
        assert order_sizes(cloud) == [2, 2]
