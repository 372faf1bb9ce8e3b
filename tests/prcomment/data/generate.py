"""Regenerate the recorded previews of this folder from real runs.

    .venv/bin/python tests/prcomment/data/generate.py

Each scenario deploys a start state with the offline driver against the emulator,
changes the program and writes the preview as ``pulumi preview --json`` prints it
(``Plan.to_json``: the engine's shape for dynamic providers — one ``replace`` step,
``replaceReasons`` from the provider, empty ``diffReasons``, null ``detailedDiff``, states
with ``provider``, ``protect`` and ``retainOnDelete``), with and without
``--show-replacement-steps`` / ``--show-sames`` where the file name says so. Ids the
emulator makes up at random (instances, servers, orders, addresses, fingerprints) are
replaced by stable ones, and steps the engine may give in any order (independent
resources) are put in one canonical order, so that the files and the tests reading them do
not change on every run. ``generic.json`` and ``secret.json`` are written by hand: they hold other
providers' resources (which do send detailed diffs) and secrets in every form.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi

from flexus_pulumi import Fleet, ImageArgs, InstanceArgs, InstanceGroupArgs, Renewal, Server
from flexus_pulumi.common import UNKNOWN
from flexus_pulumi.emulator import Emulator
from flexus_pulumi.emulator.profiles import for_tests
from flexus_pulumi.providers.group import InstanceGroup
from flexus_pulumi.providers.instance import Instance
from flexus_pulumi.testing import Stack, emulator_config
from flexus_pulumi.testing.fixtures import EMULATOR_TIMINGS

HERE = Path(__file__).parent
Settings = dict[str, Any]


class Stable:
    """Replaces made-up ids by stable ones of the same shape, by first appearance."""

    PATTERNS = (
        (re.compile(r"^[0-9a-f]{24}$"), lambda n: f"c0ffee{n:018x}"),
        (
            re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),
            lambda n: f"00000000-0000-4000-8000-{n:012x}",
        ),
        (re.compile(r"^CS[0-9A-Z]{15}$"), lambda n: f"CS{n:015d}"),
        (re.compile(r"^(hcss[-_]ecs[-_])[0-9a-f]{4}$"), lambda n: f"{n:04x}"),
        (re.compile(r"^192\.168\.\d+\.\d+$"), lambda n: f"192.168.0.{n}"),
        (re.compile(r"^198\.51\.100\.\d+$"), lambda n: f"198.51.100.{n}"),
        (re.compile(r"^pbkdf2.*"), lambda n: f"pbkdf2-sha256$fingerprint-{n}"),
    )

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}

    def _one(self, text: str) -> str:
        if text == UNKNOWN or text in self.seen:
            return self.seen.get(text, text)
        for pattern, make in self.PATTERNS:
            match = pattern.match(text)
            if match:
                count = 1 + sum(1 for k in self.seen if pattern.match(k))
                prefix = match.group(1) if pattern.groups else ""
                self.seen[text] = prefix + make(count)
                return self.seen[text]
        return text

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):
            if "::" in value:  # a URN: its provider id part
                return "::".join(self._one(p) for p in value.split("::"))
            return self._one(value)
        if isinstance(value, dict):
            return {k: self(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self(v) for v in value]
        return value


def _image(name: str, version: str) -> ImageArgs:
    return ImageArgs(name, version)


def program_for(build: Callable[[Settings], None], settings: Settings) -> Callable[[], None]:
    return lambda: build(settings)


# ---------------------------------------------------------------- scenarios


def fleet_create(s: Settings) -> None:
    Fleet(
        "prod",
        {
            "defaults": {
                "plan_spec": "hf.large.1.30m.linux",
                "image": {"name": "Ubuntu", "version": "22.04"},
                "auto_renew": True,
            },
            "groups": {
                "web": {"count": 3},
                "db": {
                    "count": 1,
                    "kind": "servers",
                    "region": "ap-southeast-1",
                    "image": {"name": "Debian", "version": "11.1"},
                    "period_type": "year",
                    "auto_renew": False,
                    "data_disk_size": 100,
                    "backup_size": 50,
                    "host_security": True,
                },
            },
        },
    )


def update(s: Settings) -> None:
    web = Instance(
        "web-1",
        InstanceArgs(
            name="web-1",
            plan_spec="hf.large.1.30m.linux",
            image=_image("WordPress", "6.4"),
            description=s["description"],
            power_state=s["power"],
        ),
    )
    InstanceGroup(
        "workers",
        InstanceGroupArgs(
            name="workers",
            plan_spec="hf.large.05.30m.linux",
            image=_image("Debian", "11.1"),
            period_num=3,
            auto_renew=True,
            count=s["workers"],
        ),
    )
    InstanceGroup(
        "batch",
        InstanceGroupArgs(
            name="batch",
            plan_spec="hf.large.2.30m.linux",
            image=_image("Ubuntu", "22.04"),
            region="tr-west-1",
            count=s["batch"],
        ),
    )
    if s["renew"]:
        Renewal("web-1-renewal", web.id, period_num=3)


def replace(s: Settings) -> None:
    Server(
        "db",
        InstanceArgs(
            name="db",
            plan_spec=s["db_spec"],
            image=_image("Ubuntu", "22.04"),
            data_disk_size=100,
            server_name="db",
        ),
    )
    Instance(
        "cache",
        InstanceArgs(
            name="cache",
            plan_spec="hf.large.05.30m.linux",
            image=_image("Ubuntu", s["cache_version"]),
            region="ap-southeast-1",
            server_name=s["cache_server"],
        ),
    )
    InstanceGroup(
        "pool",
        InstanceGroupArgs(
            name="pool",
            plan_spec=s["pool_spec"],
            image=_image("Ubuntu", "22.04"),
            count=2,
            auto_renew=True,
        ),
    )


def delete(s: Settings) -> None:
    if not s["present"]:
        return
    InstanceGroup(
        "legacy",
        InstanceGroupArgs(
            name="legacy",
            plan_spec="hf.large.1.30m.linux",
            image=_image("CentOS", "7.9"),
            count=2,
        ),
    )
    Instance(
        "old-web",
        InstanceArgs(
            name="old-web",
            plan_spec="hf.large.1.30m.linux",
            image=_image("Ubuntu", "22.04"),
            region="sa-brazil-1",
            period_num=3,
            auto_renew=True,
        ),
    )
    Instance(
        "keep-me",
        InstanceArgs(
            name="keep-me", plan_spec="hf.large.1.30m.linux", image=_image("Ubuntu", "22.04")
        ),
        pulumi.ResourceOptions(retain_on_delete=True),
    )


def adopt(s: Settings) -> None:
    args = InstanceArgs(
        name="spare",
        plan_spec="hf.large.1.30m.linux",
        image=_image("Ubuntu", "22.04"),
        adopt_instance_id=s.get("adopt"),
    )
    if s["present"]:
        Instance("spare", args, pulumi.ResourceOptions(retain_on_delete=True))


def inplace(s: Settings) -> None:
    Server(
        "web",
        InstanceArgs(
            name="web",
            plan_spec="hf.large.1.30m.linux",
            image=_image("WordPress", "6.4"),
            data_disk_size=40,
            backup_size=40,
            server_name=s["server_name"],
            admin_password=s["password"],
            power_state=s["power"],
        ),
    )


def renew(s: Settings) -> None:
    blog = Server(
        "blog",
        InstanceArgs(
            name="blog",
            plan_spec="hf.large.2.30m.linux",
            image=_image("WordPress", "6.4"),
            data_disk_size=40,
        ),
    )
    if s["renew"]:
        Renewal("blog-renewal", blog.instance_id, period_type="year", period_num=1)


# ---------------------------------------------------------------- runs


#: The stack config as a CI job against the real cloud would have it.
CONFIG = {
    "flexus:accessKey": "HPUAEXAMPLEACCESSKEY",
    "flexus:secretKey": "[secret]",
    "flexus:region": "ap-southeast-3",
}


def _sorted(value: Any) -> Any:
    """Property maps with their keys sorted (the wire gives them in any order)."""
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


def _sort_properties(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _sorted(v) if k in ("inputs", "outputs") else _sort_properties(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_sort_properties(v) for v in value]
    return value


_OP_RANK = {"create-replacement": 0, "replace": 1}


def _needs(step: dict[str, Any]) -> set[str]:
    """The URNs a step's resource depends on: its parent and its dependencies."""
    state = step.get("newState") or step.get("oldState") or {}
    return {state.get("parent") or "", *state.get("dependencies", [])} - {""}


def _in_order(steps: list[dict[str, Any]], *, deleting: bool) -> list[dict[str, Any]]:
    """Steps grouped by resource, each resource after what it depends on (before it, for
    deletes), ties by URN."""
    by_urn: dict[str, list[dict[str, Any]]] = {}
    for step in steps:
        by_urn.setdefault(str(step["urn"]), []).append(step)
    needs = {urn: _needs(group[0]) & set(by_urn) for urn, group in by_urn.items()}
    stack = {u for u in by_urn if "::pulumi:pulumi:Stack::" in u}
    needs = {urn: n | (stack - {urn}) for urn, n in needs.items()}  # the stack comes first
    if deleting:  # a dependent goes first
        needs = {urn: {u for u, n in needs.items() if urn in n} for urn in by_urn}
    out: list[dict[str, Any]] = []
    placed: set[str] = set()
    while len(placed) < len(by_urn):
        ready = sorted(u for u in by_urn if u not in placed and needs[u] <= placed)
        if not ready:  # a cycle: cannot happen in a plan, keep what is left by URN
            ready = sorted(u for u in by_urn if u not in placed)
        urn = ready[0]
        placed.add(urn)
        out += sorted(by_urn[urn], key=lambda s: _OP_RANK.get(s["op"], 0))
    return out


def _canonical(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The steps in the order the files use: the program's steps (each resource after its
    parent and dependencies), then the deletes (each before what it depends on), ties by
    URN. The engine keeps those rules but orders independent resources as they happen to
    register, and the files should not change with that."""
    deleting = [s for s in steps if s["op"] in ("delete", "delete-replaced")]
    running = [s for s in steps if s["op"] not in ("delete", "delete-replaced")]
    return _in_order(running, deleting=False) + _in_order(deleting, deleting=True)


def write(name: str, digest: dict[str, Any], stable: Stable) -> None:
    digest = _sort_properties(digest)
    digest["steps"] = _canonical(digest.get("steps", []))
    digest = stable(digest)
    digest.pop("duration", None)
    digest = {"config": CONFIG, **{k: v for k, v in digest.items() if k != "config"}}
    (HERE / f"{name}.json").write_text(json.dumps(digest, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {name}.json: {digest.get('changeSummary')}")


def scenario(
    emu: Emulator,
    name: str,
    build: Callable[[Settings], None],
    start: Settings | None,
    change: Settings,
    variants: dict[str, dict[str, bool]],
    tmp: Path,
    between: Callable[[Stack, Settings], None] | None = None,
) -> None:
    settings: Settings = dict(start or change)
    stack = Stack(
        "dev",
        "shop",
        program_for(build, settings),
        tmp / f"{name}.json",
        config=emulator_config(emu),
    )
    if start is not None:
        stack.up()
        if between is not None:
            between(stack, settings)
        settings.update(change)
    plan = stack.preview()
    stable = Stable()
    for suffix, flags in variants.items():
        write(name + suffix, plan.to_json(**flags), stable)


def main() -> None:
    """Run every scenario and write its previews."""
    import tempfile

    default: dict[str, dict[str, bool]] = {"": {}}
    with (
        tempfile.TemporaryDirectory() as folder,
        Emulator(settings=for_tests(EMULATOR_TIMINGS)) as emu,
    ):
        tmp = Path(folder)
        scenario(emu, "fleet_create", fleet_create, None, {}, default, tmp)
        scenario(
            emu,
            "update",
            update,
            {
                "description": "frontend",
                "power": "running",
                "workers": 2,
                "batch": 5,
                "renew": False,
            },
            {
                "description": "frontend, old pool",
                "power": "stopped",
                "workers": 4,
                "batch": 3,
                "renew": True,
            },
            default,
            tmp,
        )
        scenario(
            emu,
            "replace",
            replace,
            {
                "db_spec": "hf.large.1.30m.linux",
                "cache_version": "20.04",
                "cache_server": "cache-a",
                "pool_spec": "hf.large.1.30m.linux",
            },
            {
                "db_spec": "hf.large.2.30m.linux",
                "cache_version": "22.04",
                "cache_server": "cache-b",
                "pool_spec": "hf.large.2.30m.linux",
            },
            {"": {}, "_steps": {"show_replacement_steps": True, "show_sames": True}},
            tmp,
        )
        scenario(emu, "delete", delete, {"present": True}, {"present": False}, default, tmp)

        def release(stack: Stack, settings: Settings) -> None:
            settings["adopt"] = stack.resource("spare").id
            settings["present"] = False
            stack.up()  # retain_on_delete: the instance stays, unmanaged

        scenario(
            emu, "adopt", adopt, {"present": True}, {"present": True}, default, tmp, between=release
        )
        scenario(
            emu,
            "inplace",
            inplace,
            {"server_name": "web", "password": "Sup3r-Secr3t-1", "power": "running"},
            {"server_name": "web-1", "password": "Sup3r-Secr3t-2", "power": "stopped"},
            default,
            tmp,
        )
        scenario(
            emu,
            "renew",
            renew,
            {"renew": False},
            {"renew": True},
            {"": {}, "_sames": {"show_sames": True}},
            tmp,
        )


if __name__ == "__main__":
    main()
