"""Judging a fixed fleet (:mod:`.samples`) — which findings, which say what to do, which
count toward the exit status — and its three renderings; the command's bad inputs."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from flexus_pulumi.cli import main
from flexus_pulumi.orphans import load_state
from flexus_pulumi.prcomment import comment_length
from flexus_pulumi.providers.settings import ENV_NAMES
from flexus_pulumi.report import MARKER, judge, render_markdown, render_text

from . import samples
from .samples import FLEET, NOW


def _kinds(report: object) -> dict[str, list[str]]:
    return {r.name: [f.kind for f in r.findings] for r in report.rows}  # type: ignore[attr-defined]


def test_the_fleet_judged() -> None:
    report = samples.report()
    assert _kinds(report) == {
        "api": ["traffic"],
        "web": ["expiring"],
        "workers-0001": ["stopped"],
        "workers-0002": [],
        "web-old": ["orphan"],
    }
    assert [f.kind for f in report.failing] == ["expiring", "orphan", "traffic", "stopped"]
    rows = {r.name: r for r in report.rows}
    assert rows["workers-0001"].holder == "shop/prod workers"
    assert rows["web"].days_left == pytest.approx(5 + 1 / 24)
    assert rows["web-old"].stack == "shop/prod" and rows["web-old"].resources == ()
    assert rows["api"].traffic is not None and rows["api"].traffic.left_pct == pytest.approx(5.0)


def test_thresholds_move_and_turn_findings_off() -> None:
    # web-old's term ends within 30 days too, but it is an orphan: its term is not judged
    assert [f.kind for f in samples.report(expiring_within_days=30).failing] == [
        "expiring",
        "orphan",
        "traffic",
        "stopped",
    ]
    quiet = samples.report(expiring_within_days=0, traffic_below_pct=0)
    assert [f.kind for f in quiet.failing] == ["orphan", "stopped"]
    assert [f.kind for f in samples.report(expiring_within_days=4.9).failing] == [
        "orphan",
        "traffic",
        "stopped",
    ]
    assert "traffic" in [f.kind for f in samples.report(traffic_below_pct=5.1).failing]
    assert "traffic" not in [f.kind for f in samples.report(traffic_below_pct=5.0).failing]


def test_a_server_its_program_wants_stopped_is_not_reported() -> None:
    export = samples.state_export()
    for resource in export["deployment"]["resources"]:
        if resource["type"] == samples.GROUP:
            resource["inputs"]["power_state"] = "stopped"
    states = [load_state("prod.json", json.dumps(export))]
    report = judge(samples.facts(), states, now=NOW)
    assert _kinds(report)["workers-0001"] == []


def test_states_of_other_stacks_twice_held_untagged_missing_and_unknown_terms() -> None:
    facts = samples.facts()
    untagged = samples.config("web-old").model_copy(update={"tags": {}, "id": "77" * 12})
    theirs = samples.config("api").model_copy(
        update={"id": "88" * 12, "tags": {"flexus-pulumi": "x.y", "flexus-pulumi-stack": "shop/b"}}
    )
    facts.instances += [untagged, theirs]
    del facts.terms[FLEET["api"][0]]  # BSS does not show api's term
    facts.instances = [i for i in facts.instances if i.name != "workers-0002"]  # released
    export = samples.state_export()
    again = json.loads(json.dumps(export))
    again["deployment"]["resources"] = [
        {**r, "urn": r["urn"].replace("::prod::", "::dev::").replace("::web", "::web2")}
        for r in again["deployment"]["resources"]
        if r.get("id") == FLEET["web"][0]
    ]
    again["deployment"]["resources"][0]["inputs"]["__stack"] = "shop/dev"
    states = [
        load_state("prod.json", json.dumps(export)),
        load_state("dev.json", json.dumps(again)),
    ]
    report = judge(facts, states, now=NOW)
    kinds = _kinds(report)
    assert kinds["web"] == ["held-twice", "expiring"]
    assert kinds["api"] == ["term-unknown", "traffic"]
    assert {r.instance_id: [f.kind for f in r.findings] for r in report.rows}["77" * 12] == [
        "untagged"
    ]
    assert "88" * 12 not in {r.instance_id for r in report.rows}
    assert report.other_stacks == {"shop/b": 1}
    [missing] = report.missing
    assert missing.instance_id == FLEET["workers-0002"][0]
    assert "workers of shop/prod" in missing.summary and missing.fails
    info = [f.kind for f in report.findings if not f.fails]
    assert sorted(info) == ["term-unknown", "untagged"]
    # judged in one region only, a held instance not listed is not called missing
    assert judge(facts, states, now=NOW, region="ap-southeast-3").missing == []


def test_frozen_and_expired_terms() -> None:
    facts = samples.facts("web", "api")
    web, api = FLEET["web"][0], FLEET["api"][0]
    facts.terms[web] = facts.terms[web].model_copy(update={"status": 4})
    facts.terms[api] = facts.terms[api].model_copy(update={"status": 5})
    report = judge(facts, samples.states(), now=NOW)
    kinds = _kinds(report)
    assert kinds["web"] == ["frozen"] and kinds["api"] == ["expired", "traffic"]
    frozen = next(f for f in report.findings if f.kind == "frozen")
    assert "renew it now" in frozen.action and "starts at the old expiry" in frozen.action
    assert {r.name: r.term for r in report.rows} == {"web": "frozen", "api": "expired"}
    assert "2026-12-13 (frozen)" in render_text(report)
    # the missing workers are reported too, as this state holds them
    assert {f.instance_id for f in report.missing} == {
        FLEET["workers-0001"][0],
        FLEET["workers-0002"][0],
    }


def test_text_json_and_markdown() -> None:
    report = samples.report()
    text = render_text(report)
    assert text.splitlines()[2].split() == [
        "RESOURCE",
        "INSTANCE",
        "NAME",
        "REGION",
        "TERM",
        "ENDS",
        "AUTO-RENEW",
        "TRAFFIC",
        "LEFT",
        "POWER",
        "FINDINGS",
    ]
    assert "4 findings to act on:" in text
    data = report.as_json()
    assert data["to_act_on"] == 4 and data["counts"] == {
        "expiring": 1,
        "orphan": 1,
        "traffic": 1,
        "stopped": 1,
    }
    assert data["generated_at"] == "2026-12-08T09:00:00Z"
    web = next(r for r in data["instances"] if r["name"] == "web")
    assert web["expire_time"] == "2026-12-13T10:00:00Z" and web["auto_renew"] is False
    markdown = render_markdown(report)
    assert markdown.startswith(MARKER + "\n### Flexus L fleet report for `shop/prod`")
    assert "| ⏳ expiring | `65dea8d23005da564c78d9d2` | shop/prod web |" in markdown
    assert "<details><summary>All 5 instances</summary>" in markdown


def test_markdown_stays_under_the_limit_and_says_what_it_left_out() -> None:
    report = samples.report()
    many = [replace(report.rows[3], instance_id=f"{n:024x}") for n in range(3000)]
    report.rows += many
    markdown = render_markdown(report)
    assert comment_length(markdown) <= 65_000
    assert "more instances: see the `--json` output" in markdown
    assert "| ⏳ expiring |" in markdown  # the findings come first and are kept
    small = render_markdown(report, limit=3_000)
    assert comment_length(small) <= 3_000
    assert "more findings" in small or "more instances" in small


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--traffic-below", "150"], "150: use 0-100 percent"),
        (["--expiring-within", "-1"], "-1: use 0 or more days"),
        (["--expiring-within", "soon"], "'soon' is not a number of days"),
        (["--as-of", "tomorrow"], "'tomorrow' is not a time"),
        (["--json", "--markdown"], "not allowed with argument"),
    ],
)
def test_bad_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    state = tmp_path / "prod.json"
    state.write_text(json.dumps(samples.state_export()))
    with pytest.raises(SystemExit) as exited:
        main(["report", str(state), *args])
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_unreadable_states_and_missing_credentials(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_credentials: None
) -> None:
    assert main(["report", str(tmp_path / "absent.json")]) == 2
    assert "absent.json: cannot read it" in capsys.readouterr().err
    state = tmp_path / "prod.json"
    state.write_text(json.dumps(samples.state_export()))
    assert main(["report", str(state)]) == 2
    assert "no Huawei Cloud credentials: set HW_ACCESS_KEY" in capsys.readouterr().err
    assert main(["report", "-", "-"]) == 2
    assert "standard input (-) can be read once" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "kind"),
    [("web", "expiring"), ("api", "traffic"), ("workers-0001", "stopped"), ("web-old", "orphan")],
)
def test_each_finding_alone_is_something_to_act_on(name: str, kind: str) -> None:
    # judged in its region only, so that the other instances the state holds are not missing
    report = judge(samples.facts(name), samples.states(), now=NOW, region="ap-southeast-3")
    assert [(f.kind, f.instance_id) for f in report.failing] == [(kind, FLEET[name][0])]
    assert (
        judge(
            samples.facts("workers-0002"), samples.states(), now=NOW, region="ap-southeast-3"
        ).failing
        == []
    )
