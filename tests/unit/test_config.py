"""Configuration from SESLIP_* variables: production refuses unsafe settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from seslip.config import ConfigError, load_config

STRONG = "q7Jx-2vL9sPzR4mT8wYc1nB6dF3hK0aE5uGi"  # 36 random characters


def env(tmp_path: Path, **values: str) -> dict[str, str]:
    return {"SESLIP_INSTANCE_PATH": str(tmp_path / "instance"), **values}


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SESLIP_SECRET_KEY"):
        load_config(env(tmp_path, SESLIP_ENV="production"))


@pytest.mark.parametrize("secret", ["", "dev", "changeme", "secret", "short-but-random-9f3"])
def test_production_refuses_weak_or_short_secret_keys(tmp_path: Path, secret: str) -> None:
    with pytest.raises(ConfigError, match="SESLIP_SECRET_KEY"):
        load_config(env(tmp_path, SESLIP_ENV="production", SESLIP_SECRET_KEY=secret))


@pytest.mark.parametrize("debug", ["1", "true", "on"])
def test_production_refuses_debug(tmp_path: Path, debug: str) -> None:
    with pytest.raises(ConfigError, match="SESLIP_DEBUG"):
        load_config(
            env(tmp_path, SESLIP_ENV="production", SESLIP_SECRET_KEY=STRONG, SESLIP_DEBUG=debug)
        )


def test_production_with_a_real_key_starts_with_secure_cookies_on_https(tmp_path: Path) -> None:
    config = load_config(
        env(
            tmp_path,
            SESLIP_ENV="production",
            SESLIP_SECRET_KEY=STRONG,
            SESLIP_BASE_URL="https://intranet.seslip.example/",
        )
    )
    assert config["DEBUG"] is False and config["SECRET_KEY"] == STRONG
    assert config["SESLIP_BASE_URL"] == "https://intranet.seslip.example"
    assert config["SESSION_COOKIE_SECURE"] is True and config["REMEMBER_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not (tmp_path / "instance" / "secret_key").exists()  # never a generated fallback


def test_unknown_environment_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SESLIP_ENV"):
        load_config(env(tmp_path, SESLIP_ENV="staging"))


def test_development_keeps_a_random_key_in_the_instance_folder(tmp_path: Path) -> None:
    first = load_config(env(tmp_path))
    second = load_config(env(tmp_path))

    assert len(first["SECRET_KEY"]) >= 32 and first["SECRET_KEY"] == second["SECRET_KEY"]
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0
    assert first["SESSION_COOKIE_SECURE"] is False  # http://127.0.0.1 by default


def test_mail_delivery_settings(tmp_path: Path) -> None:
    defaults = load_config(env(tmp_path))
    assert defaults["MAIL_SUPPRESS_SEND"] is False  # TESTING must not silently drop mail
    assert defaults["SESLIP_MAIL_MAX_ATTEMPTS"] == 8
    assert defaults["SESLIP_MAIL_RETRY_SECONDS"] == 60

    tuned = load_config(
        env(tmp_path, SESLIP_MAIL_MAX_ATTEMPTS="3", SESLIP_MAIL_RETRY_SECONDS="5")
    )
    assert (tuned["SESLIP_MAIL_MAX_ATTEMPTS"], tuned["SESLIP_MAIL_RETRY_SECONDS"]) == (3, 5)


def test_defaults_live_in_config_py_only(tmp_path: Path) -> None:
    # A second default beside a read (config.get("KEY", 8)) drifts from the one here.
    import re

    import seslip

    defined = set(load_config(env(tmp_path)))
    second_defaults = [
        f"{path.name}: {match.group(0)}"
        for path in Path(seslip.__file__).parent.rglob("*.py")
        for match in re.finditer(r"config\.get\(\s*[\"'](\w+)[\"']\s*,", path.read_text())
        if match.group(1) in defined
    ]
    assert second_defaults == []
