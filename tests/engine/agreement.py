"""The offline driver measured against the real engine: the same scenarios through both,
comparing the provider calls (method, resource, arguments, per resource in order), the
preview JSON (steps, ops, ``replaceReasons``, ``diffReasons``, ``detailedDiff``, states) and
the final state.

``python tests/engine/agreement.py`` prints the table the README shows;
``tests/engine/test_agreement.py`` runs it, holds every scenario to agreement and the
README's table to what it prints. Resources are toy dynamic resources
(``tests/testing/toy_providers.py``) whose provider logs each call it gets; each scenario
chains its resources with ``depends_on`` so that ids come out the same on both engines.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi

HERE = Path(__file__).resolve().parent
TOYS = HERE.parent / "testing"
if str(TOYS) not in sys.path:
    sys.path.insert(0, str(TOYS))

import toy_providers as toy  # noqa: E402

from flexus_pulumi.testing import DriverError, Secret, Stack  # noqa: E402

Program = Callable[[], None]

#: Keys of a state that say where, when or through which provider instance, not what.
_NOISE = frozenset(
    {"created", "modified", "sourcePosition", "stackTrace", "provider", "propertyDependencies"}
)


@dataclass
class Scenario:
    """Programs run one after the other: ``(operation, program)`` with operation one of
    ``preview``, ``up``, ``refresh``, ``destroy``, or ``("drift", edit)`` editing the toy
    cloud out of band. ``config`` is the stack config of every step."""

    name: str
    steps: list[tuple[str, Any]]
    config: dict[str, Any] = field(default_factory=dict)


@dataclass
class Run:
    """What one engine did in one scenario."""

    calls: list[dict[str, Any]] = field(default_factory=list)
    previews: list[dict[str, Any]] = field(default_factory=list)
    state: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def thing(name: str, props: Mapping[str, Any] | None = None, **opts: Any) -> Any:
    """A toy ``Thing`` named ``name`` (its ``name`` input too)."""
    provider = opts.pop("provider", None)
    return toy.Thing(
        name, {"name": name, **(props or {})}, pulumi.ResourceOptions(**opts), provider
    )


def chain(*specs: tuple[str, dict[str, Any]], **opts: Any) -> Program:
    """A program of things, each depending on the one before it."""

    def program() -> None:
        before = None
        for name, props in specs:
            extra = dict(opts.get(name, {}))
            if before is not None:
                extra["depends_on"] = [before, *extra.get("depends_on", [])]
            before = thing(name, props, **extra)

    return program


def _drift_size(name: str, size: int) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        with toy.cloud(folder) as data:
            for thing_id, found in data["things"].items():
                if found.get("name") == name:
                    data["things"][thing_id] = {**found, "size": size}

    return edit


def _gone(name: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        with toy.cloud(folder) as data:
            data["things"] = {k: v for k, v in data["things"].items() if v.get("name") != name}

    return edit


def _component() -> None:
    box = toy.Box("box", [1])  # one child: children are created at once, ids in any order
    thing("after", depends_on=[box])


def _secrets(password: str) -> Program:
    def program() -> None:
        t = thing(
            "s",
            {"password": pulumi.Output.secret(password)},
            additional_secret_outputs=["serial"],
        )
        pulumi.export("password", t.password)  # type: ignore[attr-defined]
        pulumi.export("serial", t.serial)

    return program


def _nested_secret(password: str) -> Program:
    def program() -> None:
        creds = {"user": "admin", "password": pulumi.Output.secret(password)}
        t = thing("n", {"creds": creds, "list": [1, pulumi.Output.secret(2)]})
        pulumi.export("creds", t.creds)  # type: ignore[attr-defined]

    return program


def _reader(thing_id: str) -> Program:
    def program() -> None:
        found = toy.Thing("seen", {"name": "seen"}, pulumi.ResourceOptions(id=thing_id))
        pulumi.export("serial", found.serial)

    return program


def _made_elsewhere(folder: Path) -> None:
    with toy.cloud(folder) as data:
        data["things"]["made-elsewhere"] = {"name": "seen", "size": 4, "serial": 40}


A, B = ("a", {"size": 1}), ("b", {"size": 1})

SCENARIOS: list[Scenario] = [
    Scenario(
        "create, then nothing to do",
        [("preview", chain(A, B)), ("up", chain(A, B)), ("preview", chain(A, B))],
    ),
    Scenario(
        "update in place",
        [
            ("up", chain(A, B)),
            ("preview", chain(("a", {"size": 2}), B)),
            ("up", chain(("a", {"size": 2}), B)),
        ],
    ),
    Scenario(
        "replacement, create before delete",
        [
            ("up", chain(A, B)),
            ("preview", chain(("a", {"size": 1, "zone": "z2"}), B)),
            ("up", chain(("a", {"size": 1, "zone": "z2"}), B)),
        ],
    ),
    Scenario(
        "replacement, delete before replace",
        [
            ("up", chain(A, B, a={"delete_before_replace": True})),
            (
                "preview",
                chain(("a", {"size": 1, "zone": "z2"}), B, a={"delete_before_replace": True}),
            ),
            ("up", chain(("a", {"size": 1, "zone": "z2"}), B, a={"delete_before_replace": True})),
        ],
    ),
    Scenario(
        "delete a resource",
        [("up", chain(A, B)), ("preview", chain(A)), ("up", chain(A))],
    ),
    Scenario(
        "ignore_changes",
        [
            ("up", chain(("a", {"size": 1, "tags": {"x": 1, "y": 1}}))),
            (
                "preview",
                chain(
                    ("a", {"size": 3, "tags": {"x": 2, "y": 2}}),
                    a={"ignore_changes": ["size", "tags.x"]},
                ),
            ),
            (
                "up",
                chain(
                    ("a", {"size": 3, "tags": {"x": 2, "y": 2}}),
                    a={"ignore_changes": ["size", "tags.x"]},
                ),
            ),
        ],
    ),
    Scenario(
        "retain_on_delete and protect",
        [
            ("up", chain(A, B, a={"retain_on_delete": True}, b={"protect": True})),
            ("up", chain(B, b={"protect": True})),
            ("up", chain(B)),
            ("preview", chain()),
        ],
    ),
    Scenario(
        "aliases",
        [
            ("up", chain(A)),
            ("preview", chain(("a2", {"size": 1}), a2={"aliases": [pulumi.Alias(name="a")]})),
            ("up", chain(("a2", {"size": 1}), a2={"aliases": [pulumi.Alias(name="a")]})),
        ],
    ),
    Scenario(
        "replace_on_changes and replacement_trigger",
        [
            (
                "up",
                chain(
                    ("a", {"size": 1}),
                    a={"replace_on_changes": ["size"], "replacement_trigger": "v1"},
                ),
            ),
            (
                "preview",
                chain(
                    ("a", {"size": 2}),
                    a={"replace_on_changes": ["size"], "replacement_trigger": "v1"},
                ),
            ),
            (
                "preview",
                chain(
                    ("a", {"size": 1}),
                    a={"replace_on_changes": ["size"], "replacement_trigger": "v2"},
                ),
            ),
            (
                "up",
                chain(
                    ("a", {"size": 1}),
                    a={"replace_on_changes": ["size"], "replacement_trigger": "v2"},
                ),
            ),
        ],
    ),
    Scenario(
        "refresh: drift and a resource gone",
        [
            ("up", chain(A, B)),
            ("drift", _drift_size("a", 7)),
            ("drift", _gone("b")),
            ("refresh", chain(A, B)),
            ("preview", chain(A, B)),
        ],
    ),
    Scenario(
        "components and children",
        [("preview", _component), ("up", _component), ("destroy", _component)],
    ),
    Scenario(
        "secrets",
        [("up", _secrets("pw-one")), ("preview", _secrets("pw-two")), ("up", _secrets("pw-two"))],
        config={"toy:token": Secret("token-value")},
    ),
    Scenario(
        "secrets nested in inputs",
        [
            ("up", _nested_secret("pw-one")),
            ("preview", _nested_secret("pw-two")),
            ("up", _nested_secret("pw-two")),
        ],
    ),
    Scenario(
        "a read (get)",
        [
            ("drift", _made_elsewhere),
            ("preview", _reader("made-elsewhere")),
            ("up", _reader("made-elsewhere")),
            ("up", chain()),
        ],
    ),
    Scenario(
        "a failed create, then the rerun",
        [("up", chain(A, ("b", {"fail_create": True}))), ("up", chain(A, ("b", {"size": 1})))],
    ),
    Scenario("destroy", [("up", chain(A, B)), ("destroy", chain(A, B))]),
]


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in sorted(value.items()) if k not in _NOISE}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _preview_steps(digest: Mapping[str, Any]) -> list[dict[str, Any]]:
    steps = [
        _clean(s)
        for s in digest.get("steps") or []
        if "pulumi:providers:" not in str(s.get("urn", ""))
    ]
    return sorted(steps, key=lambda s: (s["urn"], s["op"]))


def _calls(folder: Path) -> list[dict[str, Any]]:
    found = []
    for call in toy.read_cloud(folder).get("calls", []):
        kept = {k: v for k, v in call.items() if k not in ("pid", "started", "ended")}
        found.append(_clean(kept))
    return found


def _by_resource(calls: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for call in calls:
        grouped.setdefault(str(call.get("name")), []).append(call)
    return grouped


def _state(stack: Stack) -> list[dict[str, Any]]:
    rows = []
    for res in stack.resources():
        if res.type.startswith("pulumi:providers:"):
            continue
        rows.append(
            _clean(
                {
                    "urn": res.urn,
                    "type": res.type,
                    "custom": res.custom,
                    "id": res.id,
                    "inputs": _plain(res.inputs),
                    "outputs": _plain(res.outputs),
                    "parent": res.parent,
                    "dependencies": sorted(res.dependencies),
                    "protect": res.protect,
                    "retainOnDelete": res.retain_on_delete,
                    "external": res.external,
                    "pendingReplacement": res.pending_replacement,
                    "delete": res.delete,
                }
            )
        )
    return sorted(rows, key=lambda r: r["urn"])


def _plain(props: Mapping[str, Any]) -> Any:
    from flexus_pulumi.offline.properties import SecretValue

    def walk(value: Any) -> Any:
        if isinstance(value, SecretValue):
            return {"secret": walk(value.value)}
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items() if k != "__provider"}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return walk(dict(props))


def run_scenario(scenario: Scenario, engine: str, folder: Path) -> Run:
    """Run ``scenario`` on ``engine`` (``offline`` or ``cli``) in ``folder``."""
    cloud_dir = folder / "cloud"
    run = Run()
    for op, what in scenario.steps:
        if op == "drift":
            what(cloud_dir)
            continue
        stack = Stack(
            "dev",
            "agree",
            what,
            folder / "state.json",
            config=scenario.config,
            env={"TOY_CLOUD_DIR": str(cloud_dir)},
            output=io.StringIO(),
            engine=engine,  # type: ignore[arg-type]
            project_dir=TOYS,
        )
        with toy.cloud(cloud_dir) as data:
            data["calls"] = []
        try:
            if op == "preview":
                if engine == "cli":
                    digest = stack.cli.preview_json(show_sames=True, show_replacement_steps=True)
                else:
                    digest = stack.preview().to_json(show_sames=True, show_replacement_steps=True)
                run.previews.append({"steps": _preview_steps(digest)})
            elif op == "up":
                stack.up()
            elif op == "refresh":
                stack.refresh()
            elif op == "destroy":
                stack.destroy()
        except DriverError as exc:
            run.errors.append(f"{op}: {type(exc).__name__}")
        run.calls.extend(c for c in _calls(cloud_dir) if c["call"] != "configure")
        run.calls.append({"call": f"-- end of {op}"})
    last = Stack(
        "dev",
        "agree",
        chain(),
        folder / "state.json",
        env={"TOY_CLOUD_DIR": str(cloud_dir)},
        output=io.StringIO(),
        engine=engine,  # type: ignore[arg-type]
        project_dir=TOYS,
    )
    run.state = _state(last)
    return run


def _first_difference(a: Any, b: Any, path: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                side = "driver" if key in a else "engine"
                return (
                    f"{path}.{key} only in the {side}'s" if path else f"{key} only in the {side}'s"
                )
            found = _first_difference(a[key], b[key], f"{path}.{key}" if path else str(key))
            if found:
                return found
        return ""
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} in the driver's, {len(b)} in the engine's"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = _first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return ""
    return "" if a == b else f"{path}: {json.dumps(a)} vs {json.dumps(b)}"


@dataclass
class Verdict:
    """Agreement of one scenario on each aspect (``""``: agree; else the first difference),
    and how much was compared (provider calls, preview steps, resources in the state)."""

    scenario: str
    calls: str
    preview: str
    state: str
    errors: str
    compared: tuple[int, int, int] = (0, 0, 0)

    @property
    def agrees(self) -> bool:
        """Whether both engines did the same on every aspect."""
        return not (self.calls or self.preview or self.state or self.errors)


def compare(offline: Run, cli: Run, scenario: str) -> Verdict:
    """Where ``offline`` and ``cli`` differ, aspect by aspect."""
    calls = _first_difference(_by_resource(offline.calls), _by_resource(cli.calls))
    if not calls:
        ends = [c for c in offline.calls if c["call"].startswith("--")]
        calls = _first_difference(ends, [c for c in cli.calls if c["call"].startswith("--")])
    return Verdict(
        scenario,
        calls,
        _first_difference(offline.previews, cli.previews),
        _first_difference(offline.state, cli.state),
        _first_difference(offline.errors, cli.errors),
        (
            sum(1 for c in cli.calls if not c["call"].startswith("--")),
            sum(len(p["steps"]) for p in cli.previews),
            len(cli.state),
        ),
    )


def measure(folder: Path) -> list[Verdict]:
    """Every scenario on both engines, compared."""
    verdicts = []
    for i, scenario in enumerate(SCENARIOS):
        runs = {}
        for engine in ("offline", "cli"):
            where = folder / f"{i:02d}-{engine}"
            where.mkdir(parents=True)
            runs[engine] = run_scenario(scenario, engine, where)
        verdicts.append(compare(runs["offline"], runs["cli"], scenario.name))
    return verdicts


def table(verdicts: list[Verdict]) -> str:
    """The README's table: a row per scenario, ✓ where both engines agree."""

    def cell(diff: str) -> str:
        return "✓" if not diff else f"✗ {diff}"

    lines = [
        "| scenario | provider calls | preview JSON | final state | errors |",
        "| --- | --- | --- | --- | --- |",
    ]
    for v in verdicts:
        lines.append(
            f"| {v.scenario} | {cell(v.calls)} | {cell(v.preview)} | {cell(v.state)} | {cell(v.errors)} |"
        )
    return "\n".join(lines)


def main() -> int:
    """Print the agreement table."""
    with tempfile.TemporaryDirectory(prefix="flexus-agreement-") as folder:
        verdicts = measure(Path(folder))
    print(table(verdicts))
    return 0 if all(v.agrees for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
