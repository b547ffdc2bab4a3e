"""Several web processes on one listening socket: ``goodwill serve --processes N``.

One Python process answers requests on one core at a time (the GIL); a busy public page (the
survey link after a campaign) needs more. The parent binds the socket and forks N children that
each serve it with waitress (the kernel hands each new connection to one of them), plus one
child for the background worker. The parent starts no threads and opens no database
connection, so forking is safe; it only watches its children: one that dies unexpectedly is
started again (a process that keeps dying within seconds of starting stops the whole server
instead of looping), and SIGTERM or Ctrl+C stops them all.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable

STOP_WAIT_S = 20  # how long stopping children may take before they are killed
QUICK_DEATH_S = 5  # a child that dies this soon after starting counts as failing at start
QUICK_DEATHS_ALLOWED = 3

Job = Callable[[], None]


def listening_socket(host: str, port: int) -> socket.socket:
    """The server's socket, bound and listening, inherited by every child."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=1024)


def _run_child(job: Job) -> None:
    """In a fresh child: run ``job`` until SIGTERM or SIGINT, then leave without running the
    parent's clean-up (``os._exit``)."""
    signal.signal(signal.SIGTERM, _raise_exit)
    signal.signal(signal.SIGINT, _raise_exit)
    code = 0
    try:
        job()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:  # a crash is reported on stderr, then the parent starts it again
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _raise_exit(*_args: object) -> None:
    raise SystemExit(0)


class Supervisor:
    """Forks one child per job and keeps them running until stopped."""

    def __init__(self, jobs: dict[str, Job], say: Callable[[str], None]) -> None:
        self.jobs = jobs
        self.say = say
        self.children: dict[int, tuple[str, float]] = {}  # pid: (job name, started at)
        self.quick_deaths = 0

    def _spawn(self, name: str) -> None:
        pid = os.fork()
        if pid == 0:  # pragma: no cover (the child's coverage is not collected)
            _run_child(self.jobs[name])
        self.children[pid] = (name, time.monotonic())

    def run(self) -> int:
        """Start every job, restart those that die, and stop them all on SIGTERM or Ctrl+C;
        the exit status: 0 when stopped, 1 when a child kept failing at start."""
        previous = signal.signal(signal.SIGTERM, _raise_exit)
        try:
            for name in self.jobs:
                self._spawn(name)
            return self._watch()
        except (SystemExit, KeyboardInterrupt):
            return 0
        finally:
            self._stop_all()
            signal.signal(signal.SIGTERM, previous)

    def _watch(self) -> int:
        while self.children:
            pid, status = os.wait()
            if pid not in self.children:
                continue
            name, started = self.children.pop(pid)
            if time.monotonic() - started < QUICK_DEATH_S:
                self.quick_deaths += 1
                if self.quick_deaths > QUICK_DEATHS_ALLOWED:
                    self.say(f"The {name} process keeps stopping as it starts; stopping.")
                    return 1
            self.say(f"The {name} process {pid} ended ({_how(status)}); starting another.")
            self._spawn(name)
        return 0

    def _stop_all(self) -> None:
        for pid in self.children:
            _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_WAIT_S
        while self.children and time.monotonic() < deadline:
            for pid in list(self.children):
                done, _status = os.waitpid(pid, os.WNOHANG)
                if done:
                    del self.children[pid]
            time.sleep(0.05)
        for pid in self.children:
            _signal(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        self.children.clear()


def _signal(pid: int, number: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, number)


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
