"""`flask deploy-check`: list every unsafe production setting and exit non-zero if any."""

import click
from flask import current_app
from flask.cli import with_appcontext

from app.services.deploy_check_service import find_unsafe_settings


@click.command("deploy-check")
@with_appcontext
def deploy_check() -> None:
    """Check the current settings for production; exit 1 when any is unsafe."""
    findings = find_unsafe_settings(dict(current_app.config))
    if not findings:
        click.echo("deploy-check: no unsafe settings found.")
        return
    for finding in findings:
        click.echo(f"{finding.id} {finding.problem}\n     fix: {finding.fix}", err=True)
    click.echo(f"deploy-check: {len(findings)} unsafe setting(s).", err=True)
    raise SystemExit(1)
