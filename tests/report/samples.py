"""A fixed fleet as the report reads it — what Config, BSS and the traffic query answer
for five instances, and the state of the stack holding four of them — so that the judging
and the renderings (and the README's example, which is this fleet's) can be checked
exactly. The answers are shaped as the emulator gives them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flexus_pulumi.cloud import ConfigResource, FreeResourceUsage, PrepaidResource
from flexus_pulumi.engine.identity import KEY_PROP, PURCHASE_TAG, STACK_PROP, STACK_TAG
from flexus_pulumi.orphans import StackHoldings, load_state
from flexus_pulumi.report import AccountFacts, FleetReport, Thresholds, judge

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
STACK = "shop/prod"
INSTANCE = "pulumi-python:dynamic/flexus:Instance"
GROUP = "pulumi-python:dynamic/flexus:InstanceGroup"

#: name → (instance id, term end, auto-renew, traffic GB left of 3,072, Config status,
#: the resource holding it (None: an orphan), its key)
FLEET: dict[str, tuple[str, dt.datetime, bool, float, str, str | None, str]] = {
    "web": (
        "65dea8d23005da564c78d9d2",
        dt.datetime(2026, 12, 13, 10, 0, tzinfo=UTC),
        False,
        2890.0,
        "RUNNING",
        "web",
        "a1" * 10,
    ),
    "api": (
        "65dea8d23005da564c78d9d3",
        dt.datetime(2027, 3, 2, 10, 0, tzinfo=UTC),
        True,
        153.6,
        "RUNNING",
        "api",
        "a2" * 10,
    ),
    "workers-0001": (
        "65dea8d23005da564c78d9d4",
        dt.datetime(2027, 5, 20, 10, 0, tzinfo=UTC),
        True,
        3072.0,
        "STOPPED",
        "workers",
        "a3" * 10,
    ),
    "workers-0002": (
        "65dea8d23005da564c78d9d5",
        dt.datetime(2027, 5, 20, 10, 0, tzinfo=UTC),
        True,
        2011.0,
        "RUNNING",
        "workers",
        "a3" * 10,
    ),
    "web-old": (
        "65dea8d23005da564c78d9d6",
        dt.datetime(2027, 1, 2, 10, 0, tzinfo=UTC),
        False,
        3072.0,
        "RUNNING",
        None,
        "a4" * 10,
    ),
}


def _iso(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def config(name: str) -> ConfigResource:
    """Config's resource of one instance of the fleet."""
    iid, ends, renew, _, status, _, key = FLEET[name]
    return ConfigResource.model_validate(
        {
            "id": iid,
            "name": name,
            "region_id": "ap-southeast-3",
            "created": "2026-11-02T10:00:00.000Z",
            "state": "Normal",
            "tags": {PURCHASE_TAG: f"{key}.d1g35t", STACK_TAG: STACK},
            "properties": {
                "metadata": {
                    "resource_spec_code": "hf.large.1.30m.linux",
                    "order_id": "CS2611021000ABCDE",
                    "is_auto_renew": str(renew).lower(),
                    "expire_time": _iso(ends),
                },
                "resources": [
                    {
                        "logical_resource_type": "huaweicloudinternal_cbc_freeresource",
                        "physical_resource_id": f"pkg-{iid}",
                    }
                ],
                "status": status,
            },
        }
    )


def term(name: str) -> PrepaidResource:
    """BSS's yearly/monthly resource of one instance of the fleet."""
    iid, ends, renew, *_ = FLEET[name]
    return PrepaidResource.model_validate(
        {
            "resource_id": iid,
            "resource_name": name,
            "region_code": "ap-southeast-3",
            "is_main_resource": 1,
            "status": 2,
            "effective_time": "2026-11-02T10:00:00Z",
            "expire_time": _iso(ends),
            "expire_policy": 3 if renew else 0,
        }
    )


def usage(name: str) -> FreeResourceUsage:
    """The traffic query's answer for one instance of the fleet."""
    iid, _, _, left, *_ = FLEET[name]
    return FreeResourceUsage.model_validate(
        {
            "free_resource_id": f"pkg-{iid}",
            "amount": left,
            "original_amount": 3072,
            "start_time": "2026-12-02T10:00:00Z",
            "end_time": "2027-01-02T10:00:00Z",
            "measure_id": 10,
        }
    )


def facts(*names: str) -> AccountFacts:
    """What the report reads for ``names`` (default: the whole fleet)."""
    chosen = names or tuple(FLEET)
    return AccountFacts(
        instances=[config(n) for n in chosen],
        terms={FLEET[n][0]: term(n) for n in chosen},
        traffic={f"pkg-{FLEET[n][0]}": usage(n) for n in chosen},
    )


def _resource(kind: str, name: str, key: str, **more: Any) -> dict[str, Any]:
    return {
        "urn": f"urn:pulumi:prod::shop::{kind}::{name}",
        "type": kind,
        "inputs": {KEY_PROP: key, STACK_PROP: STACK, "power_state": "running"},
        "outputs": {KEY_PROP: key, **more},
    }


def state_export() -> dict[str, Any]:
    """The stack's ``pulumi stack export``: web, api and the group workers (the orphan
    web-old left it with retain_on_delete)."""
    ids = {n: FLEET[n][0] for n in FLEET}
    resources = [
        {
            "urn": "urn:pulumi:prod::shop::pulumi:pulumi:Stack::shop-prod",
            "type": "pulumi:pulumi:Stack",
        },
        {**_resource(INSTANCE, "web", FLEET["web"][6], instance_id=ids["web"]), "id": ids["web"]},
        {**_resource(INSTANCE, "api", FLEET["api"][6], instance_id=ids["api"]), "id": ids["api"]},
        {
            **_resource(
                GROUP,
                "workers",
                FLEET["workers-0001"][6],
                instance_ids=[ids["workers-0001"], ids["workers-0002"]],
            ),
            "id": "workers",
        },
    ]
    return {"version": 3, "deployment": {"manifest": {}, "resources": resources}}


def states(source: str = "prod.json") -> list[StackHoldings]:
    """The stack's holdings, as read from its export."""
    return [load_state(source, json.dumps(state_export()))]


def report(**thresholds: float) -> FleetReport:
    """The fleet judged as of :data:`NOW` (default thresholds unless given)."""
    return judge(facts(), states(), thresholds=Thresholds(**thresholds), now=NOW)
