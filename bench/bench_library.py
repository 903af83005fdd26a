"""The questionnaire library's editor: its page weight, and the server-side check's time on the
biggest shipped definition, as ratios to baselines measured in the same run.

    .venv/bin/python bench/bench_library.py [--runs 30]

In one process through the Flask test client (SQLite in a temporary folder, removed after):

- weight: every byte the editor page loads (its HTML, then each stylesheet and script it
  links), with the Lead Member self-assessment as the draft and empty (a new questionnaire),
  against the library's list page (the same layout, no editor) as the baseline; raw and gzip;
- check: the median time of the live check (`POST /admin/questionnaires/check`, what the
  editor sends at every pause in typing, and `library.services.check` alone) on the
  self-assessment, against the same on a trivial one-question definition.

It prints figures and asserts nothing; see bench/README.md.
"""

from __future__ import annotations

import argparse
import gzip
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BIG = "lead-member-self-assessment-2022-23"
TRIVIAL = ("id: trivial\nversion: 1\ntitle: Trivial\nsections:\n  - id: one\n    title: One\n"
           "    items:\n      - {id: q, type: short_text, label: A question}\n")
ASSET_RE = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')
WARMUP = 3


@dataclass
class Weight:
    """What a page loads: bytes of HTML, CSS and JS, raw and gzip-compressed."""

    html: int
    css: int
    js: int
    gzip_total: int

    @property
    def total(self) -> int:
        return self.html + self.css + self.js


def page_weight(client: Any, path: str) -> Weight:
    html = client.get(path)
    assert html.status_code == 200, (path, html.status_code)
    sizes = {"css": 0, "js": 0}
    compressed = len(gzip.compress(html.data))
    for url in ASSET_RE.findall(html.get_data(as_text=True)):
        asset = client.get(url)
        assert asset.status_code == 200, (url, asset.status_code)
        sizes["css" if url.split("?")[0].endswith(".css") else "js"] += len(asset.data)
        compressed += len(gzip.compress(asset.data))
        asset.close()
    return Weight(len(html.data), sizes["css"], sizes["js"], compressed)


def median_ms(work: Callable[[], object], runs: int) -> float:
    for _ in range(WARMUP):
        work()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(folder: Path, runs: int) -> dict[str, Any]:
    from seslip.extensions import db
    from seslip.factory import create_app
    from seslip.library import services
    from tests.support.factories import csrf_token, login, make_admin

    app = create_app({
        "SESLIP_ENV": "testing", "SECRET_KEY": secrets.token_urlsafe(32),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
        "SESLIP_INSTANCE_PATH": str(folder / "instance"), "SESLIP_BASE_URL": "http://localhost",
        "SESLIP_ARGON2_TIME_COST": 1, "SESLIP_ARGON2_MEMORY_KIB": 1024,
    })
    big = (ROOT / "form_definitions" / f"{BIG}.yaml").read_text("utf-8")
    with app.app_context():
        db.create_all()
        admin = make_admin()
        questionnaire = services.create(admin, big.replace(f"id: {BIG}", "id: bench-big", 1))
        client = app.test_client()
        login(client, admin)
        token = csrf_token(client, "/admin/questionnaires/new")
        weights = {
            "library list (baseline)": page_weight(client, "/admin/questionnaires/"),
            "editor, new questionnaire": page_weight(client, "/admin/questionnaires/new"),
            "editor, self-assessment draft": page_weight(
                client, f"/admin/questionnaires/{questionnaire.definition_id}/edit"),
        }

        def post_check(text: str) -> Callable[[], object]:
            def run() -> object:
                answer = client.post("/admin/questionnaires/check", headers={
                    "HX-Request": "true"}, data={"csrf_token": token, "source": text})
                assert answer.status_code == 200, answer.status_code
                return answer.data
            return run

        problems = len(services.check(big).problems)
        assert problems == 0, f"{BIG} has {problems} problems"
        checks = {
            "services.check": (median_ms(lambda: services.check(TRIVIAL), runs),
                               median_ms(lambda: services.check(big), runs)),
            "POST /check": (median_ms(post_check(TRIVIAL), runs),
                            median_ms(post_check(big), runs)),
        }
        db.session.remove()
    return {"weights": weights, "checks": checks, "big_bytes": len(big.encode()),
            "big_lines": big.count("\n")}


def report(found: dict[str, Any], runs: int) -> None:
    weights: dict[str, Weight] = found["weights"]
    base = weights["library list (baseline)"]
    print("Editor page weight (bytes the page loads: HTML + every stylesheet and script)")
    print(f"{'page':32} {'HTML':>8} {'CSS':>8} {'JS':>8} {'total':>8} {'gzip':>8} {'× base':>7}")
    for name, weight in weights.items():
        print(f"{name:32} {weight.html:8,} {weight.css:8,} {weight.js:8,} {weight.total:8,} "
              f"{weight.gzip_total:8,} {weight.total / base.total:7.2f}")
    print(f"\nThe check (median of {runs} runs, after {WARMUP} untimed): {BIG} "
          f"({found['big_bytes']:,} bytes, {found['big_lines']:,} lines) against a "
          "one-question definition")
    print(f"{'what':18} {'trivial ms':>11} {'self-assessment ms':>19} {'× trivial':>10}")
    for name, (trivial, big) in found["checks"].items():
        print(f"{name:18} {trivial:11.2f} {big:19.2f} {big / trivial:10.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each check")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="seslip-bench-library-") as folder:
        report(measure(Path(folder), args.runs), args.runs)


if __name__ == "__main__":
    main()
