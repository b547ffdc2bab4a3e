"""Survey answers on the public page under a fixed arrival rate, over HTTP on loopback.

    .venv/bin/python bench/survey_bench.py [--rate 200] [--seconds 10] [--threads 8]
        [--processes 2] [--server-threads 1] [--post-only]

Builds a fresh SQLite database in a temporary GOODWILL_DATA_DIR (migrations, 100 people with a
purchase each, and one survey link per submission with a known raw token, stored as its hash as
``survey_create`` would), starts ``goodwill serve --no-worker --processes P --threads T`` on a
free port with the survey rate limit raised (GOODWILL_SURVEY_RATE), and from this process (a
second one) answers the surveys: submission i is due at start + i / rate (open loop, whatever
the server's speed), and is what a phone does: GET /s/<token>/ (the form and its CSRF cookie),
then POST the answer with the form's CSRF token. Each thread keeps one keep-alive connection
(plain ``http.client``, so that the load generator takes as little of the machine's CPU as it
can) and its CSRF cookie. ``--post-only``: each thread GETs one form for its CSRF token and then
only POSTs answers, as a phone keeping its cookie would — the submissions alone.

Measured: the POST (the answer being recorded) and the GET, each from sending to the whole
response; the submission from when it was due to its POST's response (so falling behind shows);
the achieved submissions per second (and HTTP requests per second, twice that); errors (any
status but 200, or a failed connection); the answers the database holds afterwards; and the CPU
seconds the server's processes and the load generator used while the load ran. The target: 200
submissions/s held, p95 of the POST ≤ 50 ms. Prints JSON.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from measure import (  # noqa: E402
    environment,
    free_port,
    process_tree_cpu_s,
    start_server,
    stop_server,
    summary,
)

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_COOKIE = re.compile(r"csrftoken=([^;]+)")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
PEOPLE = 100
WARMUP = 40
TARGET_RATE = 200
TARGET_P95_MS = 50


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=TARGET_RATE, help="Submissions per second.")
    parser.add_argument("--seconds", type=float, default=10.0, help="How long to send.")
    parser.add_argument("--threads", type=int, default=8, help="Sending threads.")
    parser.add_argument("--processes", type=int, default=2, help="Server processes.")
    parser.add_argument("--server-threads", type=int, default=1, help="Threads per process.")
    parser.add_argument(
        "--post-only",
        action="store_true",
        help="Each thread GETs one form for its CSRF token, then only POSTs answers.",
    )
    return parser.parse_args()


def build(data_dir: Path, surveys: int) -> list[str]:
    """Migrate a fresh SQLite database and make ``surveys`` links; returns their raw tokens."""
    os.environ["GOODWILL_DATA_DIR"] = str(data_dir)
    os.environ.pop("GOODWILL_DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "goodwill.settings"
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from goodwill.accounts.services import business_update
    from goodwill.commerce.services import purchase_log
    from goodwill.feedback.models import Survey
    from goodwill.feedback.services.surveys import token_hash
    from goodwill.people.services import person_create

    call_command("migrate", "--no-input", verbosity=0)
    business_update(actor=None, name="Bench Grocer")
    people = []
    for n in range(PEOPLE):
        person = person_create(actor=None, given_name=f"Guest{n}", family_name="Bench").person
        purchase = purchase_log(
            actor=None, person=person, description="Sunday roast", category="Restaurant"
        )
        people.append((person, purchase))
    raws = [secrets.token_urlsafe(32) for _ in range(surveys)]
    expires = timezone.now() + dt.timedelta(days=30)
    Survey.objects.bulk_create(
        [
            Survey(
                person=people[i % PEOPLE][0],
                purchase=people[i % PEOPLE][1],
                token_hash=token_hash(raw),
                expires_at=expires,
            )
            for i, raw in enumerate(raws)
        ],
        batch_size=500,
    )
    return raws


class Phone:
    """One keep-alive connection to the server with its CSRF cookie, as a phone's browser."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""
        self.token = ""

    def request(self, method: str, path: str, body: str = "") -> tuple[int, str]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if method == "POST":
            headers |= FORM | {"Referer": f"http://127.0.0.1:{self.port}{path}"}
        try:
            self.conn.request(method, path, body=body or None, headers=headers)
            answer = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()  # a dropped keep-alive connection: the next request reconnects
            raise
        text = answer.read().decode()
        cookie = CSRF_COOKIE.search(answer.getheader("Set-Cookie") or "")
        if cookie:
            self.cookie = f"csrftoken={cookie.group(1)}"
        return answer.status, text

    def close(self) -> None:
        self.conn.close()


def submit(phone: Phone, raw: str, n: int, post_only: bool) -> tuple[float, float, str | None]:
    """GET the survey, POST an answer; (get ms, post ms, error or None). With ``post_only``
    the phone's first GET gives the CSRF token it then reuses, and later submissions are the
    POST alone (get ms 0)."""
    path = f"/s/{raw}/"
    start = time.perf_counter()
    if not (post_only and phone.token):
        status, text = phone.request("GET", path)
        match = CSRF_INPUT.search(text)
        if status != 200 or match is None:
            return (time.perf_counter() - start) * 1000, 0.0, f"GET {status}"
        phone.token = match.group(1)
    got = time.perf_counter()
    data = {
        "csrfmiddlewaretoken": phone.token,
        "thumbs": "up" if n % 4 else "down",
        "score": str(n % 11),
        "comment": "Lovely roast" if n % 3 == 0 else "",
    }
    status, _text = phone.request("POST", path, urllib.parse.urlencode(data))
    done = time.perf_counter()
    error = None if status == 200 else f"POST {status}"
    return (got - start) * 1000, (done - got) * 1000, error


def load(
    port: int, raws: list[str], rate: float, threads: int, post_only: bool = False
) -> dict[str, Any]:
    """Send the submissions on schedule from ``threads`` threads; collect the timings."""
    lock = threading.Lock()
    counter = iter(range(len(raws)))
    gets: list[float] = []
    posts: list[float] = []
    pairs: list[float] = []
    errors: list[str] = []
    start = time.perf_counter() + 0.2

    def worker() -> None:
        phone = Phone(port)
        try:
            while True:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                due = start + n / rate
                time.sleep(max(0.0, due - time.perf_counter()))
                try:
                    get_ms, post_ms, error = submit(phone, raws[n], n, post_only)
                except (http.client.HTTPException, OSError) as exc:
                    get_ms, post_ms, error = 0.0, 0.0, type(exc).__name__
                late_ms = (time.perf_counter() - due) * 1000
                with lock:
                    if error:
                        errors.append(error)
                    elif n >= WARMUP:
                        gets.append(get_ms)
                        posts.append(post_ms)
                        pairs.append(late_ms)
        finally:
            phone.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - start
    sent = len(raws)
    return {
        "elapsed_s": round(elapsed, 2),
        "achieved_submissions_per_s": round(sent / elapsed, 1),
        "achieved_http_requests_per_s": round((1 if post_only else 2) * sent / elapsed, 1),
        "post": summary(posts) if posts else None,
        "get": summary(gets) if gets else None,
        "submission_from_due": summary(pairs) if pairs else None,
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
    }


def main() -> None:
    args = parse_args()
    surveys = WARMUP + int(args.rate * args.seconds)
    with tempfile.TemporaryDirectory(prefix="goodwill-survey-bench-") as folder:
        data_dir = Path(folder)
        began = time.perf_counter()
        raws = build(data_dir, surveys)
        built_s = time.perf_counter() - began
        port = free_port()
        env = environment(data_dir, port)
        env["GOODWILL_SURVEY_RATE"] = "1000000/m"
        env.pop("GOODWILL_DATABASE_URL", None)
        serve = ["--processes", str(args.processes), "--threads", str(args.server_threads)]
        server = start_server(port, env, data_dir / "serve.log", serve)
        try:
            server_cpu, own_cpu = process_tree_cpu_s(server.pid), time.process_time()
            result = load(port, raws, args.rate, args.threads, args.post_only)
            result["server_cpu_s"] = round(process_tree_cpu_s(server.pid) - server_cpu, 2)
            result["load_generator_cpu_s"] = round(time.process_time() - own_cpu, 2)
        finally:
            stop_server(server)
        from goodwill.feedback.models import Feedback, Survey

        result["answers_stored"] = Feedback.objects.filter(source="survey").count()
        result["surveys_answered"] = Survey.objects.exclude(answered_at=None).count()
    post = result["post"] or {}
    report = {
        "bench": "survey answers on the public page "
        + ("(POST answers, one GET per thread)" if args.post_only else "(GET form + POST answer)"),
        "db": "sqlite",
        "server": f"goodwill serve --no-worker --processes {args.processes} --threads "
        f"{args.server_threads} (waitress), loopback",
        "rate_target_submissions_per_s": args.rate,
        "seconds": args.seconds,
        "threads": args.threads,
        "submissions": surveys,
        "warmup_not_timed": WARMUP,
        "build_s": round(built_s, 1),
        **result,
        "target": {"submissions_per_s": TARGET_RATE, "post_p95_ms": TARGET_P95_MS},
        "target_met": bool(
            result["errors"] == 0
            and result["achieved_submissions_per_s"] >= 0.97 * TARGET_RATE
            and post.get("p95_ms", 1e9) <= TARGET_P95_MS
        ),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
