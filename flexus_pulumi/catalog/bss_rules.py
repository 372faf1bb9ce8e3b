"""Rules of the BSS (CBC) calls: renew, unsubscribe, traffic usage, the yearly/monthly
resource list (public BSS API docs and the official SDK's request models)."""

from __future__ import annotations

import re
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
#: The yearly/monthly resource list (``ListPayPerUseCustomerResources``): ids per query,
#: resource statuses (2 in use, 3 closed, 4 frozen, 5 expired), the default page size.
RESOURCE_QUERY_IDS_MAX = 50
RESOURCE_STATUSES = {2: "in use", 3: "closed", 4: "frozen", 5: "expired"}
RESOURCE_QUERY_DEFAULT_LIMIT = 10
#: UTC times of its ``expire_time_begin`` / ``expire_time_end`` (``2019-05-06T08:05:01Z``).
UTC_SECONDS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


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


def _whole(body: dict[str, Any], field: str, low: int, high: int | None) -> list[Problem]:
    value = body.get(field)
    if value is None:
        return []
    number = as_int(value) if not isinstance(value, str) else None
    if number is None or number < low or (high is not None and number > high):
        where = f"{low}-{high}" if high is not None else f"{low} or more"
        return [Problem(field, "range", f"{value!r}: use a whole number, {where}")]
    return []


def _statuses(value: Any) -> bool:
    return isinstance(value, list) and all(
        not isinstance(v, str) and as_int(v) in RESOURCE_STATUSES for v in value
    )


def check_resource_query(body: dict[str, Any], *, max_limit: int | None = None) -> list[Problem]:
    """The body of the yearly/monthly resource list (``QueryResourcesReq``): 0-50
    ``resource_ids``; ``only_main_resource`` 0/1; ``status_list`` of 2-5; ``offset`` ≥ 0;
    ``limit`` ≥ 1 (and ≤ ``max_limit`` when given); ``expire_time_begin`` /
    ``expire_time_end`` as ``YYYY-MM-DDTHH:MM:SSZ``; ``service_type_code`` and ``order_id``
    non-empty text when given."""
    problems: list[Problem] = []
    ids = body.get("resource_ids")
    if ids is not None:
        if not isinstance(ids, list):
            problems.append(Problem("resource_ids", "type", "must be a list of resource ids"))
        else:
            if len(ids) > RESOURCE_QUERY_IDS_MAX:
                problems.append(
                    Problem(
                        "resource_ids",
                        "range",
                        f"{len(ids)} ids; at most {RESOURCE_QUERY_IDS_MAX} per query",
                    )
                )
            for i, rid in enumerate(ids):
                if not isinstance(rid, str) or not rid:
                    problems.append(
                        Problem(f"resource_ids[{i}]", "type", "must be a non-empty string")
                    )
    main = body.get("only_main_resource")
    if main is not None and (isinstance(main, str) or as_int(main) not in (0, 1)):
        problems.append(
            Problem("only_main_resource", "enum", "must be 0 (with sub-resources) or 1")
        )
    statuses = body.get("status_list")
    if statuses is not None and not _statuses(statuses):
        codes = ", ".join(f"{k} ({v})" for k, v in RESOURCE_STATUSES.items())
        problems.append(Problem("status_list", "enum", f"must list statuses among {codes}"))
    problems += _whole(body, "offset", 0, None)
    problems += _whole(body, "limit", 1, max_limit)
    for field in ("expire_time_begin", "expire_time_end"):
        value = body.get(field)
        if value is not None and (not isinstance(value, str) or not UTC_SECONDS.match(value)):
            problems.append(
                Problem(field, "format", f"{value!r}: use UTC like 2019-05-06T08:05:01Z")
            )
    for field in ("service_type_code", "order_id", "customer_id"):
        value = body.get(field)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            problems.append(Problem(field, "type", "must be non-empty text when given"))
    return problems
