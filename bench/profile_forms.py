"""Where the time of a questionnaire request goes: one process, no gunicorn, cProfile.

    .venv/bin/python bench/profile_forms.py [--requests 300] [--phase page] [--top 25]

Uses the same app as bench_forms.py (bench_app.build_app) on a throwaway SQLite database and
the Flask test client, so the figures are service times without queueing or HTTP parsing. It
prints the mean time per request of each phase, then the functions with the most cumulative (or own)
time for the phase asked for.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_forms import (  # noqa: E402 - needs the repository on the path
    CSRF_RE,
    DEFINITION_ID,
    PHASES,
    QUESTION_ID,
    RESPONSE_RE,
    REVISION_RE,
    SECTION_ID,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--phase", choices=PHASES, default="page")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", choices=("cumulative", "tottime"), default="cumulative")
    args = parser.parse_args()

    from sqlalchemy import select

    from bench.bench_app import BARE_PATH, SIGNED_IN_PATH, build_app
    from seslip.accounts.models import OrgRole
    from seslip.accounts.services import create_user
    from seslip.extensions import db
    from seslip.organisations.models import Organisation
    from seslip.organisations.services import ensure_organisations

    workdir = Path(tempfile.mkdtemp(prefix="seslip-profile-"))
    try:
        password = secrets.token_urlsafe(16)
        app = build_app({
            "SESLIP_ENV": "production", "DEBUG": False, "TESTING": False,
            "SECRET_KEY": secrets.token_urlsafe(36),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'profile.db'}",
            "SESLIP_INSTANCE_PATH": str(workdir), "SESLIP_BASE_URL": "http://localhost",
        })
        with app.app_context():
            db.create_all()
            ensure_organisations(None)
            org = db.session.scalars(select(Organisation).order_by(Organisation.slug)).first()
            assert org is not None
            email = create_user(None, email="lead@bench.example", name="Lead Member",
                                organisation_id=org.id, org_role=OrgRole.LEAD_MEMBER,
                                password=password).email
        client = app.test_client()

        def csrf(html: str) -> str:
            found = CSRF_RE.search(html)
            assert found is not None
            return found.group(1) or found.group(2)

        token = csrf(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"email": email, "password": password, "csrf_token": token})
        token = csrf(client.get("/questionnaires/").get_data(as_text=True))
        started = client.post(f"/questionnaires/{DEFINITION_ID}/start",
                              data={"csrf_token": token})
        found = RESPONSE_RE.search(started.headers["Location"])
        assert found is not None
        base = f"/questionnaires/responses/{found.group(1)}"
        section = f"{base}/sections/{SECTION_ID}"
        state = {"rev": "0", "n": 0}

        def bare() -> int:
            return client.get(BARE_PATH).status_code

        def signed_in() -> int:
            return client.get(SIGNED_IN_PATH).status_code

        def page() -> int:
            return client.get(section).status_code

        def autosave() -> int:
            state["n"] += 1
            response = client.post(
                f"{base}/answers/{QUESTION_ID}",
                data={"csrf_token": token, QUESTION_ID: f"Our ambition, draft {state['n']}.",
                      f"rev.{QUESTION_ID}": state["rev"]},
                headers={"X-CSRFToken": token, "HX-Request": "true"},
            )
            match = REVISION_RE.search(response.get_data(as_text=True))
            if match:
                state["rev"] = match.group(1)
            return response.status_code

        actions: dict[str, Callable[[], int]] = {
            "bare": bare, "signed_in": signed_in, "page": page, "autosave": autosave,
        }
        means = {}
        for name, action in actions.items():
            for _ in range(20):
                action()
            began = time.perf_counter()
            statuses = {action() for _ in range(args.requests)}
            means[name] = (time.perf_counter() - began) / args.requests
            print(f"{name:<9} {means[name] * 1000:7.2f} ms per request "
                  f"({means[name] / means['bare']:.1f}x bare), statuses {sorted(statuses)}")

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            actions[args.phase]()
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats(args.sort)
        stats.print_stats(args.top)
        text = re.sub(str(ROOT) + "/", "", out.getvalue())
        print(f"\ncProfile of {args.requests} {args.phase} requests:\n{text}")
        with app.app_context():
            db.engine.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
