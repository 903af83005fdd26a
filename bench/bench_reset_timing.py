"""Median time of POST /forgot-password for a known and an unknown address, in one process.

    .venv/bin/python bench/bench_reset_timing.py [--requests 400] [--database-url URL]

A stranger must not tell from the answer's timing whether an address has an account (issue
15, item 7). Builds a throwaway database (SQLite in a temporary folder, or a fresh PostgreSQL
database on the loopback server of --database-url, dropped afterwards), one account per timed
known request (so no one reaches the three-emails limit), then alternates known and unknown
requests through the Flask test client, each from its own address (so no address reaches its
limit). Prints the medians, their difference and the p10-p90 spread; it asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WARMUP = 20


@contextlib.contextmanager
def database(url: str | None, folder: Path) -> Iterator[str]:
    if not url:
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    from bench.bench_forms import loopback_postgres_url
    from tests.support.databases import postgres_database

    with postgres_database(loopback_postgres_url(url), prefix="seslip_bench") as made:
        yield made.url


def measure(url: str, folder: Path, requests: int) -> dict[str, list[float]]:
    from seslip.accounts.services import create_user
    from seslip.extensions import db
    from seslip.factory import create_app

    app = create_app({
        "SESLIP_ENV": "testing", "SECRET_KEY": secrets.token_urlsafe(32),
        "SQLALCHEMY_DATABASE_URI": url, "SESLIP_INSTANCE_PATH": str(folder / "instance"),
        "SESLIP_BASE_URL": "http://localhost",
    })
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    with app.app_context():
        db.create_all()
        for n in range(requests + WARMUP):
            create_user(None, email=f"known{n}@example.org", name=f"Known {n}", commit=False)
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    html = client.get("/forgot-password").get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token on /forgot-password"
    token = match.group(1)
    for n in range(requests + WARMUP):
        for kind in ("known", "unknown"):
            address = f"10.{1 if kind == 'known' else 2}.{n // 250}.{n % 250}"
            started = time.perf_counter()
            response = client.post("/forgot-password",
                                   data={"email": f"{kind}{n}@example.org", "csrf_token": token},
                                   environ_overrides={"REMOTE_ADDR": address})
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 302, response.status_code
            if n >= WARMUP:
                times[kind].append(elapsed)
    with app.app_context():
        db.engine.dispose()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="timed requests per kind")
    parser.add_argument("--database-url", help="a postgresql:// URL on 127.0.0.1")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, database(args.database_url, Path(tmp)) as url:
        times = measure(url, Path(tmp), args.requests)
    medians = {kind: statistics.median(values) for kind, values in times.items()}
    for kind, values in times.items():
        deciles = statistics.quantiles(values, n=10)
        print(f"{kind:8} median {medians[kind]:6.2f} ms   p10-p90 {deciles[0]:6.2f}-"
              f"{deciles[-1]:6.2f} ms   ({len(values)} requests)")
    print(f"known - unknown: {medians['known'] - medians['unknown']:+.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
