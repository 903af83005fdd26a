"""static/js/wordcount.js must count exactly like count_words; checked with Node when present."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from seslip.formengine import count_words

from .test_words import CASES

SCRIPT = Path(__file__).resolve().parents[3] / "static" / "js" / "wordcount.js"
NODE = shutil.which("node")


def test_script_uses_unicode_letter_and_number_classes() -> None:
    source = SCRIPT.read_text(encoding="utf-8")
    assert "/[\\p{L}\\p{N}]/u" in source
    assert "window.seslipCountWords = seslipCountWords" in source


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_javascript_matches_python() -> None:
    texts = [text for text, _ in CASES] + ["\u0085x\u001cy\ufeffz", "a\u2028b\u3000c", "x\u180ey"]
    program = (
        "globalThis.window = globalThis;\n"
        + SCRIPT.read_text(encoding="utf-8")
        + f"\nconsole.log(JSON.stringify({json.dumps(texts)}.map(window.seslipCountWords)));\n"
    )
    assert NODE is not None
    result = subprocess.run(
        [NODE, "-e", program], capture_output=True, text=True, check=True, timeout=30
    )
    assert json.loads(result.stdout) == [count_words(text) for text in texts]
