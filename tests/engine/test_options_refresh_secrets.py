"""Resource options on Flexus resources (``retain_on_delete``, ``protect``,
``ignore_changes``, ``aliases``), ``pulumi refresh`` after a change in the console, and
secrets never in clear in the backend's files — under the real CLI, verdicts from the
emulator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from flexus_pulumi.testing import CheckFailedError, OperationError, Secret, assert_plan

from .conftest import PROFILES, Cloud, Stacks


def web(
    name: str = "web",
    opts: pulumi.ResourceOptions | None = None,
    *,
    password: str | None = None,
    **inputs: Any,
) -> Callable[[], None]:
    """One instance; ``password`` becomes its ``admin_password``, a secret."""

    def program() -> None:
        from flexus_pulumi import ImageArgs, Instance, InstanceArgs

        given: dict[str, Any] = {"plan_spec": "hf.large.1.30m.linux", **inputs}
        if password is not None:
            given["admin_password"] = pulumi.Output.secret(password)
        Instance(name, InstanceArgs(name="web", image=ImageArgs("Ubuntu", "22.04"), **given), opts)

    return program


def test_retain_on_delete_and_protect(stacks: Stacks, emu: Cloud) -> None:
    stacks(web(opts=pulumi.ResourceOptions(protect=True))).up()
    [iid] = emu.active()
    with pytest.raises(OperationError, match="protected"):
        stacks(lambda: None).up()
    with pytest.raises(OperationError, match="protected"):
        stacks(lambda: None).destroy()
    assert list(emu.active()) == [iid]

    retained = pulumi.ResourceOptions(retain_on_delete=True)
    stacks(web(opts=retained)).up()  # unprotected, retained
    assert_plan(stacks(lambda: None).up(), deletes=["web"])
    assert list(emu.active()) == [iid]  # forgotten by the stack, still billed
    assert emu.calls("unsubscribe") == 0


def test_ignore_changes_and_aliases(stacks: Stacks, emu: Cloud) -> None:
    stacks(web(server_name="one")).up()
    [iid] = emu.active()
    ignoring = pulumi.ResourceOptions(ignore_changes=["server_name", "plan_spec"])
    changed = web(opts=ignoring, server_name="two")
    assert_plan(stacks(changed).preview(), sames=["web"])
    assert_plan(
        stacks(web(opts=ignoring, server_name="two", plan_spec="hf.large.2.30m.linux")).up(),
        sames=["web"],
    )
    assert emu.active()[iid]["server"]["name"] == "one"

    # a rename of the resource with an alias is the same instance
    renamed = web(
        "site", pulumi.ResourceOptions(aliases=[pulumi.Alias(name="web")]), server_name="one"
    )
    assert_plan(stacks(renamed).preview(), sames=["site"], creates=0, deletes=0)
    stacks(renamed).up()
    assert stacks(renamed).resource("site").id == iid
    assert list(emu.active()) == [iid]
    assert len(emu.purchase_orders()) == 1


@pytest.mark.parametrize("cloud", PROFILES, indirect=True)
def test_refresh_after_a_console_change(stacks: Stacks, emu: Cloud) -> None:
    program = web(server_name="site")
    stacks(program).up()
    [iid] = emu.active()
    emu.emu.console.stop(iid)
    emu.emu.console.rename_server(iid, "renamed-in-console")

    refreshed = stacks(program).refresh()
    assert_plan(refreshed, updates=["web"])
    outputs = stacks(program).resource("web").outputs
    assert (outputs["status"], outputs["actual_server_name"]) == ("SHUTOFF", "renamed-in-console")
    # the next up puts back what the program says, in place
    plan = stacks(program).preview()
    assert_plan(plan, updates=["web"], replaces=0)
    stacks(program).up()
    server = emu.active()[iid]["server"]
    assert (server["name"], server["status"]) == ("site", "ACTIVE")
    assert len(emu.purchase_orders()) == 1

    emu.emu.console.unsubscribe(iid)
    gone = stacks(program).refresh()
    assert_plan(gone, deletes=["web"])
    assert stacks(program).resources()[1:] == [] or all(
        r.name != "web" for r in stacks(program).resources()
    )


PASSWORD = "Flexus-Pass-2024!"


def test_secrets_never_in_clear(stacks: Stacks, emu: Cloud) -> None:
    def program(password: str) -> Callable[[], None]:
        return web(password=password)

    config = {"app:dbPassword": Secret("db-Secret-Value-1")}
    stack = stacks(program(PASSWORD), config=config)
    stack.up()
    [iid] = emu.active()
    assert emu.emu.password_matches(emu.active()[iid]["server"]["id"], PASSWORD)
    stacks(program(PASSWORD + "x"), config=config).up()
    stack.refresh()
    stored = "".join(p.read_text(errors="replace") for p in stack.stored_files())
    assert stored
    for secret in (PASSWORD, PASSWORD + "x", emu.emu.secret_key, "db-Secret-Value-1"):
        assert secret not in stored
        assert secret not in stacks.printed()
    # a password the cloud refuses is reported without being shown
    with pytest.raises(CheckFailedError) as refused:
        stacks(program("weakpasswordzq"), config=config).preview()
    assert {p.property for p in refused.value.problems} == {"admin_password"}
    assert "weakpasswordzq" not in str(refused.value)
    assert "weakpasswordzq" not in stacks.printed()
