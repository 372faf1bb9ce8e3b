"""The ``flexus-pulumi`` command: its version, and help written for users."""

from __future__ import annotations

import subprocess
import sys

import pytest

from flexus_pulumi import __version__
from flexus_pulumi.cli import COMMANDS, main


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flexus_pulumi", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_version() -> None:
    done = _run("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"flexus-pulumi {__version__}"


def test_top_level_help_is_for_users(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    assert "Flexus L" in text and "--version" in text
    for name, command in COMMANDS.items():
        assert name in text
        assert command.summary.split()[0] in text
    assert "module" not in text and "``" not in text  # no internal docstring
    assert "examples:" in text


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_explains_itself(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    description = text.split("\n\n", 2)[1]
    assert len(description) > len(COMMANDS[command].summary)  # more than the one-liner
    assert "``" not in text and ":func:" not in text and ":class:" not in text


def test_no_command_says_what_is_missing(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([])
    assert exit_.value.code == 2
    assert "COMMAND" in capsys.readouterr().err


def test_a_bad_option_value_names_the_option_and_the_rule(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["orphans", "state.json", "--timeout", "-5"])
    assert exit_.value.code == 2
    assert "--timeout: -5: must be a positive number of seconds" in capsys.readouterr().err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_prints_the_version(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, "--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"flexus-pulumi {__version__}"


def test_emulator_help_shows_the_console_as_a_second_form(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["emulator", "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    usage = text.split("\n\n", 1)[0]
    assert "ACTION" not in text  # nothing looks required that is not
    assert usage.startswith("usage: flexus-pulumi emulator [-h] [--version]")
    assert usage.endswith(
        "\n       flexus-pulumi emulator console [--endpoint URL] CHANGE INSTANCE [VALUE]"
    )
    assert "examples:" in text and "--profile pessimistic" in text


def test_emulator_console_help_names_its_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["emulator", "console", "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    assert "[--endpoint URL] CHANGE INSTANCE [VALUE]" in " ".join(text.split())
    words = " ".join(text.split())
    assert (
        "rename, rename-server, set-hostname, stop, start, reboot, unsubscribe or use-traffic"
        in words
    )
    assert "for use-traffic, the GB of traffic used" in words
