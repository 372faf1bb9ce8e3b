"""Rules of the ECS calls used on a Flexus L server (public ECS API docs).

Server name 1–64 characters; description 0–85 without ``<`` ``>``; hostname 1–64
characters in dot-separated labels; admin password 8–26 characters of at least three
character classes, without ``root``/``Administrator`` or their reverses — and, on Windows
servers only, without 3 consecutive characters of ``Administrator``.
"""

from __future__ import annotations

import re
from typing import Any

from .problems import Problem

SERVER_NAME_MAX = 64
SERVER_NAME_RE = re.compile(r"[\w.\-\u4e00-\u9fff]+")  # the whole value (fullmatch)
SERVER_DESCRIPTION_MAX = 85
HOSTNAME_MAX = 64
HOSTNAME_LABEL_RE = re.compile(r"[A-Za-z0-9-]+")  # a whole label (fullmatch)
PASSWORD_LENGTH = (8, 26)
PASSWORD_SPECIALS = "!@%-_=+[]:./?"  # noqa: S105 - the allowed characters, not a password
PASSWORD_FORBIDDEN = ("root", "administrator")
#: No run of this many consecutive characters of ``Administrator`` (any case) may appear in
#: the password of a **Windows** server. Huawei Cloud's ECS password complexity requirements
#: (User Guide, "Changing the Login Password on an ECS", and the FAQ "Are ECSs with Simple
#: Passwords Easily Attacked?", https://support.huaweicloud.com/intl/en-us/ecs_faq/ecs_faq_0030.html):
#: "Cannot contain more than two consecutive characters in the same sequence as they appear
#: in the username. (This requirement applies only to Windows ECSs.)" The batch reset API
#: page (ecs_02_0306) lists the rule without naming the OS; the user guide binds it.
ADMINISTRATOR_RUN = 3
BATCH_ACTION_MAX = 1000
REBOOT_TYPES = ("SOFT", "HARD")


def check_server_name(value: Any, field: str = "name") -> list[Problem]:
    """1–64 characters: letters, digits, Chinese characters, ``_``, ``-``, ``.``."""
    if not isinstance(value, str) or value == "":
        return [Problem(field, "required", "is required: 1-64 characters")]
    problems = []
    if len(value) > SERVER_NAME_MAX:
        problems.append(Problem(field, "length", f"is {len(value)} characters long; at most 64"))
    if not SERVER_NAME_RE.fullmatch(value):
        problems.append(
            Problem(field, "pattern", f"{value!r} may use only letters, digits, '_', '-' and '.'")
        )
    return problems


def check_server_description(value: Any, field: str = "description") -> list[Problem]:
    """0–85 characters, no ``<`` or ``>``."""
    if not isinstance(value, str):
        return [Problem(field, "type", "must be a string of 0-85 characters")]
    problems = []
    if len(value) > SERVER_DESCRIPTION_MAX:
        problems.append(Problem(field, "length", f"is {len(value)} characters long; at most 85"))
    if "<" in value or ">" in value:
        problems.append(Problem(field, "pattern", "must not contain '<' or '>'"))
    return problems


def check_hostname(value: Any, field: str = "hostname") -> list[Problem]:
    """1–64 characters; labels of letters, digits and ``-`` separated by single dots; no label
    starts or ends with ``-``; no leading, trailing or doubled ``.`` or ``-``."""
    if not isinstance(value, str) or value == "":
        return [Problem(field, "required", "is required: 1-64 characters")]
    problems = []
    if len(value) > HOSTNAME_MAX:
        problems.append(Problem(field, "length", f"is {len(value)} characters long; at most 64"))
    labels = value.split(".")
    if any(label == "" for label in labels):
        problems.append(
            Problem(
                field, "pattern", f"{value!r} has an empty label (leading, trailing or doubled '.')"
            )
        )
    elif not all(HOSTNAME_LABEL_RE.fullmatch(label) for label in labels):
        problems.append(
            Problem(field, "pattern", f"{value!r} may use only letters, digits, '-' and '.'")
        )
    elif any(label.startswith("-") or label.endswith("-") for label in labels) or "--" in value:
        problems.append(
            Problem(field, "pattern", f"{value!r}: '-' may not start or end a label or be doubled")
        )
    return problems


def check_password(
    value: Any, field: str = "admin_password", *, os_family: str | None = None
) -> list[Problem]:
    """8–26 characters, at least 3 of upper/lower/digit/special (``!@%-_=+[]:./?``), only those
    characters, not containing ``root``/``Administrator`` or their reverses; for a Windows
    server (``os_family="windows"``, see :data:`ADMINISTRATOR_RUN`) nor 3 consecutive
    characters of ``Administrator`` — a rule not applied when the OS is not known.
    The message never repeats the password."""
    if not isinstance(value, str) or value == "":
        return [Problem(field, "required", "is required: 8-26 characters")]
    problems = []
    low, high = PASSWORD_LENGTH
    if not low <= len(value) <= high:
        problems.append(Problem(field, "length", f"must be {low}-{high} characters long"))
    classes = [
        any(c.isupper() and c.isascii() for c in value),
        any(c.islower() and c.isascii() for c in value),
        any(c.isdigit() for c in value),
        any(c in PASSWORD_SPECIALS for c in value),
    ]
    if sum(classes) < 3:
        problems.append(
            Problem(
                field,
                "complexity",
                "must mix at least 3 of: upper case, lower case, digits, "
                f"special characters ({PASSWORD_SPECIALS})",
            )
        )
    bad = sorted(
        {c for c in value if not (c.isascii() and c.isalnum()) and c not in PASSWORD_SPECIALS}
    )
    if bad:
        problems.append(
            Problem(field, "pattern", f"may use only letters, digits and {PASSWORD_SPECIALS}")
        )
    lowered = value.lower()
    for word in PASSWORD_FORBIDDEN:
        if word in lowered or word[::-1] in lowered:
            problems.append(
                Problem(field, "forbidden", f"must not contain {word!r} or its reverse")
            )
    if (
        os_family == "windows"
        and not any("administrator" in p.message for p in problems)
        and _administrator_run(lowered)
    ):
        problems.append(
            Problem(
                field,
                "forbidden",
                f"must not contain {ADMINISTRATOR_RUN} or more consecutive characters of "
                "'Administrator' (any case) on a Windows server",
            )
        )
    return problems


def _administrator_run(lowered: str) -> bool:
    word = "administrator"
    runs = {word[i : i + ADMINISTRATOR_RUN] for i in range(len(word) - ADMINISTRATOR_RUN + 1)}
    return any(run in lowered for run in runs)


def check_server_ids(value: Any, field: str = "servers") -> list[Problem]:
    """1–1000 ``{id}`` objects (ECS batch actions)."""
    if not isinstance(value, list) or not value:
        return [Problem(field, "required", "must list at least one {id}")]
    problems = []
    if len(value) > BATCH_ACTION_MAX:
        problems.append(Problem(field, "range", f"{len(value)} servers; at most 1000 per call"))
    for i, item in enumerate(value):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(Problem(f"{field}[{i}].id", "required", "is required"))
    return problems
