"""Product code keeps no mutable state at module level, but for the few holders named here.

A dynamic provider is unpickled afresh for each call and the engine runs four calls at once
in one process: what one call learns (the orders it placed, what a replacement replaces)
must live in the one holder ``configure()`` makes (``providers.settings.ProviderProcess``,
with its ledger) and be passed on from there — a module-level set or dict would outlive the
stack it belongs to, be shared by stacks in one process, or be read by the wrong call. This
test reads every module of the package and fails when a module-level name is rebound
(``global``) or mutated (``name.add(…)``, ``name[k] = v``, …) by a function, unless it is
listed below with why it may be.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "flexus_pulumi"

#: (module, name) → why it may be module state.
ALLOWED = {
    ("providers/settings.py", "_process"): (
        "the one process-wide holder, made by configure() (the provider's entry)"
    ),
    ("providers/program_config.py", "_reviewed"): (
        "program side: which program runs were reviewed, weakly keyed by each run's root "
        "resource, so nothing outlives a run"
    ),
    ("providers/adoption.py", "_claims"): (
        "program side: which resource adopts which instance, weakly keyed by each run's root "
        "resource, so nothing outlives a run"
    ),
}
#: Methods that change a container in place.
MUTATORS = frozenset(
    {
        "add",
        "append",
        "appendleft",
        "clear",
        "difference_update",
        "discard",
        "extend",
        "insert",
        "intersection_update",
        "move_to_end",
        "pop",
        "popitem",
        "remove",
        "reverse",
        "setdefault",
        "sort",
        "symmetric_difference_update",
        "update",
    }
)


def module_names(tree: ast.Module) -> set[str]:
    """Names bound at module level by an assignment."""
    names: set[str] = set()
    for node in tree.body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def changed_in_functions(tree: ast.Module, names: set[str]) -> dict[str, str]:
    """Module-level ``names`` a function rebinds or mutates, with how."""
    found: dict[str, str] = {}
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        local = {a.arg for a in function.args.args + function.args.kwonlyargs}
        for node in ast.walk(function):
            if isinstance(node, ast.Global):
                found.update(dict.fromkeys(node.names, "rebound with `global`"))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                if (
                    isinstance(owner, ast.Name)
                    and owner.id in names - local
                    and node.func.attr in MUTATORS
                ):
                    found.setdefault(owner.id, f"`.{node.func.attr}(…)` in {function.name}()")
            elif isinstance(node, ast.Assign | ast.AugAssign | ast.Delete):
                targets = (
                    node.targets if isinstance(node, ast.Assign | ast.Delete) else [node.target]
                )
                for target in targets:
                    if (
                        isinstance(target, ast.Subscript)
                        and isinstance(target.value, ast.Name)
                        and target.value.id in names - local
                    ):
                        found.setdefault(target.value.id, f"item set in {function.name}()")
    return {n: how for n, how in found.items() if n in names}


def module_state() -> dict[tuple[str, str], str]:
    """Every module-level name of the package a function rebinds or mutates."""
    state: dict[tuple[str, str], str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = path.relative_to(PACKAGE).as_posix()
        for name, how in changed_in_functions(tree, module_names(tree)).items():
            state[(module, name)] = how
    return state


def test_no_module_state_but_the_named_holders() -> None:
    unexpected = {k: v for k, v in module_state().items() if k not in ALLOWED}
    assert not unexpected, (
        "module-level state (keep it in the provider process's holder, "
        "providers.settings.ProviderProcess, and pass it on): "
        + "; ".join(f"{m}: {n} ({how})" for (m, n), how in sorted(unexpected.items()))
    )


def test_every_allowed_holder_still_exists() -> None:
    """An entry that no longer matches anything is removed, so the list stays the truth."""
    assert set(ALLOWED) <= set(module_state())


def test_the_check_finds_state(tmp_path: Path) -> None:
    """The reader sees the shapes that held money state before: a set a function adds to,
    a dict a function fills, a name rebound with ``global``."""
    source = (
        "_placed: set[str] = set()\n"
        "_replaced: dict[str, str] = {}\n"
        "_current = None\n"
        "TABLE = {'month': 2}\n"
        "def record(order_id):\n"
        "    _placed.add(order_id)\n"
        "def remember(key, prior):\n"
        "    _replaced[key] = prior\n"
        "def configure(value):\n"
        "    global _current\n"
        "    _current = value\n"
        "def read(key):\n"
        "    return TABLE.get(key)\n"
    )
    tree = ast.parse(source)
    assert set(changed_in_functions(tree, module_names(tree))) == {
        "_placed",
        "_replaced",
        "_current",
    }
