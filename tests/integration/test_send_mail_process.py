"""A real `flask --app app seslip send-mail` process, stopped and killed in the middle of a run.

The mail server is slow on purpose (every message takes a moment to accept), so the signal
arrives while the run still has work to do. Both databases.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from seslip.extensions import db, mail
from seslip.notifications.delivery import deliver_pending
from seslip.notifications.models import OutboxMessage, OutboxStatus
from seslip.timeutil import utcnow
from tests.support.smtp import SmtpServer, _Handler

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 30


class _SlowHandler(_Handler):
    """Takes a while over every message, as a loaded relay does."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.25)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_smtp(app: Flask) -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.handler = _SlowHandler()
    server.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    mail.init_app(app)
    yield server
    server.stop()


def queue_many() -> None:
    for n in range(MESSAGES):
        db.session.add(
            OutboxMessage(
                event="meeting_papers",
                audience="member",
                recipient=f"member{n}@example.org",
                subject=f"Papers {n}",
                body_text="The papers are ready.",
            )
        )
    db.session.commit()


def start_send_mail(app: Flask, server: SmtpServer, tmp_path: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "SESLIP_ENV": "testing",
        "SESLIP_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SESLIP_SECRET_KEY": app.config["SECRET_KEY"],
        "SESLIP_INSTANCE_PATH": str(tmp_path / "worker"),
        "SESLIP_BASE_URL": "http://localhost",
        "SESLIP_MAIL_SERVER": "127.0.0.1",
        "SESLIP_MAIL_PORT": str(server.port),
    }
    flask = Path(sys.executable).parent / "flask"
    return subprocess.Popen(
        [str(flask), "--app", "app", "seslip", "send-mail"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def counts() -> Counter[OutboxStatus]:
    db.session.rollback()  # see what the worker committed
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    return Counter({status: number for status, number in rows})


def wait_until_some_sent(process: subprocess.Popen[str], at_least: int = 2) -> None:
    deadline = time.monotonic() + 60  # the worker starts a whole app; the machine is shared
    while counts()[OutboxStatus.SENT] < at_least:
        if process.poll() is not None:
            raise AssertionError(f"send-mail ended early: {process.communicate()}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("send-mail sent nothing within a minute")
        time.sleep(0.05)


def received(server: SmtpServer) -> Counter[str]:
    return Counter(m.recipients[0] for m in server.messages)


def test_sigterm_mid_run_leaves_nothing_in_sending(
    app: Flask, slow_smtp: SmtpServer, tmp_path: Path
) -> None:
    queue_many()
    process = start_send_mail(app, slow_smtp, tmp_path)
    wait_until_some_sent(process)

    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)

    assert process.returncode == 0, (out, err)
    assert "Stopped early: asked to stop" in out
    after = counts()
    assert after[OutboxStatus.SENDING] == 0, after
    assert after[OutboxStatus.SENT] + after[OutboxStatus.PENDING] == MESSAGES
    assert after[OutboxStatus.PENDING] > 0  # it really was stopped in the middle
    assert sum(received(slow_smtp).values()) == after[OutboxStatus.SENT]
    assert max(received(slow_smtp).values()) == 1

    # The next run sends the rest, each once.
    summary = deliver_pending()
    assert summary.sent == after[OutboxStatus.PENDING] and summary.still_pending == 0
    assert received(slow_smtp) == Counter(f"member{n}@example.org" for n in range(MESSAGES))


def test_sigkill_mid_run_strands_at_most_the_message_in_hand(
    app: Flask, slow_smtp: SmtpServer, tmp_path: Path
) -> None:
    queue_many()
    process = start_send_mail(app, slow_smtp, tmp_path)
    wait_until_some_sent(process)

    process.kill()
    process.communicate(timeout=60)

    after = counts()
    assert after[OutboxStatus.SENDING] <= 1, after  # one claim at a time, not the batch
    assert after[OutboxStatus.SENT] + after[OutboxStatus.PENDING] >= MESSAGES - 1

    # Later, a run finds the dead worker's claim: back to pending if it never reached SMTP,
    # left for an admin if it did; either way nobody gets a message twice.
    summary = deliver_pending(now=utcnow() + timedelta(minutes=20))
    final = counts()
    assert final[OutboxStatus.PENDING] == 0
    assert final[OutboxStatus.SENDING] == summary.needs_checking <= 1
    assert max(received(slow_smtp).values()) == 1
    assert final[OutboxStatus.SENT] == MESSAGES - summary.needs_checking
