"""The layers a newcomer can see (DESIGN.md): each package imports only from the layers
above it, product code never imports the test harness, and the PR comment reads our
shared description of resource types, not provider internals."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "flexus_pulumi"

#: package (or module) → the flexus_pulumi packages it may not import.
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "common": ("*",),
    "catalog": ("cloud", "schema", "engine", "providers", "components", "emulator", "offline"),
    "schema": ("cloud", "engine", "providers", "components", "emulator", "offline"),
    "cloud": ("schema", "engine", "providers", "components", "emulator", "offline", "testing"),
    "emulator": ("engine", "providers", "components", "offline", "testing", "prcomment"),
    "engine": ("providers", "components", "emulator", "offline", "testing", "prcomment"),
    "providers": ("components", "emulator", "offline", "testing", "prcomment"),
    "components": ("emulator", "offline", "testing", "prcomment"),
    "prcomment": ("cloud", "engine", "providers", "components", "emulator", "offline", "testing"),
    "offline": ("testing",),
    "orphans": ("providers", "components", "emulator", "offline", "testing", "prcomment"),
    "report": ("providers", "components", "emulator", "offline", "testing"),
    "cli": ("testing",),
    "demo": ("testing",),
    "functions": ("testing", "offline", "emulator"),
}


def imports_of(path: Path) -> set[str]:
    """The flexus_pulumi packages a module imports (absolute and relative)."""
    tree = ast.parse(path.read_text())
    depth = len(path.relative_to(PACKAGE).parts) - 1
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = list(path.relative_to(PACKAGE).parts[:depth])
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                module = ".".join(["flexus_pulumi", *base, *module.split(".")]).rstrip(".")
            # "from flexus_pulumi import catalog" imports the package catalog
            names = [f"{module}.{a.name}" for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "flexus_pulumi" and len(parts) > 1:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_from_above(layer: str) -> None:
    target = PACKAGE / layer
    files = sorted(target.rglob("*.py")) if target.is_dir() else [PACKAGE / f"{layer}.py"]
    forbidden = FORBIDDEN[layer]
    for path in files:
        used = imports_of(path) - {layer}
        bad = sorted(used if forbidden == ("*",) else used & set(forbidden))
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"
