"""`flask` command groups, one module per group (as Overholt's manage commands).

Rule: commands parse arguments, call services, print; they never query directly.
"""

from flask import Flask

from app.cli.catalog_commands import seed_catalog_command
from app.cli.deploy_commands import deploy_check
from app.cli.export_commands import export_group
from app.cli.import_commands import import_group
from app.cli.seed_commands import seed
from app.cli.users_commands import users


def init_app(app: Flask) -> None:
    """Register every command group on the app's CLI."""
    app.cli.add_command(deploy_check)
    app.cli.add_command(users)
    seed.add_command(seed_catalog_command)  # `flask seed catalog`
    app.cli.add_command(seed)
    app.cli.add_command(import_group)  # `flask import products FILE.csv`
    app.cli.add_command(export_group)  # `flask export products FILE.csv`
