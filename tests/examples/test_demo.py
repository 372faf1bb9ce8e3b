"""`flexus-pulumi demo` runs the whole story and shows what a user would see."""

from __future__ import annotations

import io

import pytest

from flexus_pulumi.cli import main
from flexus_pulumi.demo import run_demo


@pytest.mark.parametrize("engine", ["offline", "cli"])
def test_demo_shows_every_step(engine: str, request: pytest.FixtureRequest) -> None:
    """The demo on the offline driver, and on the real CLI (what it uses by default when
    there is one)."""
    if engine == "cli":
        request.getfixturevalue("pulumi_cli")
    out = io.StringIO()
    assert run_demo(out, order_seconds=0.3, offline=engine == "offline") == 0
    text = out.getvalue()
    said = "Running on the pulumi CLI v" if engine == "cli" else "Running on the offline driver"
    assert said in text
    headings = [
        "1. preview",
        "2. up",
        "3. preview of a change",
        "4. the same preview",
        "5. up",
        "6. refresh",
        "7. destroy",
    ]
    positions = [text.index(f"=== {heading}") for heading in headings]
    assert positions == sorted(positions)
    assert "+ 7 to create" in text
    assert "order CS" in text and "processing" in text  # progress during order waits
    assert '~ server_name: "web" => "www"' in text
    assert "~ count: 2 => 3" in text
    assert "buys **1** instance" in text  # the PR comment of the change
    assert "- 7 deleted" in text
    assert "3 purchase orders" in text
    # the rename shows in the members table
    after_change = text[positions[4] :]
    assert "| web   | web-0001 | www-1 " in after_change
    # each stage's heading comes before what happens in it
    refresh, destroy = text[positions[5] : positions[6]], text[positions[6] :]
    assert refresh.index("Refreshing (demo):") < refresh.index("power state: 1 of 3 not running")
    assert destroy.index("Destroying (demo):") < destroy.index(" deleted (")
    assert destroy.count("Destroying (demo):") == 1


def test_demo_command_is_registered(capsys: object) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["demo", "--help"])
    assert exit_.value.code == 0
