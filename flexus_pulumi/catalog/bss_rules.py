"""Rules of the BSS (CBC) calls: renew, unsubscribe, traffic usage (public BSS API docs)."""

from __future__ import annotations

from typing import Any

from .problems import Problem, as_int

RESOURCE_IDS_MAX = 10
FREE_RESOURCE_IDS_MAX = 100
FREE_RESOURCE_ID_MAX_LEN = 64
#: BSS's period type codes (renewal requests, order line items), the one table of them.
PERIOD_CODES: dict[str, int] = {"month": 2, "year": 3}
#: The period unit of each BSS code.
RENEW_PERIOD_TYPES: dict[int, str] = {code: unit for unit, code in PERIOD_CODES.items()}
#: Months in one period of each unit.
MONTHS_PER_UNIT: dict[str, int] = {"month": 1, "year": 12}
RENEW_PERIOD_RANGES = {PERIOD_CODES["month"]: (1, 11), PERIOD_CODES["year"]: (1, 3)}
UNSUBSCRIBE_TYPES = {1: "resource and its renewals", 2: "renewed periods only"}
UNSUBSCRIBE_REASON_TYPES = (1, 2, 3, 4, 5)


def check_resource_ids(
    value: Any, field: str = "resource_ids", most: int = RESOURCE_IDS_MAX
) -> list[Problem]:
    """1–``most`` non-empty resource ids."""
    if not isinstance(value, list) or not value:
        return [Problem(field, "required", f"must list 1-{most} resource ids")]
    problems = []
    if len(value) > most:
        problems.append(Problem(field, "range", f"{len(value)} ids; at most {most} per call"))
    for i, rid in enumerate(value):
        if not isinstance(rid, str) or not rid:
            problems.append(Problem(f"{field}[{i}]", "type", "must be a non-empty string"))
    return problems


def check_renew(body: dict[str, Any]) -> list[Problem]:
    """``period_type`` 2 (month, 1–11) or 3 (year, 1–3); ``is_auto_pay`` 0/1; ids ≤ 10."""
    problems = check_resource_ids(body.get("resource_ids"))
    ptype = as_int(body.get("period_type"))
    num = as_int(body.get("period_num"))
    if ptype not in RENEW_PERIOD_TYPES:
        problems.append(Problem("period_type", "enum", "must be 2 (month) or 3 (year)"))
    if num is None:
        problems.append(Problem("period_num", "type", "must be a whole number"))
    elif ptype in RENEW_PERIOD_RANGES:
        low, high = RENEW_PERIOD_RANGES[ptype]
        if not low <= num <= high:
            problems.append(
                Problem(
                    "period_num",
                    "range",
                    f"{num} is out of range: {low}-{high} {RENEW_PERIOD_TYPES[ptype]}s",
                )
            )
    pay = body.get("is_auto_pay")
    if pay is not None and as_int(pay) not in (0, 1):
        problems.append(Problem("is_auto_pay", "enum", "must be 0 (no) or 1 (yes)"))
    return problems


def check_unsubscribe(body: dict[str, Any]) -> list[Problem]:
    """``unsubscribe_type`` 1 or 2; reason type 1–5 when given; ids ≤ 10."""
    problems = check_resource_ids(body.get("resource_ids"))
    utype = as_int(body.get("unsubscribe_type"))
    if utype not in UNSUBSCRIBE_TYPES:
        problems.append(
            Problem(
                "unsubscribe_type", "enum", "must be 1 (resource and renewals) or 2 (renewals only)"
            )
        )
    reason = body.get("unsubscribe_reason_type")
    if reason is not None and as_int(reason) not in UNSUBSCRIBE_REASON_TYPES:
        problems.append(Problem("unsubscribe_reason_type", "enum", "must be 1-5"))
    return problems


def check_free_resource_query(body: dict[str, Any]) -> list[Problem]:
    """1–100 traffic package ids of at most 64 characters each."""
    problems = check_resource_ids(
        body.get("free_resource_ids"), "free_resource_ids", FREE_RESOURCE_IDS_MAX
    )
    for i, rid in enumerate(body.get("free_resource_ids") or []):
        if isinstance(rid, str) and len(rid) > FREE_RESOURCE_ID_MAX_LEN:
            problems.append(Problem(f"free_resource_ids[{i}]", "length", "at most 64 characters"))
    return problems
