"""Secrets never reach the comment, in either form Pulumi writes them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from flexus_pulumi.prcomment import PreviewDigest, render_comment

#: Every secret plain text in data/secret.json.
SECRETS = (
    "Sup3r-Secr3t!pass",  # signature object in inputs and outputs, and echoed by a diagnostic
    "An0ther-Secr3t#pw",  # signature object in a create
    "plain-Old-Pw-77",  # not marked secret, under a sensitive property name
    "plain-New-Pw-88",
    "cfg-Secret-Value-42",  # stack config
)


def _assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def test_no_secret_in_the_comment(comment: Callable[..., str]) -> None:
    text = comment("secret")
    _assert_no_secret(text)
    # the engine's JSON masks both sides: whether the secret changes is not shown
    assert (
        "- ✏️ update `web-1` (Instance): no visible input changed: a secret (`admin_password`) "
        "or the servers' drift from their inputs"
    ) in text
    assert "| `db_password` | 🔒 `[secret]` | 🔒 `[secret]` |" in text
    assert "password [secret] is weak: add symbols" in text
    # web-2 is still bought, with its other properties shown
    assert "| `web-2` | 1 | `hf.large.1.30m.linux`" in text
    assert '| `tags` | `{"owner": "ops"}` |' in text


@pytest.mark.parametrize("limit", [2_500, 4_000])
def test_no_secret_when_shortened_or_split(
    digest: Callable[[str], PreviewDigest], limit: int
) -> None:
    preview = digest("secret")
    for text in render_comment(preview, limit=limit) + render_comment(
        preview, limit=limit, split=True
    ):
        assert len(text) <= limit
        _assert_no_secret(text)


def test_no_secret_in_the_parsed_model(digest: Callable[[str], PreviewDigest]) -> None:
    preview = digest("secret")
    _assert_no_secret(preview.model_dump_json())
    _assert_no_secret(repr(preview))
    assert preview.config["flexus:secretKey"] == "[secret]"
    assert preview.config["flexus:accessKey"] == "AKIAEXAMPLE"  # not a secret name, kept
    step = preview.steps[0]
    assert step.new_state is not None
    assert step.new_state.inputs["admin_password"] == "[secret]"
    assert step.old_state is not None
    assert step.old_state.outputs["admin_password"] == "[secret]"


def test_ciphertext_secrets_and_nested_sensitive_values() -> None:
    urn = "urn:pulumi:dev::p::custom:index:Thing::t"
    sig = "4dabf18193072939515e22adb298388d"
    preview = PreviewDigest.model_validate(
        {
            "steps": [
                {
                    "op": "create",
                    "urn": urn,
                    "newState": {
                        "urn": urn,
                        "custom": True,
                        "type": "custom:index:Thing",
                        "inputs": {
                            "blob": {
                                sig: "1b47061264138c4ac30d75fd1eb44270",
                                "ciphertext": "v1:AAAA",
                            },
                            "db": {"user": "app", "password": "nested-Pw-0001"},
                            "client_secret": ["lsx-Secret-0002"],
                            "token_ttl": 3600,
                            "note": "mentions nested-Pw-0001 in passing",
                        },
                    },
                }
            ]
        }
    )
    (text,) = render_comment(preview)
    assert "v1:AAAA" not in text
    assert "nested-Pw-0001" not in text
    assert "lsx-Secret-0002" not in text
    assert "| `token_ttl` | `3600` |" in text  # numbers under sensitive names stay
    assert '"user": "app"' in text
    assert "mentions [secret] in passing" in text
