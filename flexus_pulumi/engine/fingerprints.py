"""Secrets in state as salted, slow fingerprints, never as text.

A provider must notice when ``admin_password`` changes, but its outputs land in the
Pulumi state. So outputs hold ``pbkdf2_sha256$iterations$salt$digest`` and the diff
checks the new value against it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ITERATIONS = 120_000


def fingerprint(secret: str, *, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    """A salted PBKDF2-SHA256 fingerprint of ``secret`` (a new random salt by default)."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", secret.encode(), salt.encode(), iterations).hex()
    return f"pbkdf2_sha256${iterations}${salt}${digest}"


def matches(secret: str | None, stored: str | None) -> bool:
    """Whether ``secret`` is the value ``stored`` was made from (both None: yes)."""
    if secret is None or stored is None:
        return secret is None and stored is None
    try:
        scheme, iterations, salt, _ = stored.split("$")
    except ValueError:
        return False
    if scheme != "pbkdf2_sha256":
        return False
    again = fingerprint(secret, salt=salt, iterations=int(iterations))
    return hmac.compare_digest(again, stored)


def password_unchanged(olds: dict[str, object], news: dict[str, object]) -> bool:
    """Whether the new ``admin_password`` (None: not managed) is the one old outputs'
    ``admin_password_fingerprint`` was made from."""
    password = news.get("admin_password")
    stored = olds.get("admin_password_fingerprint")
    return password is None or matches(str(password), stored if isinstance(stored, str) else None)
