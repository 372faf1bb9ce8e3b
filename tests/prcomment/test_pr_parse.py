"""Reading ``pulumi preview --json``: the PreviewDigest shape, noise, and bad input."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from flexus_pulumi.prcomment import PreviewDigest, PreviewError, parse_preview, to_digest
from flexus_pulumi.prcomment.values import MISSING, lookup, parse_path

INSTANCE = "pulumi-python:dynamic/flexus:Instance"


def test_the_engine_shape_for_a_dynamic_provider(digest: Callable[[str], PreviewDigest]) -> None:
    """One ``replace`` step per replacement, ``replaceReasons`` from the provider, no
    ``diffReasons`` and no detailed diff; states with ``provider`` and ``parent``."""
    preview = digest("replace")
    assert [(s.op, s.urn.rsplit("::", 1)[1]) for s in preview.steps] == [
        ("same", "shop-dev"),
        ("replace", "db-instance"),
        ("replace", "db-data-disk"),
        ("replace", "cache"),
        ("replace", "pool"),
    ]
    db = preview.steps[1]
    assert db.replace_reasons == ["plan_spec"]
    assert db.diff_reasons == []
    assert db.detailed_diff == {}
    assert db.old_state is not None
    assert db.new_state is not None
    assert db.old_state.id == "c0ffee000000000000000001"
    assert db.new_state.id == ""  # not known before the step runs
    assert db.old_state.inputs["plan_spec"] == "hf.large.1.30m.linux"
    assert db.new_state.inputs["plan_spec"] == "hf.large.2.30m.linux"
    assert db.old_state.parent.endswith("flexus:index:Server::db")
    assert db.old_state.provider.startswith("urn:pulumi:dev::shop::pulumi:providers:pulumi-python")
    assert db.provider == db.old_state.provider
    disk = preview.steps[2]
    assert disk.replace_reasons == ["instance_id"]
    assert disk.new_state is not None
    assert disk.new_state.property_dependencies["instance_id"] == [db.urn]
    assert preview.change_summary == {"same": 2, "replace": 4}


def test_replacement_steps_and_sames_when_asked(digest: Callable[[str], PreviewDigest]) -> None:
    """``--show-replacement-steps --show-sames``: each replacement as three steps (the
    delete-replaced ones after the program), unchanged resources as ``same``."""
    preview = digest("replace_steps")
    ops = [(s.op, s.urn.rsplit("::", 1)[1]) for s in preview.steps]
    assert ops[:3] == [("same", "shop-dev"), ("same", "db"), ("create-replacement", "db-instance")]
    for name in ("cache", "pool", "db-instance", "db-data-disk"):
        mine = [op for op, n in ops if n == name]
        assert mine == ["create-replacement", "replace", "delete-replaced"], name
    assert preview.change_summary == digest("replace").change_summary


def test_retain_on_delete_and_protect_are_read(digest: Callable[[str], PreviewDigest]) -> None:
    states = {s.urn.rsplit("::", 1)[1]: s.old_state for s in digest("delete").steps}
    keep, old_web = states["keep-me"], states["old-web"]
    assert keep is not None
    assert old_web is not None
    assert keep.retain_on_delete
    assert not old_web.retain_on_delete
    assert not old_web.protect
    assert (
        to_digest({"steps": [{"op": "delete", "urn": "u", "oldState": {"protect": True}}]})
        .steps[0]
        .old_state.protect
    )  # type: ignore[union-attr]


def test_nulls_and_missing_fields_take_defaults() -> None:
    preview = to_digest(
        {
            "steps": [
                {"op": "create", "urn": "urn:pulumi:s::p::t:m:T::a", "detailedDiff": None},
                {"urn": "urn:pulumi:s::p::t:m:T::b", "oldState": None, "diffReasons": None},
            ],
            "diagnostics": [{"message": "hello"}],
            "changeSummary": None,
        }
    )
    assert preview.steps[0].detailed_diff == {}
    assert preview.steps[0].new_state is None
    assert preview.steps[1].op == ""
    assert preview.steps[1].diff_reasons == []
    assert preview.diagnostics[0].severity == "info"
    assert preview.change_summary == {}


def test_unknown_fields_are_kept() -> None:
    preview = to_digest(
        {
            "steps": [
                {
                    "op": "same",
                    "urn": "urn:pulumi:s::p::t:m:T::a",
                    "newState": {"type": "t:m:T", "sourcePosition": "project:///index.py#3"},
                }
            ],
            "policyPacks": {"aws": "1.0"},
        }
    )
    assert preview.model_extra == {"policyPacks": {"aws": "1.0"}}
    state = preview.steps[0].new_state
    assert state is not None
    assert state.model_extra == {"sourcePosition": "project:///index.py#3"}


def test_noise_before_and_after_the_json_is_skipped(data_text: Callable[[str], str]) -> None:
    clean = data_text("update")
    noisy = (
        "Run pulumi preview --stack dev --json\n"
        "warning: A new version of Pulumi is available.\n"
        "{ this line looks like JSON but is not\n"
        '{"level": "info", "msg": "a JSON log line that is not a preview"}\n'
        + clean
        + "\nError: Process completed with exit code 255.\n"
    )
    assert parse_preview(noisy) == parse_preview(clean)


def test_bytes_with_a_byte_order_mark(data_text: Callable[[str], str]) -> None:
    raw = "\ufeff" + data_text("delete")
    assert len(parse_preview(raw.encode("utf-8")).steps) == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "empty"),
        ("   \n", "empty"),
        ("Error: no stack named 'dev' found\n", "no JSON object found"),
        ('{"steps": [\n    {"op": "create",\n', "invalid JSON at line 3"),
        ("[1, 2, 3]", "expected a JSON object, found a JSON list"),
        ('{"resources": [], "version": 3}', "found resources, version"),
        ('{"steps": "everything"}', "steps: Input should be a valid list"),
        ('{"steps": [{"op": "create", "newState": {"inputs": 7}}]}', "steps[0].newState.inputs"),
        (
            '{"sequence": 0, "timestamp": 1700000000, "preludeEvent": {}}\n'
            '{"sequence": 1, "timestamp": 1700000001, "summaryEvent": {}}\n',
            "PULUMI_ENABLE_STREAMING_JSON_PREVIEW",
        ),
    ],
)
def test_bad_input_is_named(text: str, expected: str) -> None:
    with pytest.raises(PreviewError) as error:
        parse_preview(text)
    assert expected in str(error.value)


def test_not_utf8() -> None:
    with pytest.raises(PreviewError, match="not UTF-8"):
        parse_preview(b'{"steps": []}\xff')


def test_an_empty_object_is_an_empty_preview() -> None:
    assert parse_preview("{}").steps == []


def test_truncated_document_reports_its_first_error() -> None:
    text = json.dumps({"steps": [{"op": "create", "urn": "u"}]}, indent=4)[:-10]
    with pytest.raises(PreviewError, match=r"invalid JSON at line \d+"):
        parse_preview("noise\n" + text)


@pytest.mark.parametrize(
    ("path", "parts"),
    [
        ("tags.env", ["tags", "env"]),
        ("ports[0].port", ["ports", 0, "port"]),
        ('["a.b"].c', ["a.b", "c"]),
        (
            "spec.template.spec.containers[0].image",
            ["spec", "template", "spec", "containers", 0, "image"],
        ),
    ],
)
def test_property_paths(path: str, parts: list[str | int]) -> None:
    assert parse_path(path) == parts


def test_lookup_follows_paths_and_stops_at_masks() -> None:
    root = {"a": {"b": [10, {"c": "x"}]}, "s": "[secret]"}
    assert lookup(root, "a.b[1].c") == "x"
    assert lookup(root, "a.b[0]") == 10
    assert lookup(root, "a.b[5]") is MISSING
    assert lookup(root, "a.z") is MISSING
    assert lookup(root, "s.inner") == "[secret]"
