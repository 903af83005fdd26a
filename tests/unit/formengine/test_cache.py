from __future__ import annotations

import os
from pathlib import Path

import pytest

from seslip.formengine import DefinitionCache, DefinitionError, DefinitionRegistry, check_paths

GOOD = """\
id: {id}
version: {version}
title: {title}
sections:
  - {{id: s, title: S, items: [{{id: q, type: yes_no, label: Q}}]}}
"""


def write(directory: Path, name: str, version: int = 1, title: str = "T") -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(GOOD.format(id=name, version=version, title=title), encoding="utf-8")
    return path


def test_registry_caches_and_reloads_on_change(tmp_path: Path) -> None:
    path = write(tmp_path, "form-a")
    registry = DefinitionRegistry(tmp_path)
    first = registry.get("form-a")
    assert registry.get("form-a") is first  # cached
    write(tmp_path, "form-a", version=2, title="Longer title")  # size changes
    second = registry.get("form-a")
    assert second is not first and second.version == 2
    # Same size, new mtime: reloaded too.
    write(tmp_path, "form-a", version=3, title="Longer title")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    assert registry.get("form-a").version == 3


def test_registry_lists_good_and_reports_broken(tmp_path: Path) -> None:
    write(tmp_path, "form-a")
    write(tmp_path, "form-b")
    (tmp_path / "broken.yaml").write_text("id: broken\nversion: one\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a definition", encoding="utf-8")
    registry = DefinitionRegistry(tmp_path)
    assert [definition.id for definition in registry.all()] == ["form-a", "form-b"]
    assert registry.ids() == ["broken", "form-a", "form-b"]
    problems = registry.problems()
    assert [str(problem) for problem in problems] == [
        f"{tmp_path / 'broken.yaml'}:1:1: missing required key 'title' in the top level",
        f"{tmp_path / 'broken.yaml'}:1:1: missing required key 'sections' in the top level",
        f"{tmp_path / 'broken.yaml'}:2:10: 'version' in the top level: expected a whole number,"
        " not the text 'one'",
    ]
    with pytest.raises(DefinitionError):
        registry.get("broken")


def test_registry_get_unknown_ids(tmp_path: Path) -> None:
    registry = DefinitionRegistry(tmp_path)
    for bad in ("absent", "../etc/passwd", "A", ""):
        with pytest.raises(KeyError):
            registry.get(bad)
    assert DefinitionRegistry(tmp_path / "missing").all() == []


def test_registry_forgets_deleted_files(tmp_path: Path) -> None:
    path = write(tmp_path, "form-a")
    registry = DefinitionRegistry(tmp_path)
    registry.get("form-a")
    path.unlink()
    with pytest.raises(KeyError):
        registry.get("form-a")
    assert registry.all() == []


def test_check_paths(tmp_path: Path) -> None:
    write(tmp_path, "form-a")
    (tmp_path / "old.yml").write_text("x: 1\n", encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("id: bad\n", encoding="utf-8")
    messages = [problem.message for problem in check_paths([tmp_path])]
    assert messages == [
        "definition files must end in .yaml; this one is ignored",
        "missing required key 'version' in the top level",
        "missing required key 'title' in the top level",
        "missing required key 'sections' in the top level",
    ]
    assert check_paths([tmp_path / "form-a.yaml"]) == []
    (missing,) = check_paths([tmp_path / "nope.yaml"])
    assert missing.message == "there is no such file or directory"


def test_check_paths_on_shipped_definitions() -> None:
    assert check_paths([Path(__file__).resolve().parents[3] / "form_definitions"]) == []


def test_one_cache_parses_each_text_once(tmp_path: Path) -> None:
    write(tmp_path, "form-a")
    registry = DefinitionRegistry(tmp_path)
    current = registry.current("form-a")
    # A stored version of the same text is the same parsed definition, however often asked.
    assert registry.stored("form-a", current.source, current.sha256) is current.definition
    assert registry.stored("form-a", current.source, current.sha256) is current.definition
    edited = current.source.replace("title: T", "title: Changed")
    assert registry.stored("form-a", edited, "another-hash").title == "Changed"
    assert registry.current("form-a").definition is current.definition  # file unchanged


def test_the_cache_keeps_only_the_texts_used_last(tmp_path: Path) -> None:
    cache = DefinitionCache(size=2)
    texts = [GOOD.format(id="form-a", version=n, title="T") for n in (1, 2, 3)]
    first = cache.parse(texts[0], path="form-a.yaml", expected_id="form-a")
    assert cache.parse(texts[0], path="form-a.yaml", expected_id="form-a") is first
    cache.parse(texts[1], path="form-a.yaml", expected_id="form-a")
    cache.parse(texts[2], path="form-a.yaml", expected_id="form-a")
    assert cache.parse(texts[0], path="form-a.yaml", expected_id="form-a") is not first


def test_current_of_a_file_that_is_not_utf8_is_a_definition_error(tmp_path: Path) -> None:
    (tmp_path / "form-a.yaml").write_bytes(b"id: form-a\ntitle: \xff\n")
    with pytest.raises(DefinitionError) as caught:
        DefinitionRegistry(tmp_path).current("form-a")
    assert "not valid UTF-8" in str(caught.value)
