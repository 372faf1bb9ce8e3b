"""`flexus-pulumi demo` runs the whole story and shows what a user would see."""

from __future__ import annotations

import io

from flexus_pulumi.cli import main
from flexus_pulumi.demo import run_demo


def test_demo_offline_shows_every_step() -> None:
    out = io.StringIO()
    assert run_demo(out, order_seconds=0.3, offline=True) == 0
    text = out.getvalue()
    assert "using the offline driver" in text
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
    assert refresh.index("Refreshing (demo):") < refresh.index("changed outside Pulumi")
    assert "power state: 1 of 3 not running" in refresh
    assert destroy.index("Destroying (demo):") < destroy.index(" deleted (")
    assert destroy.count("Destroying (demo):") == 1


def test_demo_command_is_registered(capsys: object) -> None:
    import pytest

    with pytest.raises(SystemExit) as exit_:
        main(["demo", "--help"])
    assert exit_.value.code == 0


def test_cli_environment_puts_this_interpreter_first(tmp_path: object) -> None:
    import sys
    from pathlib import Path

    from flexus_pulumi.demo import cli_environment

    env = cli_environment(Path(str(tmp_path)))
    assert env["PATH"].split(":")[0] == str(Path(sys.executable).parent)
    assert env["PULUMI_PYTHON_CMD"] == sys.executable
    assert env["PULUMI_BACKEND_URL"].startswith("file://")


def test_demo_needs_no_test_dependencies() -> None:
    """The README's first command installs the package alone: no pytest."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['pytest'] = None\n"
        "import io\n"
        "from flexus_pulumi.demo import run_demo\n"
        "out = io.StringIO()\n"
        "assert run_demo(out, order_seconds=0.2, offline=True) == 0\n"
        "print(out.getvalue().splitlines()[-1])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "purchase orders" in done.stdout
