"""Conformance: reading an existing resource — ``Resource.get`` /
``ResourceOptions(id=...)`` — as the engine does it.

- pkg/resource/deploy/step_generator.go ``GenerateReadSteps``: a read step whose new state
  is ``External``, with the program's properties as inputs and the id it names;
- step.go ``ReadStep.Apply``: ``Read`` gets those properties as *both* inputs and state
  ("we've been passing that as 'state' to providers since forever") — which is how a
  Python dynamic provider finds its ``__provider`` (dynamic/__main__.py ``Read``) — and
  runs in a preview too; what it answers becomes the outputs the program gets;
- step.go ``DeleteStep``: an external resource is never deleted — a run that no longer
  reads it, or a destroy, only discards it from the state (``OpReadDiscard``);
- step.go ``RefreshStep``: an external resource is diffed on its outputs only;
- step_generator.go ``wasExternal``: a resource read earlier and now declared as managed is
  created anew, and the read one discarded (``OpDiscardReplaced``).
"""

from __future__ import annotations

from collections.abc import Callable

import pulumi
import toy_providers as toy
from engines import stored_resources
from toy_providers import ToyCloud

from flexus_pulumi.testing import Stack

StackMaker = Callable[..., Stack]


def _reader(thing_id: str) -> Callable[[], None]:
    def program() -> None:
        seen = toy.Thing("seen", {"name": "seen"}, pulumi.ResourceOptions(id=thing_id))
        pulumi.export("serial", seen.serial)

    return program


def _made_elsewhere(cloud: ToyCloud) -> str:
    """A thing that exists in the toy cloud, created outside this stack."""
    with toy.cloud(cloud.dir) as data:
        data["counter"] += 1
        thing_id = f"thing-{data['counter']}"
        data["things"][thing_id] = {"name": "made", "size": 3, "serial": data["counter"]}
    return thing_id


def test_a_read_is_external_runs_in_previews_and_is_never_deleted(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    thing_id = _made_elsewhere(cloud)
    cloud.clear_calls()
    stack = make_stack(_reader(thing_id))

    plan = stack.preview()
    assert [s.op for s in plan.steps if s.type.endswith("toy:Thing")] == ["read"]
    [read] = cloud.calls("read")
    assert read["id"] == thing_id
    assert read["props"] == {"name": "seen"}  # the program's properties (None dropped)

    stack.up(skip_preview=True)
    assert stack.outputs()["serial"] == 1
    [entry] = [r for r in stored_resources(stack) if r["urn"].endswith("::seen")]
    assert entry["external"] is True and entry["id"] == thing_id
    assert ("create", "seen") not in cloud.log()

    cloud.clear_calls()
    plan = make_stack(lambda: None).up(skip_preview=True)  # the program reads it no more
    assert [s.op for s in plan.steps if s.type.endswith("toy:Thing")] == ["discard"]
    assert cloud.calls("delete") == []
    assert thing_id in cloud.things()


def test_refresh_diffs_outputs_and_destroy_discards(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    thing_id = _made_elsewhere(cloud)
    stack = make_stack(_reader(thing_id))
    stack.up(skip_preview=True)
    with toy.cloud(cloud.dir) as data:
        data["things"][thing_id]["size"] = 9  # changed out of band
    refreshed = stack.refresh()
    [step] = [s for s in refreshed.steps if s.name == "seen"]
    assert step.counted_as == "update"
    assert stack.resource("seen").outputs["size"] == 9
    cloud.clear_calls()
    assert cloud.calls("diff") == []  # no provider Diff for an external resource
    stack.destroy()
    assert cloud.calls("delete") == []
    assert thing_id in cloud.things()
    assert stack.resources() == []


def test_declaring_what_was_read_creates_it_anew(make_stack: StackMaker, cloud: ToyCloud) -> None:
    thing_id = _made_elsewhere(cloud)
    make_stack(_reader(thing_id)).up(skip_preview=True)
    cloud.clear_calls()
    managed = make_stack(lambda: toy.Thing("seen", {"name": "seen"}))
    plan = managed.up(skip_preview=True)
    assert [s.op for s in plan.steps if s.type.endswith("toy:Thing")] == [
        "create-replacement",
        "replace",
        "discard-replaced",
    ]
    assert plan.counts.get("replace") == 1
    assert [c["olds"] for c in cloud.calls("check")] == [{}]  # checked as a create
    assert cloud.calls("delete") == []
    assert thing_id in cloud.things()
    new = managed.resource("seen")
    assert new.id != thing_id and not new.external
    assert [r.name for r in managed.resources() if r.name == "seen"] == ["seen"]


def test_a_read_of_an_unknown_id_waits_in_a_preview(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    def program() -> None:
        made = toy.Thing("made", {"name": "made"})
        toy.Thing("seen", {"name": "seen"}, pulumi.ResourceOptions(id=made.id))

    plan = make_stack(program).preview()
    assert [s.op for s in plan.steps if s.type.endswith("toy:Thing")] == ["create", "read"]
    assert cloud.calls("read") == []
