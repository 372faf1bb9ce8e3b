"""``flexus-pulumi emulator``: one JSON line when ready, serves until SIGTERM/SIGINT."""

from __future__ import annotations

import json
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
