"""Conformance: secrets as the engine passes them to a Python dynamic provider.

ENGINE_SEMANTICS.md "Secrets": the provider server answers ``Configure`` with
``acceptSecrets: False``, so every call gets plain, real values; the engine marks outputs
secret again — nested values by ``annotateSecrets``, whole ones by
``additional_secret_outputs`` and by a secret input of the same name — in a preview too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pulumi
import toy_providers as toy
from toy_providers import ToyCloud

from flexus_pulumi.offline.properties import SecretValue
from flexus_pulumi.testing import Secret, Stack, assert_plan

StackMaker = Callable[..., Stack]
PASSWORD = "hunter2-secret"


def _program(password: str, size: int = 1) -> Callable[[], None]:
    def run() -> None:
        toy.Thing(
            "s",
            {
                "name": "s",
                "size": size,
                "login": {"user": "admin", "password": pulumi.Output.secret(password)},
            },
        )

    return run


def test_every_call_gets_the_real_plain_values(
    make_stack: StackMaker, cloud: ToyCloud, tmp_path: Path
) -> None:
    """provider_plugin.go ``Check``/``Diff``/``Create``/``Update``/``Delete`` marshal with
    ``KeepSecrets: protocol.acceptSecrets`` (false for the Python server): plain values,
    never a placeholder — also on a delete, when the program no longer supplies them."""
    make_stack(_program(PASSWORD)).up()
    make_stack(_program(PASSWORD, size=2)).up()
    make_stack(lambda: None).up()
    calls = cloud.calls()
    assert {c["call"] for c in calls} >= {"configure", "check", "diff", "create", "update"}
    assert {c["call"] for c in cloud.calls(name="s")} == {
        "check",
        "diff",
        "create",
        "update",
        "delete",
    }
    for call in cloud.calls(name="s"):
        text = json.dumps(call)
        assert "[secret]" not in text
        assert PASSWORD in text, call["call"]
    assert PASSWORD not in (tmp_path / "state.json").read_text()


def test_outputs_are_secret_again_nested_and_by_option_in_a_preview_too(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    """provider_plugin.go ``annotateSecrets`` (into objects on both sides, whole values
    otherwise) and step_executor.go ``continueExecuteStep`` (``AdditionalSecretOutputs``;
    an output whose input of the same name is secret), applied to preview steps as well."""
    opts = pulumi.ResourceOptions(additional_secret_outputs=["name"])

    def program() -> None:
        thing = toy.Thing(
            "s",
            {"name": "s", "login": {"user": "admin", "password": pulumi.Output.secret("pw")}},
            opts,
        )
        pulumi.export("name", thing.name)

    preview = make_stack(program).preview()
    assert preview.outputs == {"name": "[secret]"}
    stack = make_stack(program)
    plan = stack.up()
    assert plan.outputs == {"name": "[secret]"}
    outputs = stack.resource("s").outputs
    assert outputs["login"] == {"user": "admin", "password": SecretValue("pw")}  # nested
    assert outputs["name"] == SecretValue("s")
    assert outputs["serial"] == 1


def test_the_program_sees_the_real_old_outputs_on_a_same_step(make_stack: StackMaker) -> None:
    """step.go ``SameStep.Apply``: the new state takes the old outputs, which the program
    gets back — decrypted, not masked."""
    opts = pulumi.ResourceOptions(additional_secret_outputs=["serial"])

    def program() -> None:
        thing = toy.Thing("s", {"name": "s", "token": pulumi.Output.secret("tok")}, opts)
        pulumi.export("serial", pulumi.Output.unsecret(thing.serial))
        pulumi.export("token", pulumi.Output.unsecret(thing.token))

    make_stack(program).up()
    plan = make_stack(program).up()
    assert_plan(plan, sames=["s"])
    assert plan.outputs == {"serial": 1, "token": "tok"}


def test_configure_gets_secret_config_decrypted(make_stack: StackMaker, cloud: ToyCloud) -> None:
    """deploy/target.go ``GetPackageConfig`` and the Python server's ``Configure``:
    ``configure()`` reads secret config in plain text."""
    make_stack(_program(PASSWORD), config={"toy:token": Secret("tok-123")}).preview()
    assert cloud.data()["configured"]["token"] == "tok-123"
