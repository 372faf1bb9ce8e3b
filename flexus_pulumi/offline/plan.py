"""Plans: what a run will do or did, in the shape of ``pulumi preview --json``.

:meth:`Plan.to_json` returns a PreviewDigest as the CLI prints it (``config``, ``steps``,
``diagnostics``, ``duration`` in nanoseconds, ``changeSummary``). Each step carries ``op``,
``urn``, ``oldState``/``newState`` (ResourceV3: ``urn``, ``custom``, ``type``, ``id``,
``inputs``, ``outputs``, ``parent``, ``dependencies``), ``diffReasons``,
``replaceReasons`` and ``detailedDiff`` (``{prop: {"kind", "inputDiff"}}``). Secret values
read ``"[secret]"``; values not known until the resource exists read as Pulumi's unknown
sentinel. ``changeSummary`` counts logical steps only, as the engine does: a replacement
counts once as ``replace`` (its ``create-replacement`` and ``delete-replaced`` steps are not
counted).

A ``refresh`` plan has one ``refresh`` step per resource read and counts them as ``same``,
``update`` (drift) or ``delete`` (gone), like the CLI's refresh summary.

A step whose resource has an error diagnostic failed: the engine counts a step only once it
succeeded (engine/update.go ``OnResourceStepPost``), so neither :attr:`Plan.counts` nor
the rendered summary counts it; the summary says how many resources errored instead.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .properties import SECRET_MASK, UNKNOWN_WIRE, diff_inputs
from .state import STACK_TYPE, urn_name, urn_type
from .steps import (
    CREATE,
    CREATE_REPLACEMENT,
    DELETE,
    DELETE_REPLACED,
    DISCARD_REPLACED,
    READ,
    READ_DISCARD,
    REFRESH,
    REMOVE_PENDING_REPLACE,
    REPLACE,
    SAME,
    UPDATE,
)

UNKNOWN = UNKNOWN_WIRE

#: Steps the engine does not count in the change summary (parts of a ``replace``).
_NOT_COUNTED = {CREATE_REPLACEMENT, DELETE_REPLACED, REMOVE_PENDING_REPLACE, DISCARD_REPLACED}

_SYMBOLS = {
    SAME: "  ",
    CREATE: "+ ",
    UPDATE: "~ ",
    DELETE: "- ",
    REPLACE: "+-",
    CREATE_REPLACEMENT: "++",
    DELETE_REPLACED: "--",
    REMOVE_PENDING_REPLACE: "- ",
    READ: "> ",
    READ_DISCARD: "< ",
    DISCARD_REPLACED: "<<",
    REFRESH: "~ ",
}

#: Plan kinds and how their summary words read (future tense for previews).
_KINDS = {
    "preview": ("Previewing update", "to create", "to update", "to replace", "to delete"),
    "update": ("Updating", "created", "updated", "replaced", "deleted"),
    "destroy-preview": ("Previewing destroy", "to create", "to update", "to replace", "to delete"),
    "destroy": ("Destroying", "created", "updated", "replaced", "deleted"),
    "refresh-preview": ("Previewing refresh", "to create", "to update", "to replace", "to delete"),
    "refresh": ("Refreshing", "created", "updated", "replaced", "deleted"),
}


def heading(kind: str, stack: str) -> str:
    """The line a run of ``kind`` starts with: ``Destroying (dev):``."""
    return f"{_KINDS.get(kind, _KINDS['preview'])[0]} ({stack}):"


@dataclass
class Step:
    """One resource step. States are display copies (secrets masked).

    ``logical`` is false for the parts of a replacement (``create-replacement``,
    ``delete-replaced``); ``counted_as`` says how a ``refresh`` step counts.
    """

    op: str
    urn: str
    old_state: dict[str, Any] | None = None
    new_state: dict[str, Any] | None = None
    diff_reasons: list[str] = field(default_factory=list)
    replace_reasons: list[str] = field(default_factory=list)
    detailed_diff: dict[str, dict[str, Any]] | None = None
    counted_as: str | None = None
    provider: str = ""
    logical: bool = True

    @property
    def name(self) -> str:
        """The resource's name."""
        return urn_name(self.urn)

    @property
    def type(self) -> str:
        """The resource's type token."""
        return urn_type(self.urn)

    def changed_inputs(self) -> list[str]:
        """The top-level inputs that differ between the old and the new state: what a
        dynamic provider's step changes (it names none itself)."""
        old = (self.old_state or {}).get("inputs") or {}
        new = (self.new_state or {}).get("inputs") or {}
        return [k for k in diff_inputs(old, new).changed_keys if not k.startswith("__")]

    def to_json(self) -> dict[str, Any]:
        """The PreviewStep form (``omitempty`` fields left out when empty, as in Go)."""
        data: dict[str, Any] = {"op": self.op, "urn": self.urn}
        if self.provider:
            data["provider"] = self.provider
        if self.old_state is not None:
            data["oldState"] = self.old_state
        if self.new_state is not None:
            data["newState"] = self.new_state
        if self.diff_reasons:
            data["diffReasons"] = list(self.diff_reasons)
        if self.replace_reasons:
            data["replaceReasons"] = list(self.replace_reasons)
        data["detailedDiff"] = self.detailed_diff
        return data


@dataclass
class Diagnostic:
    """A message attached to the run (check failures, provider errors, program logs)."""

    message: str
    severity: str = "error"
    urn: str = ""

    def to_json(self) -> dict[str, Any]:
        """The PreviewDiagnostic form: the message as the CLI prints it (``error: `` /
        ``warning: `` prefix, a final newline)."""
        data: dict[str, Any] = {}
        if self.urn:
            data["urn"] = self.urn
        prefix = "" if self.severity == "info" else f"{self.severity}: "
        data["message"] = f"{prefix}{self.message}\n"
        data["severity"] = self.severity
        return data


@dataclass
class Plan:
    """The steps of one run, its diagnostics and the stack's outputs (secrets masked).

    ``kind`` is ``"preview"``, ``"update"``, ``"destroy-preview"``, ``"destroy"``,
    ``"refresh-preview"`` or ``"refresh"``. ``outputs`` are the stack exports after the run (unknown values in a
    preview read as Pulumi's unknown sentinel).
    """

    kind: str
    stack: str
    steps: list[Step] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    config: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    duration_seconds: float = 0.0

    @property
    def failed_urns(self) -> set[str]:
        """The resources whose step failed: those with an error diagnostic."""
        return {d.urn for d in self.diagnostics if d.severity == "error" and d.urn}

    def counted_steps(self) -> list[Step]:
        """The steps the change summary counts: logical ones that did not fail."""
        failed = self.failed_urns
        return [
            s
            for s in self.steps
            if (s.counted_as or s.op) not in _NOT_COUNTED and s.urn not in failed
        ]

    @property
    def counts(self) -> dict[str, int]:
        """The change summary: logical steps per op that did not fail, e.g.
        ``{"create": 3, "same": 1}``."""
        return dict(Counter(s.counted_as or s.op for s in self.counted_steps()))

    @property
    def has_changes(self) -> bool:
        """Whether any step other than ``same`` is planned or was done."""
        return any(op != SAME and n for op, n in self.counts.items())

    def steps_by_op(self, op: str) -> list[Step]:
        """The steps with this op, in plan order."""
        return [s for s in self.steps if s.op == op]

    def step(self, name: str, op: str | None = None) -> Step:
        """The (first) step for the resource named ``name``, optionally of one op."""
        for s in self.steps:
            if s.name == name and (op is None or s.op == op):
                return s
        raise KeyError(f"no {op or ''} step for {name!r}; steps: {self.summary_lines()}")

    def names(self, op: str) -> list[str]:
        """Names of the resources with a step of this op, in plan order."""
        return [s.name for s in self.steps_by_op(op)]

    def shown_steps(
        self, *, show_sames: bool = False, show_replacement_steps: bool = False
    ) -> list[Step]:
        """The steps ``pulumi preview --json`` shows (display.go ``shouldShow``; the
        stack's own step always)."""
        shown = []
        for step in self.steps:
            if step.type != STACK_TYPE:
                if step.op == SAME and not show_sames and not _protect_changed(step):
                    continue
                if not step.logical and not show_replacement_steps:
                    continue
            shown.append(step)
        return shown

    def to_json(
        self, *, show_sames: bool = False, show_replacement_steps: bool = False
    ) -> dict[str, Any]:
        """The PreviewDigest, as ``pulumi preview --json`` prints it; the flags are the
        CLI's ``--show-sames`` and ``--show-replacement-steps`` (default False)."""
        data: dict[str, Any] = {}
        if self.config:
            data["config"] = dict(self.config)
        steps = self.shown_steps(
            show_sames=show_sames, show_replacement_steps=show_replacement_steps
        )
        if steps:
            data["steps"] = [s.to_json() for s in steps]
        if self.diagnostics:
            data["diagnostics"] = [d.to_json() for d in self.diagnostics]
        if self.duration_seconds:
            data["duration"] = int(self.duration_seconds * 1e9)
        if self.counts:
            data["changeSummary"] = self.counts
        return data

    def dumps(self, *, show_sames: bool = False, show_replacement_steps: bool = False) -> str:
        """:meth:`to_json` as indented JSON text."""
        digest = self.to_json(show_sames=show_sames, show_replacement_steps=show_replacement_steps)
        return json.dumps(digest, indent=4)

    def summary_lines(self) -> list[str]:
        """One line per step that changes something: ``"+ create toy:Thing web-1"``."""
        return [
            f"{_SYMBOLS.get(s.op, '  ')}{s.op} {s.type} {s.name}"
            for s in self.steps
            if s.op != SAME and (s.counted_as or s.op) != SAME
        ]

    def render(self, *, details: bool = True, title: bool = True) -> str:
        """The plan as ``pulumi preview --diff`` shows it: changes, diagnostics, summary.

        With ``details=False`` only diagnostics, outputs and the summary (what the CLI
        prints after an update's progress lines). Default True. With ``title=False`` the
        details come without their heading (printed before the progress lines). Default
        True.
        """
        _, created, updated, replaced, deleted = _KINDS.get(self.kind, _KINDS["preview"])
        lines = [heading(self.kind, self.stack)] if details and title else []
        for step in self.steps if details else []:
            if step.op == SAME or not step.logical:
                continue
            if step.op == REFRESH and step.counted_as == SAME:
                continue
            lines.extend(_render_step(step))
        if self.diagnostics:
            lines.append("")
            lines.append("Diagnostics:")
            lines.extend(self._diagnostic_lines())
        if self.outputs:
            lines.append("")
            lines.append("Outputs:")
            for key in sorted(self.outputs):
                lines.append(f"    {key}: {_fmt(self.outputs[key])}")
        lines.append("")
        lines.append("Resources:")
        lines.extend(self._summary_lines(created, updated, replaced, deleted))
        return "\n".join(lines) + "\n"

    def _stack_urn(self) -> str:
        """The stack resource's URN, from its step or from any URN of the run (same
        stack and project)."""
        urns = [s.urn for s in self.steps] + [d.urn for d in self.diagnostics if d.urn]
        for urn in urns:
            if urn_type(urn) == STACK_TYPE:
                return urn
        for urn in urns:
            project = urn.split("::")[1] if urn.count("::") >= 3 else ""
            if project:
                return f"urn:pulumi:{self.stack}::{project}::{STACK_TYPE}::{project}-{self.stack}"
        return ""

    def _failed(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)

    def _diagnostic_lines(self) -> list[str]:
        """Diagnostics by resource, the stack's first (``pulumi:pulumi:Stack (proj-dev):``,
        with the engine's ``update failed`` / ``preview failed`` when the run failed), a
        blank line between resources — as the CLI prints them."""
        stack = self._stack_urn()
        groups: dict[str, list[tuple[str, str]]] = {stack: []}
        for diag in self.diagnostics:
            urn = diag.urn if diag.urn and urn_type(diag.urn) != STACK_TYPE else stack
            groups.setdefault(urn, []).append((diag.severity, diag.message))
        if self._failed():
            verb = "preview" if self.kind in ("preview", "destroy-preview") else "update"
            if ("error", f"{verb} failed") not in groups[stack]:
                groups[stack].append(("error", f"{verb} failed"))
        lines: list[str] = []
        for urn, diags in groups.items():
            if not diags:
                continue
            if lines:
                lines.append("")
            header = f"{urn_type(urn)} ({urn_name(urn)})" if urn else STACK_TYPE
            lines.append(f"  {header}:")
            for severity, message in diags:
                prefix = "" if severity == "info" else f"{severity}: "
                for i, text in enumerate(message.splitlines() or [""]):
                    lines.append(f"    {prefix if i == 0 else ''}{text}")
        return lines

    def _summary_lines(self, created: str, updated: str, replaced: str, deleted: str) -> list[str]:
        """The ``Resources:`` lines (display/diff.go ``renderSummaryEvent``): each kind of
        change, in the engine's order; the total when there are several kinds; unchanged;
        the resources that errored (the stack too when the run failed)."""
        counts = self.counts
        lines: list[str] = []
        kinds = [
            (symbol, counts[op], word)
            for op, symbol, word in (
                (CREATE, "+ ", created),
                (UPDATE, "~ ", updated),
                (DELETE, "- ", deleted),
                (REPLACE, "+-", replaced),
            )
            if counts.get(op)
        ]
        lines.extend(f"    {symbol}{n} {word}" for symbol, n, word in kinds)
        pieces = []
        if len(kinds) >= 2:
            total = sum(n for _, n, _ in kinds)
            pieces.append(f"{total} change{'' if total == 1 else 's'}")
        if counts.get(SAME):
            pieces.append(f"{counts[SAME]} unchanged")
        if pieces:
            lines.append("    " + ". ".join(pieces))
        errored = self.failed_urns - {self._stack_urn()}
        if errored or self._failed():
            lines.append(f"    {len(errored) + 1 if self._failed() else len(errored)} errored")
        return lines

    def __str__(self) -> str:
        return self.render()


def _render_step(step: Step) -> list[str]:
    op = step.counted_as if step.op == REFRESH and step.counted_as else step.op
    symbol = _SYMBOLS.get(op, "  ")
    lines = [f"{symbol} {step.type}: ({step.name}) {op}"]
    old = step.old_state or {}
    new = step.new_state or {}
    if step.op == REFRESH:
        old_props, new_props = old.get("outputs") or {}, new.get("outputs") or {}
    else:
        old_props, new_props = old.get("inputs") or {}, new.get("inputs") or {}
    if op == CREATE:
        for key in sorted(k for k in new_props if not k.startswith("__")):
            lines.append(f"      {key}: {_fmt(new_props[key])}")
    elif op == DELETE:
        if old.get("id"):
            lines.append(f"      [id={old['id']}]")
    else:
        if old.get("id"):
            lines.append(f"      [id={old['id']}]")
        replace = set(step.replace_reasons)
        keys = sorted(
            (step.detailed_diff or {}).keys()
            or set(step.diff_reasons) | replace | set(step.changed_inputs()),
        )
        for key in keys:
            if key.startswith("__"):
                continue
            note = " (forces replacement)" if key in replace else ""
            if key not in old_props:
                lines.append(f"    + {key}: {_fmt(new_props.get(key))}{note}")
            elif key not in new_props:
                lines.append(f"    - {key}: {_fmt(old_props.get(key))}{note}")
            else:
                lines.append(
                    f"    ~ {key}: {_fmt(old_props.get(key))} => {_fmt(new_props.get(key))}{note}"
                )
    return lines


def _protect_changed(step: Step) -> bool:
    old = (step.old_state or {}).get("protect", False)
    new = (step.new_state or {}).get("protect", False)
    return bool(old != new)


def _fmt(value: Any) -> str:
    if value == UNKNOWN:
        return "[unknown]"
    if value == SECRET_MASK:
        return SECRET_MASK
    if isinstance(value, str):
        return json.dumps(value)
    return json.dumps(value, sort_keys=True, default=str)
