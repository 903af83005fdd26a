"""Check definition files, for the command line and for CI."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .loader import DEFAULT_LIMITS, Limits, load_definition
from .model import DefinitionError, Problem


def check_paths(paths: Iterable[str | Path], limits: Limits = DEFAULT_LIMITS) -> list[Problem]:
    """Every problem in the given files, and in the *.yaml files of the given directories."""
    problems: list[Problem] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(path.glob("*.yaml"))
            problems.extend(
                Problem(str(odd), 1, 1, "definition files must end in .yaml; this one is ignored")
                for odd in sorted(path.glob("*.yml"))
            )
        elif path.exists():
            files = [path]
        else:
            problems.append(Problem(str(path), 1, 1, "there is no such file or directory"))
            continue
        for file in files:
            try:
                load_definition(file, limits=limits)
            except DefinitionError as error:
                problems.extend(error.problems)
    return problems
