"""The provider-server client against the SDK's real ``python -m pulumi.dynamic``."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import toy_providers
from pulumi.dynamic.dynamic import serialize_provider

from flexus_pulumi.testing import ProviderCallError, ProviderServer, Secret

PROVIDER = serialize_provider(toy_providers.ThingProvider())


@pytest.fixture(scope="module")
def cloud_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cloud")


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return []


@pytest.fixture(scope="module")
def server(cloud_dir: Path, lines: list[str]) -> Iterator[ProviderServer]:
    with ProviderServer(
        project="toys",
        config={
            "toy:token": Secret("tok-123"),
            "toys:region": "r-9",
            "pulumi-python:flag": "on",
        },
        env={"TOY_CLOUD_DIR": str(cloud_dir)},
        on_output=lines.append,
        cwd=Path(__file__).parent,  # the project directory: where toy_providers is
    ) as running:
        yield running


def test_configure_gets_decrypted_secrets_and_project_config(
    server: ProviderServer, cloud_dir: Path
) -> None:
    server.check({}, {"__provider": PROVIDER, "name": "a"})  # the provider loads on first use
    configured = toy_providers.read_cloud(cloud_dir)["configured"]
    assert configured["token"] == "tok-123"
    assert configured["region"] == "r-9"
    # pkg/host/host.go: PULUMI_CONFIG holds only the plugin's own namespace, stripped
    assert json.loads(configured["env_config"]) == {"flag": "on"}
    assert configured["pulumi_config_token"] is None
    assert configured["env_project"] == "toys"
    assert configured["cwd"] == str(Path(__file__).parent)


def test_check_returns_every_failure(server: ProviderServer) -> None:
    outcome = server.check({}, {"__provider": PROVIDER, "name": "", "size": -1, "zone": "bad-1"})
    assert [(f.property, f.reason) for f in outcome.failures] == [
        ("name", "a name is required"),
        ("size", "must be a number >= 0"),
        ("zone", "no such zone"),
    ]


def test_create_read_diff_round_trip_with_wire_floats(server: ProviderServer) -> None:
    checked = server.check({}, {"__provider": PROVIDER, "name": "rt", "size": 2})
    assert checked.inputs["size"] == 2.0
    assert isinstance(checked.inputs["size"], float)  # numbers cross gRPC as floats
    assert checked.inputs["__provider"] == PROVIDER
    thing_id, outs = server.create(checked.inputs)
    assert thing_id.startswith("thing-")
    assert outs["name"] == "rt"
    assert outs["__provider"] == PROVIDER
    same = server.diff(thing_id, outs, checked.inputs)
    assert same.changes is False
    moved = server.diff(thing_id, outs, {**checked.inputs, "zone": "b"})
    assert moved.changes is True
    assert moved.replaces == ["zone"]
    assert moved.delete_before_replace is False
    read = server.read(thing_id, outs)
    assert read.id == thing_id
    assert read.outputs["serial"] == outs["serial"]
    assert read.inputs is None
    server.delete(thing_id, outs)
    assert server.read(thing_id, outs).id == ""


def test_provider_exception_carries_message_and_traceback(server: ProviderServer) -> None:
    with pytest.raises(ProviderCallError) as info:
        server.create({"__provider": PROVIDER, "name": "nope", "fail_create": True})
    assert info.value.method == "Create"
    assert info.value.message == "RuntimeError: the toy cloud refused to create nope"
    assert "Traceback" in info.value.details


def test_provider_output_lines_reach_the_callback(server: ProviderServer, lines: list[str]) -> None:
    server.create({"__provider": PROVIDER, "name": "talker"})
    for _ in range(100):
        if "creating talker" in lines:
            break
        time.sleep(0.01)
    assert "creating talker" in lines


def test_delete_before_replace_comes_back_from_diff(server: ProviderServer) -> None:
    exclusive = serialize_provider(toy_providers.ExclusiveThingProvider())
    outcome = server.diff(
        "x",
        {"__provider": exclusive, "name": "e", "zone": "a"},
        {"__provider": exclusive, "name": "e", "zone": "b"},
    )
    assert outcome.replaces == ["zone"]
    assert outcome.delete_before_replace is True


def test_unset_changes_come_back_as_none(server: ProviderServer) -> None:
    silent = serialize_provider(toy_providers.SilentProvider())
    outcome = server.diff("x", {"__provider": silent, "a": 1}, {"__provider": silent, "a": 2})
    assert outcome.changes is None
    assert outcome.replaces == []


def test_server_stops_on_close(cloud_dir: Path) -> None:
    server = ProviderServer(
        env={"TOY_CLOUD_DIR": str(cloud_dir)}, on_output=lambda _: None, cwd=Path(__file__).parent
    )
    server.start()
    assert server.running
    assert server.port
    server.close()
    assert not server.running
