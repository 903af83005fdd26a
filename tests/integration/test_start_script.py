"""`scripts/start` does what the README says: debug on in development, a port from SESLIP_PORT."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.support.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_start_serves_the_demo_on_seslip_port_in_debug_mode(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SESLIP_") and not k.startswith("FLASK_")}
    env.update(SESLIP_PORT=str(port), SESLIP_INSTANCE_PATH=str(tmp_path / "instance"))
    log = tmp_path / "start.log"
    with log.open("w") as out:
        process = subprocess.Popen([str(ROOT / "scripts" / "start")], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while f"Running on http://127.0.0.1:{port}" not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=10) as page:
            assert page.status == 200
        output = log.read_text()
        assert "Debug mode: on" in output  # the README: "on in development"
        # The links it prints, and the links in emails, use the port it serves on.
        assert f"Sign in at http://127.0.0.1:{port}/login" in output
        assert f"Starting the SESLIP Intranet on http://127.0.0.1:{port}" in output
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
