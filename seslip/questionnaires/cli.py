"""`flask --app app seslip check-definitions [PATH...]` and `seslip definitions schema`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from seslip.cli import seslip_cli
from seslip.extensions import db
from seslip.formengine import Problem, check_paths, schema_text


@seslip_cli.command("check-definitions")
@click.argument("paths", nargs=-1, type=click.Path())
def check_definitions(paths: tuple[str, ...]) -> None:
    """Check the shipped definitions (or the files and folders given).

    Prints every problem as `path:line:column: message` and exits with status 1 if any.
    """
    targets = list(paths) or [current_app.config["SESLIP_FORM_DEFINITIONS"]]
    problems = check_paths(targets)
    if not paths:
        problems.extend(_changed_without_new_version())
    for problem in problems:
        click.echo(str(problem))
    if problems:
        files = len({problem.path for problem in problems})
        noun = "problem" if len(problems) == 1 else "problems"
        click.echo(f"{len(problems)} {noun} in {files} file{'' if files == 1 else 's'}.", err=True)
        raise SystemExit(1)
    click.echo(f"All definitions are fine ({', '.join(targets)}).")


def _changed_without_new_version() -> list[Problem]:
    """Shipped files whose text changed while `version` did not (see services.version_clashes),
    located at their `version:` line. Needs the database: skipped when it is not there."""
    from seslip.questionnaires import services
    from seslip.questionnaires.engine import engine, file_name

    try:
        clashes = services.version_clashes(engine().ids())
    except SQLAlchemyError:
        db.session.rollback()
        return []
    problems: list[Problem] = []
    for definition_id, message in sorted(clashes.items()):
        path = file_name(definition_id)
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        line = next((n for n, text in enumerate(lines, 1) if text.startswith("version:")), 1)
        problems.append(Problem(path, line, 1, message))
    return problems


@seslip_cli.group("definitions")
def definitions() -> None:
    """Questionnaire definitions."""


@definitions.command("schema")
def schema() -> None:
    """Print the JSON Schema of definition files, built from the registered question types.

    `flask --app app seslip definitions schema > seslip/formengine/definition.schema.json`
    """
    click.echo(schema_text(), nl=False)
