"""``goodwill serve --processes N``: several web processes and a worker process on one port; a
process that dies is replaced, and stopping the server stops them all."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from goodwill.core.testing import wait_for
from goodwill.core.tests.test_commands import _env, _free_port, _goodwill

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="--processes needs fork")


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def _status(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (our own server)
        return int(answer.status)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    env = _env(tmp_path)
    assert _goodwill("migrate", "-v", "0", env=env).returncode == 0
    port = _free_port()
    command = [sys.executable, "-m", "goodwill", "serve", "--port", str(port), "--processes", "2"]
    process = subprocess.Popen(  # noqa: S603 (our own console script)
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )

    def accepts() -> bool:
        assert process.poll() is None, process.communicate()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            return False

    try:
        wait_for(accepts, "the server to listen")
        yield process, f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def test_two_web_processes_and_a_worker_serve_and_a_dead_one_is_replaced(
    server: tuple[subprocess.Popen[str], str],
) -> None:
    process, base = server
    wait_for(lambda: len(_children(process.pid)) == 3, "two web processes and a worker")
    first = _children(process.pid)
    assert all(_status(f"{base}/login/") == 200 for _ in range(10))

    victim = min(first)
    os.kill(victim, signal.SIGKILL)
    wait_for(
        lambda: len(_children(process.pid)) == 3 and victim not in _children(process.pid),
        "a new process in place of the killed one",
    )
    assert _status(f"{base}/login/") == 200

    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "with 2 web processes" in out
    assert "A background worker runs in a process of its own" in out
    assert f"process {victim} ended (killed by signal 9); starting another." in err
    assert not any(Path(f"/proc/{pid}").exists() for pid in first - {victim})


def test_serve_refuses_fewer_than_one_process(tmp_path: Path) -> None:
    result = _goodwill("serve", "--processes", "0", env=_env(tmp_path))

    assert result.returncode == 2
    assert "processes: give at least 1." in result.stderr
