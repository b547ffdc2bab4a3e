"""Measure a running ``goodwill serve`` over HTTP, and the search selector in-process."""

from __future__ import annotations

import math
import os
import random
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(values: list[float]) -> dict[str, float]:
    """p50/p95/max in milliseconds, and how many samples."""
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 50), 2),
        "p95_ms": round(percentile(values, 95), 2),
        "max_ms": round(max(values), 2),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    port: int, env: dict[str, str], log: Path, options: list[str] | None = None
) -> subprocess.Popen[bytes]:
    """``goodwill serve`` (with ``options``) as a child process; returns once it accepts
    connections."""
    command = [sys.executable, "-m", "goodwill", "serve", "--port", str(port), "--no-worker"]
    command += options or []
    server = subprocess.Popen(command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"goodwill serve exited with {server.returncode}; see {log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit(f"goodwill serve did not start within 60 s; see {log}")


def process_tree_cpu_s(pid: int) -> float:
    """CPU seconds (user and system) used so far by the process and its live children (the
    web processes of ``goodwill serve --processes``); 0 where /proc is not there."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # a process that ended while being read
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def peak_rss_mb(pid: int) -> int:
    """The process's peak resident memory (VmHWM) in MB; 0 where /proc is not there."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "VmHWM: 0 kB")
    return round(int(line.split()[1]) / 1024)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def login(client: httpx.Client, path: str, email: str, password: str) -> None:
    """Log in through the login form, as a browser would."""
    page = client.get(path)
    match = CSRF_INPUT.search(page.text)
    if page.status_code != 200 or match is None:
        raise SystemExit(f"GET {path} gave {page.status_code} without a login form")
    data = {"username": email, "password": password, "csrfmiddlewaretoken": match.group(1)}
    answer = client.post(path, data=data, headers={"Referer": str(client.base_url) + path})
    if answer.status_code != 302:
        raise SystemExit(f"Logging in as {email} failed: HTTP {answer.status_code}")


def timed_gets(
    client: httpx.Client, requests: list[tuple[str, dict[str, str]]], warmup: int = 3
) -> list[float]:
    """Milliseconds per GET (each must answer 200); the first ``warmup`` are not counted."""
    for path, params in requests[:warmup]:
        client.get(path, params=params)
    times = []
    for path, params in requests:
        start = time.perf_counter()
        answer = client.get(path, params=params)
        times.append((time.perf_counter() - start) * 1000)
        if answer.status_code != 200:
            raise SystemExit(f"GET {path} {params} gave HTTP {answer.status_code}")
    return times


def timed_calls(calls: list[Callable[[], object]]) -> list[float]:
    times = []
    for call in calls:
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def sample_people(count: int, seed: int = 11) -> list[tuple[int, str]]:
    """(id, sort_key) of ``count`` people spread over the whole table, deterministic."""
    from goodwill.people.models import Person

    bounds = Person.objects.order_by("id").values_list("id", flat=True)
    low, high = bounds.first(), bounds.last()
    assert low is not None
    assert high is not None
    rnd = random.Random(seed)
    wanted = {rnd.randint(low, high) for _ in range(count * 2)}
    rows = Person.objects.filter(pk__in=wanted, archived_at=None).values_list("id", "sort_key")
    return sorted(rows)[:count]


def environment(data_dir: Path, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "GOODWILL_DATA_DIR": str(data_dir),
            "GOODWILL_DEBUG": "false",
            "GOODWILL_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "GOODWILL_SITE_URL": f"http://127.0.0.1:{port}",
        }
    )
    return env
