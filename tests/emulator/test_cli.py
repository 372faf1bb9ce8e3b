"""``flexus-pulumi emulator``: one JSON line when ready, serves until SIGTERM/SIGINT."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from flexus_pulumi.emulator import EmulatorControl

from .helpers import purchase_body


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "flexus_pulumi", "emulator", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


class _Emu:
    """Just enough of an Emulator for the signing helper."""

    def __init__(self, info: dict[str, str]) -> None:
        self.endpoint = info["endpoint"]
        self.access_key = info["access_key"]
        self.secret_key = info["secret_key"]
        self.project_id = info["project_id"]
        self.domain_id = info["domain_id"]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_prints_connection_info_and_stops_cleanly(tmp_path: Path, stop: signal.Signals) -> None:
    from .helpers import Api

    state = tmp_path / "cloud.json"
    proc = _start(
        "--port", "0", "--state", str(state), "--order-seconds", "0", "--job-seconds", "0"
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        info = json.loads(line)
        assert set(info) == {
            "endpoint",
            "access_key",
            "secret_key",
            "project_id",
            "domain_id",
            "region",
        }
        assert info["endpoint"].startswith("http://127.0.0.1:")
        assert info["region"] == "ap-southeast-3"
        api = Api(_Emu(info))
        r = api.purchase(purchase_body())
        assert r.status_code == 202
        assert EmulatorControl(info["endpoint"]).settings()["order_seconds"] == 0.0
    finally:
        proc.send_signal(stop)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert out == ""
    assert json.loads(state.read_text())["account"]["access_key"] == info["access_key"]


def test_refuses_remote_host_without_flag() -> None:
    proc = _start("--host", "0.0.0.0")  # noqa: S104
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert "--allow-remote" in err
    assert out == ""


def test_bad_or_busy_port_is_a_clear_error() -> None:
    import socket
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "flexus_pulumi", "emulator", "--port"]
    bad = subprocess.run([*cmd, "99999"], capture_output=True, text=True, timeout=60, check=False)
    assert bad.returncode == 2
    assert "99999 is not a port number" in bad.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        busy = subprocess.run([*cmd, port], capture_output=True, text=True, timeout=60, check=False)
    assert busy.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in busy.stderr
    assert "Traceback" not in busy.stderr


def _console(*args: str, endpoint: str | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "flexus_pulumi", "emulator", "console"]
    if endpoint is not None:
        cmd += ["--endpoint", endpoint]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=60, check=False)


def test_profile_settings_and_console_changes_from_the_command_line() -> None:
    from .helpers import Api

    proc = _start(
        "--profile",
        "pessimistic",
        "--set",
        "unknown_order=404",
        "--set",
        "config_lag_seconds=0",
        "--order-seconds",
        "0",
    )
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline())
        settings = EmulatorControl(info["endpoint"]).settings()
        assert settings["extras_in_bundle"] == "absent"
        assert settings["unknown_order"] == "404"
        assert settings["config_lag_seconds"] == 0.0
        api = Api(_Emu(info))
        bought = api.purchase(purchase_body()).json()
        EmulatorControl(info["endpoint"]).advance(11)  # past BSS's lag too
        api.wait_order(bought["order_id"])
        (iid,) = bought["instance_ids"]
        stopped = _console("stop", iid, endpoint=info["endpoint"])
        assert stopped.returncode == 0, stopped.stderr
        assert json.loads(stopped.stdout)["server"]["status"] == "SHUTOFF"
        renamed = _console("rename", iid, "by-hand", endpoint=info["endpoint"])
        assert renamed.returncode == 0, renamed.stderr
        assert api.resource(iid)["name"] == "by-hand"
        missing = _console("set-hostname", iid, endpoint=info["endpoint"])
        assert missing.returncode == 2
        assert "set-hostname takes a new hostname" in missing.stderr
        refused = _console("rename", iid, "9bad", endpoint=info["endpoint"])
        assert refused.returncode == 1
        assert "400" in refused.stderr
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=10)


def test_console_without_an_emulator() -> None:
    nowhere = _console("stop", "x", endpoint="http://127.0.0.1:9")
    assert nowhere.returncode == 1
    assert "no emulator at http://127.0.0.1:9" in nowhere.stderr
    env_less = subprocess.run(
        [sys.executable, "-m", "flexus_pulumi", "emulator", "console", "stop", "x"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "FLEXUS_ENDPOINT"},
    )
    assert env_less.returncode == 2
    assert "FLEXUS_ENDPOINT" in env_less.stderr


def test_a_bad_setting_is_a_clear_error() -> None:
    proc = _start("--set", "warp=9")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert "unknown settings: warp" in err
    assert out == ""


def test_help_gives_the_quick_defaults_and_the_pessimistic_switch() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "flexus_pulumi", "emulator", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    text = " ".join(done.stdout.split())
    assert "order processing time [saved value, else 3]" in text
    assert "ECS job duration [saved value, else 1]" in text
    assert "delay before Config lists a new instance [saved value, else 2;" in text
    assert "--profile pessimistic: 90 s, as slow as the real Config can be" in text


def test_every_emulator_command_in_the_docs_says_how_long_config_lags() -> None:
    """The README's and the examples' emulator commands say what the lag is and how to
    get the slow, real-cloud one."""
    root = Path(__file__).resolve().parents[2]
    docs = [root / "README.md", *sorted((root / "examples").glob("*/README.md"))]
    shown = [d for d in docs if "flexus-pulumi emulator --port" in d.read_text()]
    assert len(shown) >= 2
    for doc in shown:
        text = " ".join(doc.read_text().split())
        assert "--profile pessimistic" in text, doc
        assert "Config" in text and "2 s" in text, doc
