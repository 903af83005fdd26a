"""Browser journeys: a live server on a free port, Debian's Chromium, real SMTP, axe checks."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from seslip.extensions import db
from seslip.factory import create_app
from tests.conftest import make_test_config
from tests.support.smtp import SmtpServer

CHROMIUM = os.environ.get("SESLIP_CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
                if os.environ.get("CI"):
                    item.add_marker(pytest.mark.xfail(reason="CI must have chromium", strict=True))
                else:
                    item.add_marker(
                        pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: "
                                         "apt-get install -y chromium")
                    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@dataclass
class LiveServer:
    app: Flask
    url: str
    smtp: SmtpServer

    def __call__(self, path: str = "/") -> str:
        return self.url + path

    def sync(self, folder: Any = None) -> None:
        """Put definition files in the library, as `seslip definitions sync` does."""
        from seslip.library.services import sync

        with self.app.app_context():
            if folder is not None:
                self.app.config["SESLIP_FORM_DEFINITIONS"] = str(folder)
            sync(None, folder)
            db.session.remove()

    def deliver_mail(self) -> Any:
        """Run the outbox delivery as `flask seslip send-mail` would."""
        from seslip.notifications.delivery import deliver_pending

        with self.app.app_context():
            return deliver_pending()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    smtp = SmtpServer().start()
    config = make_test_config(
        f"sqlite:///{tmp_path / 'browser.db'}",
        tmp_path,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp.port,
    )
    app = create_app(config)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    port = server.server_port
    app.config["SESLIP_BASE_URL"] = f"http://127.0.0.1:{port}"
    with app.app_context():
        db.create_all()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=f"http://127.0.0.1:{port}", smtp=smtp)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
        smtp.stop()
        with app.app_context():
            db.engine.dispose()
