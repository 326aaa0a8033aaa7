"""`flask` command groups, one module per group (as Overholt's manage commands).

Rule: commands parse arguments, call services, print; they never query directly.
"""

from flask import Flask

from app.cli.deploy_commands import deploy_check


def init_app(app: Flask) -> None:
    """Register every command group on the app's CLI."""
    app.cli.add_command(deploy_check)
