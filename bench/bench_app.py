"""The app under measurement plus one bare route, the baseline every ratio is taken against.

The bare route sits in the same app behind the same hooks (session, login check, CSRF), so
its latency is what any request costs before a view does real work. Being public, it skips
loading the signed-in person; the signed-in route does not, and shows that floor.

Gunicorn calls the factory: `gunicorn 'bench.bench_app:build_app()'`. Nothing is built at
import time, so tests can import this module without touching the environment's database.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from seslip.factory import create_app
from seslip.web import public

BARE_PATH = "/bench/bare"
SIGNED_IN_PATH = "/bench/signed-in"


@public
def bare() -> str:
    return "ok"


def signed_in() -> str:
    return "ok"


def add_bare_route(app: Flask) -> Flask:
    app.add_url_rule(BARE_PATH, "bench_bare", bare, methods=["GET"])
    app.add_url_rule(SIGNED_IN_PATH, "bench_signed_in", signed_in, methods=["GET"])
    return app


def build_app(config: dict[str, Any] | None = None) -> Flask:
    return add_bare_route(create_app(config))
