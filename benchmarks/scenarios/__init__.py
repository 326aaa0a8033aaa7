"""Scenarios: one module per request measured, each exposing `SCENARIO` (see base.py).

Add a scenario by adding a module here; `--scenarios` names them by module name.
"""

import importlib
import importlib.util
import pkgutil

from benchmarks.scenarios.base import Scenario

NOT_SCENARIOS = frozenset({"base"})


def available_names() -> list[str]:
    """Return the name of every scenario module, in a stable order (health first)."""
    names = [
        module.name for module in pkgutil.iter_modules(__path__) if module.name not in NOT_SCENARIOS
    ]
    return sorted(names, key=lambda name: (name != "health", name))


def load(name: str) -> Scenario:
    """Import one scenario module and return its SCENARIO.

    Raises:
        KeyError: for a name that is no scenario module.
    """
    if name not in available_names():
        raise KeyError(name)
    scenario: Scenario = importlib.import_module(f"benchmarks.scenarios.{name}").SCENARIO
    return scenario


def missing_requirements(scenario: Scenario) -> list[str]:
    """Return the app modules a scenario needs that do not exist (yet)."""
    return [name for name in scenario.requires if importlib.util.find_spec(name) is None]
