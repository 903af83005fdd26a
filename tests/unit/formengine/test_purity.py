"""seslip.formengine must stay importable without any web library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_import_loads_no_web_library() -> None:
    code = (
        "import sys, seslip.formengine\n"
        "from seslip.formengine import load_definition\n"
        "load_definition('form_definitions/lead-member-self-assessment-2022-23.yaml')\n"
        "bad = [m for m in ('flask', 'werkzeug', 'jinja2', 'sqlalchemy') if m in sys.modules]\n"
        "assert not bad, bad\n"
        "assert 'seslip.formengine.loader' in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_sources_import_no_web_library_and_no_eval() -> None:
    for path in (REPO / "seslip" / "formengine").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for word in ("flask", "werkzeug", "jinja2", "sqlalchemy"):
            assert f"import {word}" not in source and f"from {word}" not in source, path
        assert "eval(" not in source.replace("_evaluate(", "").replace(".evaluate(", ""), path
        assert "yaml.load(" not in source and "yaml.unsafe" not in source, path
