"""Plan/apply semantics: create, same, update, replace (both orders), delete, ordering."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import toy_providers as toy
from toy_providers import ToyCloud

from flexus_pulumi.testing import Stack, assert_plan

StackMaker = Callable[..., Stack]


def things(specs: dict[str, dict[str, Any]], **extra: Any) -> Callable[[], None]:
    """A program declaring one Thing per entry (name -> extra inputs)."""

    def program() -> None:
        for name, props in specs.items():
            toy.Thing(name, {"name": name, **props}, **extra)

    return program


def test_first_up_creates_and_second_up_changes_nothing(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    program = things({"a": {"size": 1}, "b": {"size": 2}})
    plan = make_stack(program).up()
    assert_plan(plan, creates=["a", "b"], updates=0, deletes=0)
    assert plan.counts == {"create": 3}  # the stack resource counts, as in the CLI
    assert sorted(cloud.log()) == [("create", "a"), ("create", "b")]

    again = make_stack(program).up()
    assert_plan(again, creates=0, updates=0, replaces=0, deletes=0, sames=["a", "b"])
    assert again.counts == {"same": 3}
    assert len(cloud.log()) == 2  # no provider writes


def test_changed_property_is_an_in_place_update(make_stack: StackMaker, cloud: ToyCloud) -> None:
    make_stack(things({"a": {"size": 1}, "b": {"size": 1}})).up()
    first_id = make_stack(things({})).resource("a").id

    plan = make_stack(things({"a": {"size": 5}, "b": {"size": 1}})).up()
    assert_plan(plan, updates=["a"], sames=["b"], creates=0, replaces=0, deletes=0)
    step = plan.step("a", "update")
    # a dynamic provider names no changed keys and no detailed diff: the step carries none
    assert step.diff_reasons == []
    assert step.detailed_diff is None
    assert step.changed_inputs() == ["size"]
    assert step.old_state is not None
    assert step.new_state is not None
    assert step.old_state["inputs"]["size"] == 1
    assert step.new_state["inputs"]["size"] == 5
    assert "outputs" not in step.new_state  # the pre-step state: no outputs yet
    assert cloud.log()[-1] == ("update", "a")
    stored = make_stack(things({})).resource("a")
    assert stored.id == first_id
    assert stored.outputs["size"] == 5


def test_replace_creates_the_new_resource_before_deleting_the_old(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    make_stack(things({"a": {"zone": "z1"}})).up()
    old_id = make_stack(things({})).resource("a").id

    plan = make_stack(things({"a": {"zone": "z2"}})).up()
    assert_plan(plan, replaces=["a"], creates=0, updates=0, deletes=0)
    assert [s.op for s in plan.steps if s.name == "a"] == [
        "create-replacement",
        "replace",
        "delete-replaced",
    ]
    replace = plan.step("a", "replace")
    assert replace.replace_reasons == ["zone"]
    assert replace.detailed_diff is None
    assert cloud.log()[1:] == [("create", "a"), ("delete", "a")]
    new = make_stack(things({})).resource("a")
    assert new.id != old_id
    assert list(cloud.things()) == [new.id]
    assert [r.name for r in make_stack(things({})).resources()].count("a") == 1


def test_delete_before_replace_from_the_provider_deletes_first(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    def program(zone: str) -> Callable[[], None]:
        def run() -> None:
            toy.Thing("x", {"name": "x", "zone": zone}, provider=toy.ExclusiveThingProvider())

        return run

    make_stack(program("z1")).up()
    plan = make_stack(program("z2")).up()
    assert [s.op for s in plan.steps if s.name == "x"] == [
        "delete-replaced",
        "replace",
        "create-replacement",
    ]
    assert cloud.log() == [("create", "x"), ("delete", "x"), ("create", "x")]
    assert len(cloud.things()) == 1


def test_delete_before_replace_resource_option_deletes_first(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    opts = pulumi.ResourceOptions(delete_before_replace=True)
    make_stack(things({"y": {"zone": "z1"}}, opts=opts)).up()
    make_stack(things({"y": {"zone": "z2"}}, opts=opts)).up()
    assert cloud.log() == [("create", "y"), ("delete", "y"), ("create", "y")]


def test_resources_left_out_are_deleted_dependents_and_children_first(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    def full() -> None:
        base = toy.Thing("base", {"name": "base"})
        toy.Thing("user", {"name": "user"}, pulumi.ResourceOptions(depends_on=[base]))
        toy.Thing("reader", {"name": "reader", "size": base.serial})
        toy.Box("box", [1, 2])

    make_stack(full).up()
    plan = make_stack(lambda: None).up()
    assert_plan(plan, deletes=["base", "user", "reader", "box", "box-0", "box-1"], sames=0)
    order = [name for op, name in cloud.log() if op == "delete"]
    assert order.index("user") < order.index("base")
    assert order.index("reader") < order.index("base")
    step_order = plan.names("delete")
    assert step_order.index("box-0") < step_order.index("box")
    assert step_order.index("box-1") < step_order.index("box")
    assert cloud.things() == {}
    assert [r.type for r in make_stack(lambda: None).resources()] == ["pulumi:pulumi:Stack"]


def test_component_children_get_the_parent_chain_in_their_urns(make_stack: StackMaker) -> None:
    plan = make_stack(lambda: toy.Box("box", [3])).up()
    assert_plan(plan, creates=["box", "box-0"])
    child = plan.step("box-0")
    assert child.urn == "urn:pulumi:dev::toys::toy:index:Box$pulumi-python:dynamic/toy:Thing::box-0"
    assert child.new_state is not None
    assert child.new_state["parent"] == "urn:pulumi:dev::toys::toy:index:Box::box"
    box = plan.step("box")
    assert box.urn == "urn:pulumi:dev::toys::toy:index:Box::box"
    assert box.new_state is not None
    assert box.new_state["custom"] is False
    assert box.new_state["parent"] == "urn:pulumi:dev::toys::pulumi:pulumi:Stack::toys-dev"
    assert make_stack(lambda: None).resource("box").outputs == {"count": 1}


def test_provider_without_changes_answer_gets_an_input_diff(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    def program(size: int) -> Callable[[], None]:
        return lambda: toy.Thing("s", {"name": "s", "size": size}, provider=toy.SilentProvider())

    make_stack(program(1)).up()
    assert_plan(make_stack(program(1)).up(), sames=["s"], updates=0)
    plan = make_stack(program(2)).up()
    assert_plan(plan, updates=["s"])
    assert plan.step("s").diff_reasons == ["size"]


def test_replace_on_changes_and_ignore_changes_options(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    def program(size: int, tag: str) -> Callable[[], None]:
        def run() -> None:
            # replace_on_changes acts on the changed keys the engine knows: none from a
            # provider answering DIFF_SOME, its own input diff for one leaving changes unset
            toy.Thing(
                "r",
                {"name": "r", "size": size},
                pulumi.ResourceOptions(replace_on_changes=["size"]),
            )
            toy.Thing(
                "s",
                {"name": "s", "size": size},
                pulumi.ResourceOptions(replace_on_changes=["size"]),
                provider=toy.SilentProvider(),
            )
            toy.Thing(
                "i",
                {"name": "i", "tag": tag},
                pulumi.ResourceOptions(ignore_changes=["tag"]),
            )

        return run

    make_stack(program(1, "one")).up()
    plan = make_stack(program(2, "two")).up()
    assert_plan(plan, replaces=["s"], updates=["r"], sames=["i"])
    assert make_stack(lambda: None).resource("i").inputs["tag"] == "one"


def test_independent_creates_run_up_to_four_at_a_time(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    program = things({f"t{i}": {"sleep": 0.4} for i in range(6)})
    make_stack(program).up()
    spans = [(e[3], e[4]) for e in cloud.data()["log"] if e[0] == "create"]
    overlap = max(sum(1 for s, e in spans if s <= t < e) for t, _ in spans)
    assert 2 <= overlap <= 4
    # the creates, as the cloud saw them, took less than one at a time would (the CLI's own
    # start-up, seconds on a loaded machine, is not what this is about)
    assert max(e for _, e in spans) - min(s for s, _ in spans) < 6 * 0.4


def test_project_folder_program(make_stack: StackMaker, tmp_path: Any, cloud: ToyCloud) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "settings.txt").write_text("7")
    (project / "__main__.py").write_text(
        "import pathlib\n"
        "import pulumi\n"
        "import toy_providers as toy\n"
        "size = int(pathlib.Path('settings.txt').read_text())\n"
        "thing = toy.Thing('p', {'name': 'p', 'size': size})\n"
        "pulumi.export('size', thing.size)\n"
    )
    # the provider server imports from the project directory, as under the engine: the
    # toy module lives elsewhere, so the environment points there (as a user's shell would)
    toys = str(Path(toy.__file__).parent)
    plan = make_stack(project, env={"TOY_CLOUD_DIR": str(cloud.dir), "PYTHONPATH": toys}).up()
    assert_plan(plan, creates=["p"])
    assert plan.outputs == {"size": 7}
