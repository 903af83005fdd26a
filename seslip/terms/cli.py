"""`flask --app app seslip export-document NETWORK_SLUG --format docx|pdf --output PATH`: the
same Word or PDF file as the terms-of-reference page gives."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from seslip.errors import Refusal


@click.command("export-document")
@with_appcontext
@click.argument("network_slug")
@click.option("--format", "fmt", type=click.Choice(("docx", "pdf")), required=True)
@click.option("--output", type=click.Path(path_type=Path), required=True,
              help="The file to write.")
@click.option("--version", "number", type=int, default=None,
              help="A version number (default: the current version).")
def export_document(network_slug: str, fmt: str, output: Path, number: int | None) -> None:
    """Export a network's terms of reference (the current version, or --version N)."""
    from seslip.networks.queries import get_network
    from seslip.terms import exports
    from seslip.terms import services as svc

    try:
        network = get_network(network_slug)
        version = (svc.version_numbered(network, number) if number is not None
                   else svc.current_version(svc.terms_of(network)))
        if version is None:
            raise click.ClickException(f"{network.name} has no published terms of reference.")
        data = exports.export(network, version, fmt)
    except Refusal as error:
        raise click.ClickException(str(error)) from None
    output.write_bytes(data)
    click.echo(f"Wrote version {version.number} of the terms of reference of {network.name} "
               f"to {output} ({len(data):,} bytes).")
