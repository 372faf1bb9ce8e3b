"""The state file, URNs, deletion order and secret digests, without a provider server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flexus_pulumi.testing import Secret, StateFileError, make_urn
from flexus_pulumi.testing.deployment import deletion_batches
from flexus_pulumi.testing.secrets import SecretHasher, StoredSecret, recover, store_props
from flexus_pulumi.testing.state import (
    ResourceState,
    load_state,
    new_state,
    save_state,
)

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


def test_state_round_trip_is_atomic_and_keeps_secrets_hashed(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "state.json"
    state = new_state("dev", "p")
    hasher = SecretHasher(state.salt)
    state.resources.append(
        ResourceState(
            urn="urn:pulumi:dev::p::t:m:T::a",
            type="t:m:T",
            custom=True,
            id="id-1",
            inputs=store_props({"pw": "s3cret", "n": 1.0}, {"pw"}, hasher),
            provider="cGlja2xl",
        )
    )
    state.outputs = store_props({"pw": "s3cret"}, {"pw"}, hasher)
    save_state(path, state)
    assert sorted(p.name for p in path.parent.iterdir()) == ["state.json"]  # no temp left
    text = path.read_text()
    assert "s3cret" not in text
    data = json.loads(text)
    assert data["resources"][0]["inputs"]["n"] == 1
    assert data["resources"][0]["inputs"]["pw"]["hash"].startswith("scrypt:")

    loaded = load_state(path, "dev", "p")
    assert loaded.salt == state.salt
    assert loaded.resources == state.resources
    assert isinstance(loaded.outputs["pw"], StoredSecret)
    plain, secret = recover(loaded.resources[0].inputs, {"pw": "s3cret"}, SecretHasher(loaded.salt))
    assert plain == {"pw": "s3cret", "n": 1}
    assert secret == {"pw"}
    wrong, _ = recover(loaded.resources[0].inputs, {"pw": "guess"}, SecretHasher(loaded.salt))
    assert wrong["pw"] == "[secret]"


def test_digests_are_salted_and_ignore_float_ints() -> None:
    one, two = SecretHasher(b"salt-one"), SecretHasher(b"salt-two")
    assert one.digest("pw") != two.digest("pw")
    assert one.digest({"a": 1.0}) == one.digest({"a": 1})
    assert one.matches(one.store("pw"), "pw")
    assert not one.matches(one.store("pw"), "[secret]")


def test_state_file_errors(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text("{not json")
    with pytest.raises(StateFileError, match="not a readable state file"):
        load_state(path, "dev", "p")
    path.write_text(json.dumps({"version": 99}))
    with pytest.raises(StateFileError, match="unsupported state version"):
        load_state(path, "dev", "p")
    assert load_state(tmp_path / "missing.json", "dev", "p").resources == []


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


def test_deletion_batches_put_dependents_and_children_first() -> None:
    base, user, box, child_a, child_b = (
        _res("base"),
        _res("user", deps=("base",)),
        _res("box"),
        _res("a", parent="box"),
        _res("b", parent="box", deps=("user",)),
    )
    batches = [
        [r.name for r in batch] for batch in deletion_batches([base, user, box, child_a, child_b])
    ]
    assert batches == [["b", "a"], ["box", "user"], ["base"]]


def test_replaced_copy_is_deleted_while_its_replacement_stays() -> None:
    old = _res("x", delete=True)
    dependent = _res("y", deps=("x",))
    batches = deletion_batches([old, dependent])
    assert [[r.name for r in b] for b in batches] == [["y"], ["x"]]
