"""Latency of the questionnaire pages under gunicorn, as ratios to a bare route in the same run.

    .venv/bin/python bench/bench_forms.py [--requests 2000] [--clients 16] [--database-url URL]

Builds a throwaway database (SQLite, or a fresh PostgreSQL database on the loopback server of
--database-url, dropped afterwards) with one lead member per authority, starts
`gunicorn -w 2` on a free loopback port, and drives it from a separate process: one thread
per client, each signed in through the real login form. Four timed phases follow, each after
untimed warm-up requests: the bare route (public), the same with a signed-in person, the first
section of the Lead Member self-assessment (GET, full page), and autosaves of its first answer.
It prints p50/p95 per phase and their ratios to the bare route; see bench/README.md.

Exits 1 when any timed request failed (non-2xx or no answer); the aim is reported, not enforced.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import ipaddress
import multiprocessing
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFINITION_ID = "lead-member-self-assessment-2022-23"
SECTION_ID = "role_as_lead_member"
QUESTION_ID = "ambition"
# bench_app's paths; not imported, so the driver process stays free of Flask.
BARE_PATH = "/bench/bare"
SIGNED_IN_PATH = "/bench/signed-in"
APP = "bench.bench_app:build_app()"
WORKERS = 2
WARMUP = 5  # untimed requests per client before each phase
PHASES = ("bare", "signed_in", "page", "autosave")
AIMS = {"page": 4.0, "autosave": 3.0}  # p95 at most this many times the bare route's p95
MAX_AUTHORITIES = 19  # one lead member per authority, and the programme has 19

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken": "([^"]+)"')
REVISION_RE = re.compile(rf'id="rev-{QUESTION_ID}" value="(\d+)"')
RESPONSE_RE = re.compile(r"/questionnaires/responses/(\d+)")


# --- the server side: database, environment, gunicorn ---------------------------------------


def loopback_postgres_url(url: str) -> str:
    """The URL, if it names a PostgreSQL server on this machine; the bench stays on loopback."""
    parts = urllib.parse.urlsplit(url)
    if not parts.scheme.startswith("postgresql"):
        raise ValueError(f"--database-url must be a postgresql:// URL, not {parts.scheme or url!r}")
    host = parts.hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        where = repr(host) if host else "a local socket"
        raise ValueError(f"--database-url must name a server on 127.0.0.1, not {where}")
    return url


def bench_env(instance: Path, port: int, database_url: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SESLIP_ENV="production",
        SESLIP_DEBUG="0",
        SESLIP_SECRET_KEY=secrets.token_urlsafe(36),  # 48 characters
        SESLIP_INSTANCE_PATH=str(instance),
        SESLIP_DATABASE_URL=database_url or f"sqlite:///{instance / 'bench.db'}",
        SESLIP_BASE_URL=f"http://127.0.0.1:{port}",
        SESLIP_MAIL_PORT="1",  # nothing listens; the bench sends no mail
    )
    return env


def prepare_database(env: dict[str, str], clients: int, password: str) -> tuple[list[str], str]:
    """Build the schema and one lead member per authority: their email addresses, and the
    database engine and version for the report."""
    os.environ.update(env)  # the factory reads its configuration from the environment
    from sqlalchemy import select, text

    from seslip.accounts.models import OrgRole
    from seslip.accounts.passwords import hash_password
    from seslip.accounts.services import create_user
    from seslip.extensions import db
    from seslip.factory import create_app
    from seslip.organisations.models import Organisation, OrganisationKind
    from seslip.organisations.services import ensure_organisations

    app = create_app()
    with app.app_context():
        if any((ROOT / "migrations" / "versions").glob("*.py")):
            from flask_migrate import upgrade

            upgrade()
        else:
            db.create_all()
        ensure_organisations(None)
        authorities = db.session.scalars(
            select(Organisation)
            .where(Organisation.kind == OrganisationKind.AUTHORITY)
            .order_by(Organisation.slug)
        ).all()[:clients]
        password_hash = hash_password(password)  # argon2 is slow on purpose: hash once
        emails = []
        for org in authorities:
            user = create_user(
                None,
                email=f"lead.member@{org.slug}.bench.example",
                name=f"Lead Member of {org.name}",
                organisation_id=org.id,
                org_role=OrgRole.LEAD_MEMBER,
                commit=False,
            )
            user.password_hash = password_hash
            emails.append(user.email)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            server = db.session.execute(text("SHOW server_version")).scalar_one().split()[0]
            backend = f"PostgreSQL {server} (psycopg {version('psycopg')})"
        else:
            backend = f"SQLite {sqlite3.sqlite_version} (WAL)"
        db.session.close()
        db.engine.dispose()  # hold no connection while gunicorn works
    if len(emails) != clients:
        raise SystemExit(f"Only {len(emails)} authorities exist; use --clients {len(emails)}.")
    return emails, backend


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(env: dict[str, str], port: int, log: Path, app: str) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "gunicorn",
        "-w", str(WORKERS),
        "-b", f"127.0.0.1:{port}",
        "--log-level", "warning",
        app,
    ]
    with log.open("wb") as out:
        # Its own session, so Ctrl+C reaches only this script, which then stops it in order.
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def wait_until_healthy(server: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}:\n{tail(log)}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer /healthz within 60 seconds:\n{tail(log)}")


def tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()  # gunicorn's graceful shutdown of master and workers
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    if children.exists():
        return [int(pid) for pid in children.read_text().split()]
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            found.append(int(stat.parent.name))
    return found


def memory_kib(pid: int) -> dict[str, int]:
    """Peak (VmHWM) and current (VmRSS) resident memory of a process, in KiB."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return {
        key: int(value.split()[0])
        for key, _, value in (line.partition(":") for line in lines)
        if key in ("VmHWM", "VmRSS")
    }


# --- the driver: runs in its own process, one thread per client -------------------------------


class RequestFailed(Exception):
    pass


def page_errors(html: str) -> str:
    """The error messages a page shows, or its start when it shows none."""
    found = re.findall(r'class="error-message"[^>]*>(.*?)</p>', html, flags=re.S)
    text = " ".join(re.sub(r"<[^>]+>|\\s+", " ", item).strip() for item in found)
    return text[:300] or html[:300]


class Client:
    """One person's browser: a connection, its cookies, the CSRF token and the answer's
    revision it last saw."""

    def __init__(self, port: int, email: str, password: str, number: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.email = email
        self.password = password
        self.number = number
        self.cookies: dict[str, str] = {}
        self.csrf = ""
        self.revision = "0"
        self.section_path = ""
        self.answer_path = ""
        self.saves = 0

    def send(self, method: str, path: str, form: dict[str, str] | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, http.client.HTTPResponse, str]:
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        # gunicorn's sync workers close every connection; http.client reopens it on demand.
        self.conn.request(method, path, body=body, headers=sent)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            if value and "max-age=0" not in header.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return response.status, response, text

    def expect(self, wanted: int, method: str, path: str, **kwargs: Any) -> tuple[Any, str]:
        status, response, text = self.send(method, path, **kwargs)
        if status != wanted:
            raise RequestFailed(f"{method} {path} answered {status}, not {wanted}: "
                                f"{page_errors(text)}")
        return response, text

    def learn_csrf(self, html: str) -> None:
        match = CSRF_RE.search(html)
        if match is None:
            raise RequestFailed("no CSRF token on the page")
        self.csrf = match.group(1) or match.group(2)

    def sign_in_and_start(self) -> None:
        _, html = self.expect(200, "GET", "/login")
        self.learn_csrf(html)
        self.expect(302, "POST", "/login", form={
            "email": self.email, "password": self.password, "csrf_token": self.csrf,
        })
        _, html = self.expect(200, "GET", "/questionnaires/")
        self.learn_csrf(html)  # signing in starts a fresh session, so a fresh token
        response, _ = self.expect(302, "POST", f"/questionnaires/{DEFINITION_ID}/start",
                                  form={"csrf_token": self.csrf})
        found = RESPONSE_RE.search(response.getheader("Location") or "")
        if found is None:
            raise RequestFailed("starting the questionnaire did not lead to a response page")
        base = f"/questionnaires/responses/{found.group(1)}"
        self.section_path = f"{base}/sections/{SECTION_ID}"
        self.answer_path = f"{base}/answers/{QUESTION_ID}"
        self.read_section()

    def read_section(self) -> None:
        """The page a person opens; also where an autosave's base revision comes from."""
        _, html = self.expect(200, "GET", self.section_path)
        self.learn_csrf(html)
        found = REVISION_RE.search(html)
        if found is None:
            raise RequestFailed(f"no revision input for {QUESTION_ID} on the section page")
        self.revision = found.group(1)

    def bare(self) -> int:
        return self.send("GET", BARE_PATH)[0]

    def signed_in(self) -> int:
        return self.send("GET", SIGNED_IN_PATH)[0]

    def page(self) -> int:
        return self.send("GET", self.section_path)[0]

    def autosave(self) -> int:
        """What htmx sends when the person pauses typing: the field, its base revision, the
        token (in the form and the header). The new revision comes back out of band."""
        self.saves += 1
        text = (f"Every child in our area safe, healthy and learning well: draft "
                f"{self.number}.{self.saves}.")
        status, _, html = self.send("POST", self.answer_path, form={
            "csrf_token": self.csrf, QUESTION_ID: text, f"rev.{QUESTION_ID}": self.revision,
        }, headers={"X-CSRFToken": self.csrf, "HX-Request": "true",
                    "HX-Current-URL": self.section_path})
        found = REVISION_RE.search(html)
        if found:
            self.revision = found.group(1)
        return status


@dataclass
class PhaseResult:
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    errors: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    elapsed: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, status: int, seconds: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            if 200 <= status < 300:
                self.latencies.append(seconds)
            else:
                self.errors += 1


def drive(port: int, emails: list[str], password: str, requests: int) -> dict[str, Any]:
    """Run the three phases; per phase, the latencies, errors, statuses and wall time."""
    clients = [Client(port, email, password, n) for n, email in enumerate(emails, 1)]
    results = {phase: PhaseResult() for phase in PHASES}
    barrier = threading.Barrier(len(clients) + 1)
    failures: list[str] = []
    share = [requests // len(clients) + (n < requests % len(clients))
             for n in range(len(clients))]

    def run(client: Client, count: int) -> None:
        try:
            client.sign_in_and_start()
            for phase in PHASES:
                action = getattr(client, phase)
                for _ in range(WARMUP):
                    action()
                if phase == "autosave":
                    client.read_section()  # a warm-up save may have failed: start in step
                barrier.wait()
                result = results[phase]
                for _ in range(count):
                    began = time.perf_counter()
                    try:
                        status = action()
                    except (OSError, http.client.HTTPException) as error:
                        status = 0
                        failures.append(f"client {client.number}: {error!r}")
                        client.conn.close()
                    result.add(status, time.perf_counter() - began)
                    if phase == "autosave" and status != 200:
                        client.read_section()  # learn the revision again, untimed
                barrier.wait()
        except threading.BrokenBarrierError:
            failures.append(f"client {client.number}: stopped because another client failed")
        except Exception as error:  # reported, and the other clients must not hang
            failures.append(f"client {client.number}: {error!r}"[:400])
            barrier.abort()

    threads = [threading.Thread(target=run, args=(c, n), daemon=True)
               for c, n in zip(clients, share, strict=True)]
    for thread in threads:
        thread.start()
    try:
        for phase in PHASES:
            barrier.wait()
            began = time.perf_counter()
            barrier.wait()
            results[phase].elapsed = time.perf_counter() - began
    except threading.BrokenBarrierError:
        pass
    for thread in threads:
        thread.join(timeout=60)
    return {
        "failures": failures,
        "phases": {
            phase: {"latencies": r.latencies, "errors": r.errors, "elapsed": r.elapsed,
                    "statuses": dict(r.statuses)}
            for phase, r in results.items()
        },
    }


def drive_into(sender: Any, port: int, emails: list[str], password: str, requests: int) -> None:
    """The driver process: ignores Ctrl+C (the parent stops it) and sends back the figures."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sender.send(drive(port, emails, password, requests))
    sender.close()


def run_driver(port: int, emails: list[str], password: str, requests: int) -> dict[str, Any]:
    # A separate process, so the clients' threads share a GIL with nothing on the server side.
    spawn = multiprocessing.get_context("spawn")
    receiver, sender = spawn.Pipe(duplex=False)
    driver = spawn.Process(target=drive_into, args=(sender, port, emails, password, requests),
                           daemon=True)
    driver.start()
    sender.close()
    try:
        return receiver.recv()  # type: ignore[no-any-return]
    except EOFError:
        raise SystemExit(f"The driver process stopped with code {driver.exitcode}.") from None
    finally:
        if driver.is_alive():
            driver.terminate()
        driver.join()


# --- the report ---------------------------------------------------------------------------------


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def report(outcome: dict[str, Any], requests: int, clients: int, memory: dict[int, dict[str, int]],
           loads: tuple[tuple[float, ...], tuple[float, ...]], backend: str) -> bool:
    """Print the figures; True when every timed request succeeded."""
    print("\nEnvironment")
    print(f"  CPUs {os.cpu_count()}, Python {platform.python_version()}, "
          f"gunicorn {version('gunicorn')} with {WORKERS} sync workers, {backend}")
    print(f"  {clients} clients over loopback, {requests} timed requests per phase "
          f"after {WARMUP} warm-up requests per client")
    print("  load average (1, 5, 15 min) at start {:.2f} {:.2f} {:.2f}, at end "
          "{:.2f} {:.2f} {:.2f}".format(*loads[0], *loads[1]))

    phases = outcome["phases"]
    bare = phases["bare"]["latencies"]
    base50, base95 = percentile(bare, 50), percentile(bare, 95)
    header = (f"{'phase':<9} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} "
              f"{'req/s':>7} {'p50 x':>6} {'p95 x':>6}")
    print(f"\n{header}\n{'-' * len(header)}")
    ratios: dict[str, float] = {}
    for phase in PHASES:
        data = phases[phase]
        times = data["latencies"]
        p50, p95 = percentile(times, 50), percentile(times, 95)
        ratios[phase] = p95 / base95
        done = len(times) + data["errors"]
        rate = done / data["elapsed"] if data["elapsed"] else float("nan")
        print(f"{phase:<9} {done:>8} {data['errors']:>6} {p50 * 1000:>8.1f} {p95 * 1000:>8.1f} "
              f"{rate:>7.0f} {p50 / base50:>6.2f} {p95 / base95:>6.2f}")
    print(f"  bare = GET {BARE_PATH} (public); signed_in = GET {SIGNED_IN_PATH} (the floor of "
          f"any signed-in request);\n  page = GET section {SECTION_ID} (full page); "
          f"autosave = POST answer {QUESTION_ID} (htmx)")

    met = all(ratios[phase] <= aim for phase, aim in AIMS.items())
    if any(not phases[phase]["latencies"] for phase in PHASES):
        print("\naim: not measured, because the run stopped early")
    else:
        print(f"\naim: page p95 ≤ {AIMS['page']:g}x bare, autosave p95 ≤ {AIMS['autosave']:g}x "
              f"bare: {'met' if met else 'not met'} (page {ratios['page']:.2f}x, "
              f"autosave {ratios['autosave']:.2f}x)")
    sizes = ", ".join(
        f"{m['VmHWM'] / 1024:.0f} MiB (now {m['VmRSS'] / 1024:.0f})" if m else "unknown"
        for m in memory.values()
    )
    # argon2 (64 MiB by default) checks each password at sign-in, and that counts in the peak.
    print(f"peak RSS per gunicorn worker (VmHWM): {sizes or 'no workers found'}")

    errors = sum(phases[p]["errors"] for p in PHASES)
    if errors or outcome["failures"]:
        print("\n" + "!" * 72)
        print(f"!! THIS RUN HAD ERRORS: {errors} timed requests failed; the figures are not "
              "comparable.")
        for phase in PHASES:
            bad = {s: n for s, n in phases[phase]["statuses"].items() if not 200 <= int(s) < 300}
            if bad:
                print(f"!! {phase}: statuses {bad} (0 = no answer)")
        stopped = [f for f in outcome["failures"] if f.endswith("another client failed")]
        for failure in [f for f in outcome["failures"] if f not in stopped][:10]:
            print(f"!! {failure}")
        if stopped:
            print(f"!! {len(stopped)} other clients stopped because of that")
        print("!" * 72)
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000,
                        help="timed requests per phase (default 2000)")
    parser.add_argument("--app", default=APP,
                        help=f"the WSGI app for gunicorn, to try a change before proposing it "
                             f"(default {APP}; it must add bench_app's routes)")
    parser.add_argument("--clients", type=int, default=16,
                        help=f"concurrent clients, 1 to {MAX_AUTHORITIES} (default 16)")
    parser.add_argument("--database-url", metavar="URL",
                        help="measure PostgreSQL: a server on 127.0.0.1 where the bench creates "
                             "and afterwards drops its own database, e.g. "
                             "postgresql://postgres@127.0.0.1:5432/test (default: SQLite)")
    args = parser.parse_args()
    if not 1 <= args.clients <= MAX_AUTHORITIES:
        parser.error(f"--clients must be between 1 and {MAX_AUTHORITIES}")
    if args.requests < args.clients:
        parser.error("--requests must be at least --clients")
    if args.database_url:
        try:
            loopback_postgres_url(args.database_url)
        except ValueError as error:
            parser.error(str(error))

    # `kill` as well as Ctrl+C unwinds the cleanup stack: gunicorn stops before the database
    # is dropped and the temporary folder removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with contextlib.ExitStack() as cleanup:
        try:
            return run(args, cleanup)
        except KeyboardInterrupt:
            print("\nInterrupted: stopping gunicorn, then removing the temporary folder"
                  f"{' and dropping the database' if args.database_url else ''}.")
            return 130


def run(args: argparse.Namespace, cleanup: contextlib.ExitStack) -> int:
    """Set up, measure and report; everything set up is undone by `cleanup`, last first."""
    sys.path.insert(0, str(ROOT))  # seslip, and tests.support for the PostgreSQL database
    workdir = Path(tempfile.mkdtemp(prefix="seslip-bench-"))
    cleanup.callback(shutil.rmtree, workdir, ignore_errors=True)
    database_url = None
    if args.database_url:
        # Imported here: the spawned driver re-imports this module and must stay free of Flask.
        from tests.support.databases import postgres_database

        try:
            database = cleanup.enter_context(postgres_database(args.database_url, "seslip_bench"))
        except RuntimeError as error:
            raise SystemExit(str(error)) from None
        database_url = database.url
    log = workdir / "gunicorn.log"
    port = free_port()
    env = bench_env(workdir / "instance", port, database_url)
    password = secrets.token_urlsafe(16)  # passed on: the spawned driver re-imports us
    emails, backend = prepare_database(env, args.clients, password)
    server = start_gunicorn(env, port, log, args.app)
    cleanup.callback(stop, server)
    wait_until_healthy(server, port, log)
    print(f"gunicorn on 127.0.0.1:{port} with {backend}; driving {args.clients} clients "
          f"({args.requests} timed requests per phase)…", flush=True)
    load_before = os.getloadavg()
    outcome = run_driver(port, emails, password, args.requests)
    load_after = os.getloadavg()
    memory = {pid: memory_kib(pid) for pid in worker_pids(server.pid)}
    ok = report(outcome, args.requests, args.clients, memory, (load_before, load_after), backend)
    if not ok and log.exists() and log.stat().st_size:
        print(f"\ngunicorn log (last lines):\n{tail(log)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
