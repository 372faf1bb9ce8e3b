"""Toy dynamic providers backed by a JSON file: a tiny "cloud" the tests can inspect.

The cloud directory comes from the ``TOY_CLOUD_DIR`` environment variable of the provider
server. Every create/update/delete is appended to ``log`` so tests can observe the order of
operations and that a preview changes nothing, and every call the provider gets —
configure, check, diff, create, read, update, delete — is appended to ``calls`` with its
arguments as the provider saw them (unknowns as ``"<unknown>"``) and the server's process
id. The providers hold no attributes, so they pickle by reference to a few bytes, as the
project's providers must.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
    ResourceProvider,
    UpdateResult,
)
from pulumi.output import Unknown

_CONFIGURED: dict[str, Any] = {}


def cloud_dir() -> Path:
    return Path(os.environ["TOY_CLOUD_DIR"])


@contextmanager
def cloud(directory: Path | None = None) -> Iterator[dict[str, Any]]:
    """The cloud's data, locked and written back on exit."""
    directory = directory or cloud_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        path = directory / "cloud.json"
        data = json.loads(path.read_text()) if path.exists() else {}
        data.setdefault("things", {})
        data.setdefault("log", [])
        data.setdefault("counter", 0)
        data.setdefault("configured", {})
        yield data
        path.write_text(json.dumps(data, indent=1, sort_keys=True))


def read_cloud(directory: Path) -> dict[str, Any]:
    """The cloud's data as a test sees it."""
    path = directory / "cloud.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data.setdefault("things", {})
    data.setdefault("log", [])
    data.setdefault("configured", {})
    return data


def _public(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if not k.startswith("__")}


def _seen(value: Any) -> Any:
    """A JSON copy of what the provider got (unknowns as ``"<unknown>"``)."""
    if isinstance(value, Unknown):
        return "<unknown>"
    if isinstance(value, dict):
        return {k: _seen(v) for k, v in value.items() if k != "__provider"}
    if isinstance(value, (list, tuple)):
        return [_seen(v) for v in value]
    return value


def log_call(call: str, **args: Any) -> None:
    """Append one provider call to the cloud's ``calls``."""
    with cloud() as data:
        data.setdefault("calls", []).append(
            {"call": call, "pid": os.getpid(), **{k: _seen(v) for k, v in args.items()}}
        )


class ThingProvider(ResourceProvider):
    """``zone`` forces replacement; ``size`` must be a number >= 0; ``name`` is required.

    Inputs that steer the toy: ``fail_create`` (create raises), ``sleep`` (seconds a create
    takes), ``fail_update`` (update raises).
    """

    def configure(self, req: ConfigureRequest) -> None:
        token = req.config.get("toy:token")
        region = req.config.get("region")  # un-namespaced: resolved against the project
        secret_key = req.config.get("flexus:secretKey")
        log_call("configure", token=token)
        with cloud() as data:
            data["configured"] = {
                "token": token,
                "region": region,
                "flexus_endpoint": req.config.get("flexus:endpoint"),
                "flexus_secret_key_length": len(secret_key) if secret_key else 0,
                "pulumi_config_token": pulumi.Config("toy").get("token"),
                "env_config": os.environ.get("PULUMI_CONFIG"),
                "env_project": os.environ.get("PULUMI_PROJECT"),
                "cwd": os.getcwd(),
                "raw_config": dict(getattr(req.config, "_props", {})),
            }

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        started = time.time()
        if isinstance(news.get("check_sleep"), (int, float)):
            time.sleep(float(news["check_sleep"]))
        log_call(
            "check",
            name=news.get("name"),
            olds=_olds,
            news=news,
            started=started,
            ended=time.time(),
        )
        failures = []
        if not news.get("name"):
            failures.append(CheckFailure("name", "a name is required"))
        size = news.get("size", 0)
        if isinstance(size, Unknown):  # known only once another resource exists
            pass
        elif not isinstance(size, (int, float)) or size < 0:
            failures.append(CheckFailure("size", "must be a number >= 0"))
        if str(news.get("zone", "a")).startswith("bad"):
            failures.append(CheckFailure("zone", "no such zone"))
        return CheckResult(news, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        log_call("diff", name=news.get("name"), id=_id, olds=olds, news=news)
        old, new = _public(olds), _public(news)
        keys = {k for k in set(old) | set(new) if k not in ("serial", "created_by")}
        changed = [k for k in sorted(keys) if old.get(k) != new.get(k)]
        replaces = [k for k in changed if k == "zone"]
        return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        name = props["name"]
        log_call("create", name=name, props=props)
        print(f"creating {name}", flush=True)
        if props.get("fail_create"):
            raise RuntimeError(f"the toy cloud refused to create {name}")
        started = time.time()
        if props.get("sleep"):
            time.sleep(float(props["sleep"]))
        with cloud() as data:
            data["counter"] += 1
            thing_id = f"thing-{data['counter']}"
            outs = {**_public(props), "serial": data["counter"]}
            data["things"][thing_id] = outs
            data["log"].append(["create", name, thing_id, started, time.time()])
        return CreateResult(thing_id, outs)

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        log_call("update", name=news.get("name"), id=id_, olds=_olds, news=news)
        if news.get("fail_update"):
            raise RuntimeError(f"the toy cloud refused to update {news['name']}")
        with cloud() as data:
            old = data["things"][id_]
            outs = {**_public(news), "serial": old["serial"]}
            data["things"][id_] = outs
            data["log"].append(["update", news["name"], id_])
        return UpdateResult(outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        log_call("read", name=props.get("name"), id=id_, props=props)
        with cloud() as data:
            found = data["things"].get(id_)
        if found is None:
            return ReadResult(None, {})
        return ReadResult(id_, dict(found))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        log_call("delete", name=props.get("name"), id=id_, props=props)
        if props.get("fail_delete"):
            raise RuntimeError(f"the toy cloud refused to delete {props.get('name')}")
        with cloud() as data:
            data["things"].pop(id_, None)
            data["log"].append(["delete", props.get("name"), id_])


class ExclusiveThingProvider(ThingProvider):
    """Like ThingProvider, but two copies cannot coexist: replacement deletes first."""

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        result = super().diff(_id, olds, news)
        result.delete_before_replace = True
        return result


class SilentProvider(ThingProvider):
    """Leaves ``changes`` unset, so the driver diffs the inputs itself (like the engine)."""

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        log_call("diff", name=news.get("name"), id=_id, olds=olds, news=news)
        return DiffResult()


class CountingProvider(ThingProvider):
    """Derives ``generation`` in ``check`` from the olds, bumped when ``zone`` changes — the
    pattern that an olds-less second Check on replacement throws away."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        result = super().check(_olds, news)
        generation = int(_olds.get("generation", 0))
        if _olds and _olds.get("zone") != news.get("zone"):
            generation += 1
        result.inputs = {**result.inputs, "generation": generation}
        return result


class KeepingProvider(ThingProvider):
    """``read`` returns inputs too (the refreshed drift becomes the stored inputs)."""

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        found = super().read(id_, props)
        if found.id is None:
            return found
        inputs = {k: v for k, v in found.outs.items() if k != "serial"}
        return ReadResult(found.id, found.outs, inputs)


class Thing(Resource, module="toy", name="Thing"):
    """A toy resource; every input comes back as an output, plus ``serial``."""

    serial: pulumi.Output[float]
    name: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        props: dict[str, Any],
        opts: pulumi.ResourceOptions | None = None,
        provider: ResourceProvider | None = None,
    ) -> None:
        super().__init__(
            provider or ThingProvider(), resource_name, {"serial": None, **props}, opts
        )


class Box(pulumi.ComponentResource):
    """A component holding things, as a Flexus Server holds its parts."""

    def __init__(self, name: str, sizes: list[int], opts: pulumi.ResourceOptions | None = None):
        super().__init__("toy:index:Box", name, {}, opts)
        self.things = [
            Thing(
                f"{name}-{i}",
                {"name": f"{name}-{i}", "size": s},
                pulumi.ResourceOptions(parent=self),
            )
            for i, s in enumerate(sizes)
        ]
        self.register_outputs({"count": len(sizes)})


class ToyCloud:
    """The toy cloud's folder and what is in it."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory

    def data(self) -> dict[str, Any]:
        return read_cloud(self.dir)

    def log(self) -> list[tuple[str, str]]:
        """(operation, resource name) for every create/update/delete, in order."""
        return [(entry[0], entry[1]) for entry in self.data()["log"]]

    def calls(self, *kinds: str, name: str | None = None) -> list[dict[str, Any]]:
        """Every provider call (of these kinds, for this resource name), in order."""
        return [
            c
            for c in self.data().get("calls", [])
            if (not kinds or c["call"] in kinds) and (name is None or c.get("name") == name)
        ]

    def sequence(self, name: str | None = None) -> list[str]:
        """The kinds of the provider calls (for this resource name), in order."""
        return [c["call"] for c in self.calls(name=name)]

    def clear_calls(self) -> None:
        """Forget the calls logged so far."""
        with cloud(self.dir) as data:
            data["calls"] = []

    def things(self) -> dict[str, dict[str, Any]]:
        return dict(self.data()["things"])
