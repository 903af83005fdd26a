"""Blueprints and commands are registered by the factory, never as a side effect of an import."""

from __future__ import annotations

import subprocess
import sys

import pytest

AREA_CLIS = ["accounts", "notifications", "organisations", "questionnaires"]


def _imports_after(module: str) -> set[str]:
    code = f"import sys, {module}; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return set(done.stdout.split())


@pytest.mark.parametrize("area", AREA_CLIS)
def test_an_area_cli_does_not_import_the_command_group(area: str) -> None:
    assert "seslip.cli" not in _imports_after(f"seslip.{area}.cli")


def test_the_networks_views_do_not_pull_in_the_staff_pages() -> None:
    assert "seslip.networks.structure_views" not in _imports_after("seslip.networks.views")


def test_the_group_has_every_command_and_demo_is_site_wide() -> None:
    from seslip.cli import demo, seslip_group

    assert set(seslip_group().commands) == {
        "demo", "create-admin", "tick", "send-mail", "sync-organisations", "check-definitions",
        "definitions", "export-responses",
    }
    assert demo.callback is not None and demo.callback.__module__ == "seslip.cli"


def test_tick_runs_every_area_step_once_in_order() -> None:
    from seslip.tick import tick_steps

    names = [getattr(step, "__module__", "") for step in tick_steps()]
    assert names == ["seslip.tick", "seslip.meetings.reminders",  # rotation is wrapped here
                     "seslip.meetings.patterns", "seslip.meetings.action_reminders",
                     "seslip.accounts.ratelimit", "seslip.notifications.digest"]
