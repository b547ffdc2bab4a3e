"""Eight processes logging interactions at once on one SQLite file: every write lands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

WRITERS = 8
SECONDS = float(os.environ.get("GOODWILL_CONCURRENCY_SECONDS", "20"))


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOODWILL_DATABASE")}
    env["GOODWILL_DATA_DIR"] = str(data_dir)
    return env


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_eight_writers_for_twenty_seconds_lose_nothing(tmp_path: Path) -> None:
    env = _env(tmp_path)
    run = [sys.executable, "-m", "goodwill"]
    subprocess.run([*run, "migrate", "-v", "0"], env=env, check=True)
    make = (
        "from goodwill.people.services import person_create;"
        "print(person_create(actor=None, given_name='Busy').person.pk)"
    )
    person_id = subprocess.run(
        [*run, "shell", "-c", make], env=env, check=True, capture_output=True, text=True
    ).stdout.split()[-1]
    writer = str(Path(__file__).with_name("concurrent_writer.py"))
    procs = [
        subprocess.Popen(
            [sys.executable, writer, person_id, str(SECONDS), f"w{i}"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(WRITERS)
    ]
    results = [p.communicate(timeout=SECONDS + 60) for p in procs]
    oks = [int(out.split()[0]) for out, _err in results]
    errors = [int(out.split()[1]) for out, _err in results]
    assert errors == [0] * WRITERS, [err for _out, err in results]
    count = "from goodwill.timeline.models import Interaction;print(Interaction.objects.count())"
    stored = subprocess.run(
        [*run, "shell", "-c", count], env=env, check=True, capture_output=True, text=True
    ).stdout.split()[-1]
    assert int(stored) == sum(oks)
    assert min(oks) > 0
