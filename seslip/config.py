"""Configuration read from SESLIP_* environment variables.

Development gets safe defaults; production refuses to start without a real secret key.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WEAK_SECRETS = {"", "dev", "secret", "changeme", "change-me", "development"}


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says which variable to set."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _dev_secret(instance: Path) -> str:
    # A random key kept in instance/ so sessions survive restarts and several local workers agree.
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(env: dict[str, str] | None = None) -> dict[str, Any]:
    """Build Flask config from the environment (or the mapping given)."""
    env = dict(os.environ if env is None else env)
    mode = env.get("SESLIP_ENV", "development")
    if mode not in {"development", "production", "testing"}:
        raise ConfigError(f"SESLIP_ENV must be development, production or testing, not {mode!r}")
    instance = Path(env.get("SESLIP_INSTANCE_PATH", ROOT / "instance"))
    base_url = env.get("SESLIP_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    secret = env.get("SESLIP_SECRET_KEY", "")
    debug = _bool(env.get("SESLIP_DEBUG"), default=mode == "development")
    if mode == "production":
        if secret.strip().lower() in WEAK_SECRETS or len(secret) < 32:
            raise ConfigError(
                "SESLIP_SECRET_KEY must be set to a random value of at least 32 characters "
                "in production (for example: python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))')"
            )
        if debug:
            raise ConfigError("SESLIP_DEBUG must be off in production")
    elif not secret:
        secret = _dev_secret(instance)
    secure = base_url.startswith("https://")
    return {
        "SESLIP_ENV": mode,
        "DEBUG": debug,
        "TESTING": mode == "testing",
        "SECRET_KEY": secret,
        "SESLIP_INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": env.get(
            "SESLIP_DATABASE_URL", f"sqlite:///{instance / 'seslip.db'}"
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESLIP_BASE_URL": base_url,
        "SESLIP_FORM_DEFINITIONS": env.get(
            "SESLIP_FORM_DEFINITIONS", str(ROOT / "form_definitions")
        ),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure,
        "PERMANENT_SESSION_LIFETIME": int(env.get("SESLIP_SESSION_HOURS", "8")) * 3600,
        # Tokens live as long as the session, so a tab left open does not lose a form.
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_HEADERS": ["X-CSRFToken"],
        # Largest uploaded file (a meeting's paper); a request may be a little larger, so a
        # file just under the limit is refused by the service's message, not a bare 413.
        "SESLIP_MAX_UPLOAD_BYTES": (upload := int(env.get("SESLIP_MAX_UPLOAD_BYTES",
                                                          str(10 * 1024 * 1024)))),
        "MAX_CONTENT_LENGTH": upload + 64 * 1024,
        # Longest questionnaire answer saved (characters, all of a question's fields together):
        # far above any word limit, small enough that drafts and their history stay cheap.
        "SESLIP_MAX_ANSWER_CHARS": int(env.get("SESLIP_MAX_ANSWER_CHARS", "100000")),
        "MAIL_SERVER": env.get("SESLIP_MAIL_SERVER", "127.0.0.1"),
        "MAIL_PORT": int(env.get("SESLIP_MAIL_PORT", "8025")),
        "MAIL_USE_TLS": _bool(env.get("SESLIP_MAIL_USE_TLS")),
        "MAIL_USE_SSL": _bool(env.get("SESLIP_MAIL_USE_SSL")),
        "MAIL_USERNAME": env.get("SESLIP_MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("SESLIP_MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": env.get(
            "SESLIP_MAIL_SENDER", "SESLIP Intranet <no-reply@seslip.invalid>"
        ),
        "MAIL_TIMEOUT": int(env.get("SESLIP_MAIL_TIMEOUT", "10")),
        # Flask-Mail silently drops mail when TESTING is on; the outbox decides instead.
        "MAIL_SUPPRESS_SEND": _bool(env.get("SESLIP_MAIL_SUPPRESS_SEND")),
        # Outbox delivery: retry with backoff (1, 2, 4... minutes), then give up.
        "SESLIP_MAIL_MAX_ATTEMPTS": int(env.get("SESLIP_MAIL_MAX_ATTEMPTS", "8")),
        "SESLIP_MAIL_RETRY_SECONDS": int(env.get("SESLIP_MAIL_RETRY_SECONDS", "60")),
        "SESLIP_MAIL_STALE_MINUTES": int(env.get("SESLIP_MAIL_STALE_MINUTES", "15")),
        # argon2 cost; tests lower it so the suite stays quick.
        "SESLIP_ARGON2_TIME_COST": int(env.get("SESLIP_ARGON2_TIME_COST", "3")),
        "SESLIP_ARGON2_MEMORY_KIB": int(env.get("SESLIP_ARGON2_MEMORY_KIB", "65536")),
        # How many reverse proxies sit in front (X-Forwarded-For is trusted that many hops);
        # 0 means none, so the rate limits see the real client address.
        "SESLIP_PROXY_COUNT": int(env.get("SESLIP_PROXY_COUNT", "0")),
        "SESLIP_TIMEZONE": env.get("SESLIP_TIMEZONE", "Europe/London"),
        # Lifetimes of the links in invitation and password-reset emails.
        "SESLIP_INVITATION_DAYS": int(env.get("SESLIP_INVITATION_DAYS", "7")),
        "SESLIP_RESET_HOURS": int(env.get("SESLIP_RESET_HOURS", "1")),
    }
