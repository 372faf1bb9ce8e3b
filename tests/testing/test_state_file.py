"""The state file, URNs, deletion order and encrypted secrets, without a provider server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flexus_pulumi.offline.graph import deletion_antichains
from flexus_pulumi.offline.properties import SecretValue
from flexus_pulumi.offline.state import ResourceState, StackState, StateStore
from flexus_pulumi.testing import Secret, SecretsError, StateFileError, make_urn

STACK = "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev"


def test_urns_follow_the_engine() -> None:
    assert make_urn("dev", "p", "", "pulumi:pulumi:Stack", "p-dev") == STACK
    top = make_urn("dev", "p", STACK, "flexus:index:Fleet", "web")
    assert top == "urn:pulumi:dev::p::flexus:index:Fleet::web"
    child = make_urn("dev", "p", top, "flexus:index:Server", "web-1")
    assert child == "urn:pulumi:dev::p::flexus:index:Fleet$flexus:index:Server::web-1"
    grandchild = make_urn("dev", "p", child, "pulumi-python:dynamic/flexus:Instance", "web-1")
    assert grandchild == (
        "urn:pulumi:dev::p::flexus:index:Fleet$flexus:index:Server"
        "$pulumi-python:dynamic/flexus:Instance::web-1"
    )


def _state_with_secrets() -> StackState:
    return StackState(
        "dev",
        "p",
        b"",
        [
            ResourceState(
                urn="urn:pulumi:dev::p::t:m:T::a",
                type="t:m:T",
                custom=True,
                id="id-1",
                inputs={"pw": SecretValue("s3cret"), "n": 1.0, "nested": {"k": SecretValue(7)}},
                outputs={"pw": SecretValue("s3cret")},
                provider="urn:pulumi:dev::p::pulumi:providers:pulumi-python::default::x",
                pending_replacement=True,
                property_dependencies={"n": [STACK]},
            )
        ],
    )


def test_state_round_trip_is_atomic_and_keeps_secrets_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "state.json"
    StateStore(path, "dev", "p", "pass-1").save(_state_with_secrets())
    assert sorted(p.name for p in path.parent.iterdir()) == ["state.json"]  # no temp left
    text = path.read_text()
    assert "s3cret" not in text
    data = json.loads(text)
    resource = data["resources"][0]
    assert resource["inputs"]["n"] == 1
    assert resource["inputs"]["pw"]["ciphertext"].startswith("v1:")
    assert resource["inputs"]["nested"]["k"]["ciphertext"].startswith("v1:")  # nested leaf
    assert resource["pendingReplacement"] is True
    assert resource["propertyDependencies"] == {"n": [STACK]}

    loaded = StateStore(path, "dev", "p", "pass-1").load()
    assert loaded.resources[0].inputs == {
        "pw": SecretValue("s3cret"),
        "n": 1,
        "nested": {"k": SecretValue(7)},
    }
    with pytest.raises(SecretsError, match=r"wrong passphrase|another passphrase"):
        StateStore(path, "dev", "p", "pass-2").load()


def test_default_passphrase_lives_beside_the_state_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PULUMI_CONFIG_PASSPHRASE", raising=False)
    path = tmp_path / "state.json"
    StateStore(path, "dev", "p", None).save(_state_with_secrets())
    key = tmp_path / "state.json.passphrase"
    assert key.stat().st_mode & 0o777 == 0o600
    assert StateStore(path, "dev", "p", None).load().resources[0].outputs["pw"].value == "s3cret"
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "from-env")
    other = tmp_path / "other.json"
    StateStore(other, "dev", "p", None).save(_state_with_secrets())
    assert not (tmp_path / "other.json.passphrase").exists()
    assert StateStore(other, "dev", "p", "from-env").load().resources[0].id == "id-1"


def test_state_file_errors(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text("{not json")
    with pytest.raises(StateFileError, match="not a readable state file"):
        StateStore(path, "dev", "p", "x").load()
    path.write_text(json.dumps({"version": 1}))
    with pytest.raises(StateFileError, match="unsupported state version 1"):
        StateStore(path, "dev", "p", "x").load()
    assert StateStore(tmp_path / "missing.json", "dev", "p", "x").load().resources == []


def test_secret_config_value_never_shows() -> None:
    secret = Secret("sk-123")
    assert "sk-123" not in repr(secret)
    assert "sk-123" not in str(secret)
    assert "sk-123" not in repr({"flexus:secretKey": secret})


def _res(
    name: str, parent: str = "", deps: tuple[str, ...] = (), delete: bool = False
) -> ResourceState:
    return ResourceState(
        urn=f"urn:pulumi:dev::p::t:m:T::{name}",
        type="t:m:T",
        custom=True,
        parent=f"urn:pulumi:dev::p::t:m:T::{parent}" if parent else "",
        dependencies=[f"urn:pulumi:dev::p::t:m:T::{d}" for d in deps],
        delete=delete,
    )


def test_deletion_antichains_put_dependents_and_children_first() -> None:
    """step_generator.go ``ScheduleDeletes``: antichains peeled from the bottom, reversed."""
    base, user, box, child_a, child_b = (
        _res("base"),
        _res("user", deps=("base",)),
        _res("box"),
        _res("a", parent="box"),
        _res("b", parent="box", deps=("user",)),
    )
    batches = [
        [r.name for r in batch]
        for batch in deletion_antichains([base, user, box, child_a, child_b])
    ]
    assert batches == [["b"], ["a", "user"], ["box", "base"]]


def test_replaced_copy_is_deleted_after_its_dependents() -> None:
    old = _res("x", delete=True)
    dependent = _res("y", deps=("x",))
    batches = deletion_antichains([old, dependent])
    assert [[r.name for r in b] for b in batches] == [["y"], ["x"]]
