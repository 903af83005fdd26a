"""`flask --app app seslip check-definitions [PATH...]` and `seslip definitions schema`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from seslip.formengine import check_paths, schema_text


@click.command("check-definitions")
@with_appcontext
@click.argument("paths", nargs=-1, type=click.Path())
def check_definitions(paths: tuple[str, ...]) -> None:
    """Check the shipped definitions (or the files and folders given).

    Prints every problem as `path:line:column: message` and exits with status 1 if any.
    """
    targets = list(paths) or [current_app.config["SESLIP_FORM_DEFINITIONS"]]
    problems = check_paths(targets)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        files = len({problem.path for problem in problems})
        noun = "problem" if len(problems) == 1 else "problems"
        click.echo(f"{len(problems)} {noun} in {files} file{'' if files == 1 else 's'}.", err=True)
        raise SystemExit(1)
    click.echo(f"All definitions are fine ({', '.join(targets)}).")


@click.group("definitions")
def definitions() -> None:
    """Questionnaire definitions."""


@definitions.command("schema")
def schema() -> None:
    """Print the JSON Schema of definition files, built from the registered question types.

    `flask --app app seslip definitions schema > seslip/formengine/definition.schema.json`
    """
    click.echo(schema_text(), nl=False)
