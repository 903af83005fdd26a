"""`flask --app app seslip check-definitions [PATH...]`, `seslip definitions ...` (schema, and
sync, import, list and export, which call the library's services) and
`seslip export-responses DEFINITION_ID --format csv|docx|pdf|zip --output PATH`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from seslip.errors import Refusal
from seslip.extensions import db
from seslip.formengine import Problem, check_paths, schema_text
from seslip.questionnaires import exports, versions


@click.command("check-definitions")
@with_appcontext
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


@click.group("definitions")
def definitions() -> None:
    """Questionnaire definitions."""


@definitions.command("schema")
def schema() -> None:
    """Print the JSON Schema of definition files, built from the registered question types.

    `flask --app app seslip definitions schema > seslip/formengine/definition.schema.json`
    """
    click.echo(schema_text(), nl=False)


def _report(outcomes: list[Any]) -> None:
    for outcome in outcomes:
        click.echo(str(outcome))
        for problem in outcome.problems:
            click.echo(f"  {problem}")
    if any(outcome.done == "refused" for outcome in outcomes):
        raise SystemExit(1)


@definitions.command("sync")
@with_appcontext
def sync() -> None:
    """Import the shipped files in form_definitions/ as published versions: new questionnaires
    and higher versions; a version made in the browser that is as new or newer is kept."""
    from seslip.library import services as library

    _report(library.sync(None))


@definitions.command("import")
@with_appcontext
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--publish", is_flag=True, help="Publish each file as a new version at once.")
def import_(paths: tuple[str, ...], publish: bool) -> None:
    """Import definition files into the library, as drafts (or published, with --publish)."""
    from seslip.library import services as library

    _report(library.import_files(None, paths, publish))


@definitions.command("list")
@with_appcontext
def list_() -> None:
    """Every questionnaire in the library: id, status, current version, responses."""
    from seslip.library import services as library

    entries = library.library(None)
    if not entries:
        click.echo("The library is empty: run `flask --app app seslip definitions sync`.")
    for entry in entries:
        q = entry.questionnaire
        current = f"version {q.current_version.version}" if q.current_version else "unpublished"
        draft = ", draft being written" if q.has_draft else ""
        click.echo(f"{q.definition_id}\t{q.status.value}\t{current}{draft}\t"
                   f"{entry.in_progress} in progress, {entry.finalised} finalised\t{q.title}")


@definitions.command("export")
@with_appcontext
@click.argument("definition_id")
@click.option("--version", "number", type=int, help="The version number (default: current).")
def export(definition_id: str, number: int | None) -> None:
    """Print a published version's YAML (the current one unless --version N)."""
    from seslip.library import services as library

    try:
        version = library.version_numbered(library.get(None, definition_id), number)
    except Refusal as error:
        raise click.ClickException(error.message) from error
    click.echo(version.source, nl=not version.source.endswith("\n"))


@click.command("export-responses")
@with_appcontext
@click.argument("definition_id")
@click.option("--format", "fmt", type=click.Choice(exports.FORMATS), required=True,
              help="csv: one file, a row per response; zip: one file of Word documents; "
                   "docx or pdf: one file per response in the folder OUTPUT.")
@click.option("--output", type=click.Path(path_type=Path), required=True,
              help="The file to write (csv, zip) or the folder to write into (docx, pdf).")
def export_responses(definition_id: str, fmt: exports.Format, output: Path) -> None:
    """Export every response to the questionnaire DEFINITION_ID (the same files as the pages)."""
    try:
        if fmt in ("csv", "zip"):
            file = exports.responses_file(None, definition_id, fmt)
            output.write_bytes(file.data)
            click.echo(f"Wrote {output}.")
            return
        _, everyone = exports.responses_of(None, definition_id)
    except Refusal as error:  # no such questionnaire (NotFound) or a service's refusal
        raise click.ClickException(f"{error.message} ({definition_id})") from None
    output.mkdir(parents=True, exist_ok=True)
    earlier = versions.earlier_answers_of(everyone)
    for loaded in everyone:
        path = output / exports.file_name(loaded.response, fmt)
        document = exports.document_of(loaded, earlier.get(loaded.response.id, []))
        try:
            data = exports.to_docx(document) if fmt == "docx" else exports.to_pdf(document)
        except exports.PdfUnavailable:
            raise click.ClickException("PDF files cannot be made here: WeasyPrint needs Pango. "
                                       "Run scripts/system-packages.") from None
        path.write_bytes(data)
        click.echo(f"Wrote {path}.")
    click.echo(f"{len(everyone)} response{'' if len(everyone) == 1 else 's'} exported.")
