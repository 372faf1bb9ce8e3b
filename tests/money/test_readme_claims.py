"""Every sentence of the README's "Money exactly once" has a test: each sentence holds one
of the phrases below, and each phrase names the tests that prove it (which exist). A new
sentence without a test, or a renamed test, fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from flexus_pulumi.engine.ledger import DEFAULT_CONFIG_LAG

ROOT = Path(__file__).resolve().parent.parent.parent
MONEY = "tests/money"

#: A phrase of the section → the tests that prove the sentence holding it.
CLAIMS: dict[str, list[str]] = {
    "happens once, whatever breaks": [
        f"{MONEY}/test_interrupted.py::test_an_interrupted_group_scale_out",
        f"{MONEY}/test_purchases.py::test_a_lost_purchase_answer_buys_once",
    ],
    "One module makes it true": [
        f"{MONEY}/test_readme_claims.py::test_only_the_ledger_spends_money"
    ],
    "only it buys, renews or unsubscribes": [
        f"{MONEY}/test_readme_claims.py::test_only_the_ledger_spends_money",
        "tests/test_module_state.py::test_no_module_state_but_the_named_holders",
    ],
    "What is guaranteed, read from the cloud's side": [
        f"{MONEY}/test_readme_claims.py::test_the_money_tests_run_the_pessimistic_cloud"
    ],
    "A lost purchase answer": [
        f"{MONEY}/test_purchases.py::test_a_lost_purchase_answer_buys_once",
        f"{MONEY}/test_purchases.py::test_a_500_after_the_order_was_placed_buys_once",
    ],
    "Each send carries a fresh": [
        f"{MONEY}/test_purchases.py::test_a_lost_answer_of_a_purchase_of_three_buys_three",
        f"{MONEY}/test_purchases.py::test_429_is_sent_again_at_once_and_a_500_only_once_config_shows_nothing",
        f"{MONEY}/test_purchases.py::test_a_send_lost_before_the_cloud_saw_it_is_sent_again_once_config_shows_nothing",
        f"{MONEY}/test_purchases.py::test_sends_that_never_arrive_give_up_having_bought_nothing",
    ],
    "An interrupted create or scale-out": [
        f"{MONEY}/test_interrupted.py::test_an_interrupted_group_scale_out",
        f"{MONEY}/test_interrupted.py::test_an_interrupted_instance_create",
        f"{MONEY}/test_real_time.py::test_a_scale_out_killed_after_its_order_completed_is_adopted_by_the_rerun",
        f"{MONEY}/test_real_engine.py::test_a_fleet_scale_out_interrupted_under_the_real_engine",
    ],
    "The rerun first waits": [
        f"{MONEY}/test_purchases.py::test_a_rerun_while_the_interrupted_order_processes_adopts_it",
        f"{MONEY}/test_interrupted.py::test_an_interrupted_group_create",
    ],
    "Then it adopts the instances": [
        f"{MONEY}/test_interrupted.py::test_an_interrupted_fleet_scale_out",
        f"{MONEY}/test_interrupted.py::test_two_instances_of_one_stack_killed_together_each_take_their_own",
        f"{MONEY}/test_purchases.py::test_an_interrupted_group_create_rerun_with_fewer_releases_the_rest",
    ],
    "when the rerun is killed too": [
        f"{MONEY}/test_interrupted.py::test_an_interrupted_group_scale_out",
        f"{MONEY}/test_interrupted.py::test_an_interrupted_fleet_scale_out",
    ],
    "An unpaid earlier order": [
        f"{MONEY}/test_purchases.py::test_an_unpaid_earlier_order_stops_the_rerun_until_paid"
    ],
    "What a purchase bought": [
        f"{MONEY}/test_interrupted.py::test_an_interrupted_group_scale_out",
        f"{MONEY}/test_ledger.py::test_a_purchase_takes_what_its_own_orders_bought",
    ],
    "A rerun that asks for something else": [
        f"{MONEY}/test_purchases.py::test_a_rerun_asking_for_something_else_buys_nothing_and_names_the_earlier_instance",
        f"{MONEY}/test_purchases.py::test_a_rerun_in_another_region_names_the_earlier_instance",
    ],
    "A replacement": [f"{MONEY}/test_purchases.py::test_a_replacement_is_a_purchase_of_its_own"],
    "The purchase it replaces comes from": [
        f"{MONEY}/test_purchases.py::test_the_replaced_purchase_is_known_however_long_the_checks_are_apart"
    ],
    "A replacement of the very same purchase": [
        f"{MONEY}/test_purchases.py::test_an_interrupted_replacement_is_adopted_by_its_rerun"
    ],
    "`pulumi up --replace` (or a tainted resource) is the exception": [
        f"{MONEY}/test_purchases.py::test_up_replace_with_nothing_changed_keeps_the_instance_and_says_so"
    ],
    "it takes the instance over": [
        f"{MONEY}/test_purchases.py::test_up_replace_with_nothing_changed_keeps_the_instance_and_says_so"
    ],
    "A cancelled order does not block": [
        f"{MONEY}/test_purchases.py::test_a_cancelled_order_does_not_block_the_rerun"
    ],
    "A renewal": [
        f"{MONEY}/test_renewals.py::test_an_interrupted_renewal_rerun_renews_once",
        f"{MONEY}/test_renewals.py::test_a_rerun_after_the_renewal_completed_renews_once",
        f"{MONEY}/test_renewals.py::test_a_lost_renewal_answer_renews_once",
        f"{MONEY}/test_renewals.py::test_a_renewal_that_never_arrived_is_not_sent_twice",
        f"{MONEY}/test_interrupted.py::test_an_interrupted_renewal",
        f"{MONEY}/test_renewals.py::test_an_interrupted_renewal_is_found_whatever_bss_lists_for_its_order",
        f"{MONEY}/test_renewals.py::test_another_instances_renewal_is_never_taken_for_this_ones",
    ],
    "Another instance's renewal is never taken": [
        f"{MONEY}/test_renewals.py::test_another_instances_renewal_is_never_taken_for_this_ones"
    ],
    "An unsubscribe": [
        f"{MONEY}/test_purchases.py::test_a_lost_unsubscribe_answer_unsubscribes_once",
        f"{MONEY}/test_purchases.py::test_a_destroy_killed_after_unsubscribing_finishes_on_the_rerun",
    ],
    "The orphan report knows the lag": [
        f"{MONEY}/test_orphan_report.py::test_a_purchase_config_does_not_list_yet_is_reported_not_ignored"
    ],
    "Once listed, what an interrupted attempt": [
        f"{MONEY}/test_orphan_report.py::test_after_the_lag_the_interrupted_attempt_is_named_as_such",
        f"{MONEY}/test_orphan_report.py::test_an_attempt_with_other_inputs_is_still_something_else",
    ],
    "Limits that protect the wallet": [
        f"{MONEY}/test_purchases.py::test_a_million_members_never_reach_the_cloud",
        "tests/providers/test_inputs.py::test_check_never_crashes_and_names_the_input",
    ],
    "The assumption": [f"{MONEY}/test_readme_claims.py::test_the_assumed_lag"],
    "If your account's Config lags more": [
        f"{MONEY}/test_purchases.py::test_429_is_sent_again_at_once_and_a_500_only_once_config_shows_nothing"
    ],
    "An order the order list does not show yet": [
        f"{MONEY}/test_purchases.py::test_an_order_the_order_list_does_not_show_yet_cannot_be_waited_for"
    ],
    "Orders carry no tags": [
        f"{MONEY}/test_purchases.py::test_an_order_someone_else_placed_is_waited_for_and_never_adopted"
    ],
    "Known edge": [
        f"{MONEY}/test_renewals.py::test_another_instances_renewal_is_never_taken_for_this_ones",
        f"{MONEY}/test_renewals.py::test_renewing_two_members_of_one_order_renews_each",
    ],
}


def section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Money exactly once\n")
    end = readme.index("\n## ", start + 1)
    return readme[start:end].split("\n", 1)[1]


def sentences(text: str) -> list[str]:
    """The section's sentences (list markers and line breaks dropped)."""
    flat = " ".join(line.strip().removeprefix("- ") for line in text.splitlines())
    parts = re.split(r"(?<=[.!])\s+(?=[A-Z*`\"(])", flat)
    return [p.strip() for p in parts if p.strip()]


def test_every_sentence_has_a_test() -> None:
    untested = [s for s in sentences(section()) if not any(p in s for p in CLAIMS)]
    assert not untested, "sentences with no test in CLAIMS:\n" + "\n".join(untested)


def test_every_phrase_is_in_the_section_and_every_test_exists() -> None:
    text = " ".join(sentences(section()))
    for phrase, tests in CLAIMS.items():
        assert phrase in text, phrase
        for node in tests:
            path, name = node.split("::")
            tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
            names = {f.name for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)}
            assert name in names, node


def test_the_section_names_the_module_that_makes_it_true() -> None:
    assert "`flexus_pulumi/engine/ledger.py`" in section()
    assert (ROOT / "flexus_pulumi/engine/ledger.py").is_file()


#: The cloud client's calls that spend (or give back) money.
SPENDING = frozenset({"purchase", "renew", "unsubscribe"})


#: A cloud client, as product code names it: ``client``, ``….client``, ``….client(…)``.
CLIENT = re.compile(r"(^|\.)client(\(.*\))?$")


def test_only_the_ledger_spends_money() -> None:
    """Outside the cloud client itself (and the emulator, which is the cloud), only the
    ledger calls a client's ``purchase``, ``renew`` or ``unsubscribe``."""
    package = ROOT / "flexus_pulumi"
    callers = set()
    for path in package.rglob("*.py"):
        module = path.relative_to(package).as_posix()
        if module.startswith(("cloud/", "emulator/")):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SPENDING
                and CLIENT.search(ast.unparse(node.func.value))
            ):
                callers.add(module)
    assert callers == {"engine/ledger.py"}


def test_the_money_tests_run_the_pessimistic_cloud() -> None:
    from flexus_pulumi.emulator.profiles import PESSIMISTIC

    from .conftest import CLOUD

    assert {k: CLOUD[k] for k in PESSIMISTIC} == PESSIMISTIC


def test_the_assumed_lag() -> None:
    """300 s unless configured; offline, the emulator's own lag (plus a margin)."""
    from flexus_pulumi.emulator import Emulator
    from flexus_pulumi.offline.stack_config import emulator_config
    from flexus_pulumi.providers.settings import StackSettings

    assert DEFAULT_CONFIG_LAG == 300.0
    assert StackSettings().config_lag_seconds(environ={}) == 300.0
    emu = Emulator(settings={"config_lag_seconds": 42.0, "clock_speed": 2.0})
    assert float(str(emulator_config(emu)["flexus:configLag"])) > 21.0
