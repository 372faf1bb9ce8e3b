"""State between runs, preview without writes, refresh, destroy, outputs and secrets."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pulumi
import toy_providers as toy
from engines import stored_resources, stored_text
from toy_providers import ToyCloud

from flexus_pulumi.offline.properties import SecretValue
from flexus_pulumi.testing import UNKNOWN, Secret, Stack, assert_plan

StackMaker = Callable[..., Stack]


def fleet(sizes: dict[str, int], zone: str = "z1") -> Callable[[], None]:
    def program() -> None:
        for name, size in sizes.items():
            toy.Thing(name, {"name": name, "size": size, "zone": zone})

    return program


def test_state_survives_between_runs_and_stack_objects(
    make_stack: StackMaker, cloud: ToyCloud, tmp_path: Path, engine: str
) -> None:
    stack = make_stack(fleet({"a": 1, "b": 1}))
    stack.up()
    resources = stored_resources(stack)
    if engine == "offline":
        assert json.loads((tmp_path / "state.json").read_text())["version"] == 2
    assert resources[0]["urn"].endswith("::toys-dev")
    provider = resources[1]
    assert provider["type"] == "pulumi:providers:pulumi-python"
    a = next(r for r in resources if r["urn"].endswith("::a"))
    assert set(a) >= {"urn", "type", "custom", "id", "inputs", "outputs", "parent", "provider"}
    assert a["provider"] == f"{provider['urn']}::{provider['id']}"
    # the serialized provider is a secret, as the SDK registers it: encrypted
    assert a["inputs"]["__provider"]["ciphertext"].startswith("v1:")

    fresh = make_stack(fleet({"a": 1, "b": 2}))
    assert_plan(fresh.preview(), updates=["b"], sames=["a"])
    assert_plan(fresh.up(), updates=["b"], sames=["a"])
    assert_plan(make_stack(fleet({"a": 1, "b": 2})).up(), sames=2, updates=0)


def test_preview_makes_no_provider_writes_and_leaves_state_alone(
    make_stack: StackMaker, cloud: ToyCloud, tmp_path: Path
) -> None:
    make_stack(fleet({"a": 1, "b": 1, "c": 1})).up()
    state_before = (tmp_path / "state.json").read_bytes()
    log_before = cloud.log()

    plan = make_stack(fleet({"a": 2, "d": 1})).preview()
    assert_plan(plan, updates=["a"], creates=["d"], deletes=["b", "c"])
    assert cloud.log() == log_before
    assert (tmp_path / "state.json").read_bytes() == state_before

    replace = make_stack(fleet({"a": 1, "b": 1, "c": 1}, zone="z2")).preview()
    assert_plan(replace, replaces=["a", "b", "c"])
    assert len(replace.steps_by_op("delete-replaced")) == 3
    assert cloud.log() == log_before


def test_preview_of_a_create_shows_unknown_computed_outputs(make_stack: StackMaker) -> None:
    def program() -> None:
        first = toy.Thing("first", {"name": "first"})
        toy.Thing("second", {"name": "second", "size": first.serial})
        pulumi.export("serial", first.serial)

    plan = make_stack(program).preview()
    second = plan.step("second")
    assert second.new_state is not None
    assert second.new_state["inputs"]["size"] == UNKNOWN
    assert plan.outputs == {"serial": UNKNOWN}
    assert "size: [unknown]" in plan.render()


def test_refresh_drops_a_resource_gone_out_of_band_and_takes_drift(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    program = fleet({"a": 1, "b": 1, "c": 1})
    make_stack(program).up()
    ids = {r.name: r.id for r in make_stack(program).resources()}
    with toy_cloud(cloud) as data:
        del data["things"][ids["a"]]
        data["things"][ids["b"]]["size"] = 9

    plan = make_stack(program).refresh()
    assert_plan(plan, deletes=["a"], updates=["b"], sames=["c"])
    # the stack resource is refreshed too, and counted: it never changes
    assert plan.counts == {"delete": 1, "update": 1, "same": 2}
    assert plan.step("b").diff_reasons == []  # the provider's Diff said so; it names no keys
    names = [r.name for r in make_stack(program).resources()]
    assert "a" not in names
    assert make_stack(program).resource("b").outputs["size"] == 9

    after = make_stack(program).up()
    assert_plan(after, creates=["a"], updates=["b"], sames=["c"])


def test_destroy_deletes_everything(make_stack: StackMaker, cloud: ToyCloud) -> None:
    def program() -> None:
        toy.Box("box", [1, 1])
        base = toy.Thing("base", {"name": "base"})
        toy.Thing("top", {"name": "top"}, pulumi.ResourceOptions(depends_on=[base]))
        pulumi.export("answer", 42)

    stack = make_stack(program)
    stack.up()
    assert stack.outputs() == {"answer": 42}
    preview = stack.destroy(preview=True)
    assert_plan(preview, deletes=["box", "box-0", "box-1", "base", "top"])
    assert len(cloud.things()) == 4  # the box is a component; nothing deleted yet

    plan = stack.destroy()
    assert_plan(plan, deletes=["box", "box-0", "box-1", "base", "top"], include_stack=False)
    assert plan.counts == {"delete": 6}
    assert plan.names("delete")[-1] == "toys-dev"
    assert cloud.things() == {}
    deletes = [name for op, name in cloud.log() if op == "delete"]
    assert deletes.index("top") < deletes.index("base")
    assert stack.resources() == []
    assert stack.outputs() == {}


def test_stack_outputs_come_back_from_up_and_from_the_state(make_stack: StackMaker) -> None:
    def program() -> None:
        thing = toy.Thing("o", {"name": "o", "size": 3})
        pulumi.export("size", thing.size)
        pulumi.export("label", thing.name.apply(lambda n: f"thing {n}"))
        pulumi.export("nested", {"list": [1, 2], "flag": True})

    plan = make_stack(program).up()
    expected = {"size": 3, "label": "thing o", "nested": {"list": [1, 2], "flag": True}}
    assert plan.outputs == expected
    assert make_stack(program).outputs() == expected
    assert 'label: "thing o"' in plan.render()


def test_secrets_are_masked_in_plans_and_absent_from_the_state_file(
    make_stack: StackMaker, cloud: ToyCloud, tmp_path: Path
) -> None:
    def program(password: str) -> Callable[[], None]:
        def run() -> None:
            thing = toy.Thing("s", {"name": "s", "admin_password": pulumi.Output.secret(password)})
            pulumi.export("password", thing.admin_password)

        return run

    stack = make_stack(program("hunter2-secret"), config={"toy:token": Secret("tok-secret")})
    plan = stack.up()
    state_text = stored_text(stack)
    assert "hunter2-secret" not in state_text
    assert "tok-secret" not in state_text
    for text in (plan.dumps(), plan.render(), stack.output.getvalue()):  # type: ignore[attr-defined]
        assert "hunter2-secret" not in text
        assert "tok-secret" not in text
    step = plan.step("s")
    assert step.new_state is not None
    assert step.new_state["inputs"]["admin_password"] == "[secret]"
    stored = stack.resource("s")
    assert stored.outputs["admin_password"] == SecretValue("hunter2-secret")  # decrypted
    assert plan.outputs == {"password": "[secret]"}
    assert plan.config == {"toy:token": "[secret]"}
    # the provider got the real values
    assert cloud.things()[stack.resource("s").id]["admin_password"] == "hunter2-secret"
    assert cloud.data()["configured"]["token"] == "tok-secret"

    # the same secret again is no change; a new one is an update the provider sees
    assert_plan(make_stack(program("hunter2-secret")).up(), sames=["s"])
    changed = make_stack(program("another-secret")).up()
    assert_plan(changed, updates=["s"])
    assert changed.step("s").detailed_diff is None  # both sides read "[secret]" in the plan
    assert cloud.things()[stack.resource("s").id]["admin_password"] == "another-secret"
    assert "another-secret" not in stored_text(stack)

    # a delete gets the real value although the program no longer supplies it
    assert_plan(make_stack(lambda: None).up(), deletes=["s"])
    assert cloud.things() == {}
    (delete,) = cloud.calls("delete", name="s")
    assert delete["props"]["admin_password"] == "another-secret"


def test_provider_output_is_shown_and_kept_as_diagnostics(make_stack: StackMaker) -> None:
    stack = make_stack(lambda: toy.Thing("talk", {"name": "talk"}))
    plan = stack.up()
    assert "creating talk" in stack.output.getvalue()  # type: ignore[attr-defined]
    assert any(d.message == "creating talk" and d.severity == "info" for d in plan.diagnostics)


def test_program_log_messages_become_diagnostics(make_stack: StackMaker) -> None:
    def program() -> None:
        pulumi.log.warn("careful: fleet is large")

    plan = make_stack(program).preview()
    assert [(d.severity, d.message) for d in plan.diagnostics] == [
        ("warning", "careful: fleet is large")
    ]


class toy_cloud:
    """Edit the toy cloud out of band (as someone in the console would)."""

    def __init__(self, cloud: ToyCloud) -> None:
        self._path = cloud.dir / "cloud.json"

    def __enter__(self) -> dict[str, object]:
        self._data: dict[str, object] = json.loads(self._path.read_text())
        return self._data

    def __exit__(self, *exc: object) -> None:
        self._path.write_text(json.dumps(self._data))


def test_additional_secret_outputs_are_encrypted_and_masked(
    make_stack: StackMaker, tmp_path: Path
) -> None:
    opts = pulumi.ResourceOptions(additional_secret_outputs=["serial"])
    stack = make_stack(lambda: toy.Thing("x", {"name": "x"}, opts))
    stack.up()
    assert stack.resource("x").outputs["serial"] == SecretValue(1)
    stored = next(r for r in stored_resources(stack) if r["urn"].endswith("::x"))["outputs"]
    assert stored["serial"]["ciphertext"].startswith("v1:")
    assert_plan(make_stack(lambda: toy.Thing("x", {"name": "x"}, opts)).up(), sames=["x"])
