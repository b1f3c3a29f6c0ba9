"""./scripts/run, as a person runs it: on a fresh database, on the port asked for, the demo
password is the last line before the server's own output, no demo mail floods the console, and
links in mail name the address it serves on."""
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STARTED = "Starting development server at"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    """scripts/run's output up to the line saying it serves, and its port; stopped afterwards."""
    port = _free_port()
    env = {**os.environ, "PORT": str(port), "PYTHONUNBUFFERED": "1",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}"}
    for name in ("SITE_URL", "HOST", "DEBUG", "EMAIL_URL", "REDIS_URL", "DJANGO_ENV"):
        env.pop(name, None)
    process = subprocess.Popen([str(ROOT / "scripts" / "run")], cwd=ROOT, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    lines = []
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if STARTED in line:
                break
        yield port, lines
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the server and its autoreloader, started here
        process.wait(timeout=30)
        process.stdout.close()


def test_the_demo_password_is_the_last_thing_printed_before_serving_on_the_port_asked_for(served):
    port, lines = served
    assert any(STARTED in line for line in lines), "\n".join(lines[-30:])
    [password_at] = [n for n, line in enumerate(lines) if line.startswith("Password for every demo user: ")]
    server_said = lines[password_at + 1:]
    # What follows is runserver's banner only, not demo content nor mail.
    assert not any(word in line for line in server_said for word in ("demo", "Demo", "Subject:", "Applying"))
    assert not any(line.startswith(("Subject:", "Content-Type:")) for line in lines)
    assert f"Site: http://127.0.0.1:{port}/ (the address links in notification mail use)" in lines
    assert f"{STARTED} http://127.0.0.1:{port}/" in lines[-1]

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as response:
        assert response.status == 200
