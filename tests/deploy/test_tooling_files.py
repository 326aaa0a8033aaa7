"""The Makefile's help and seed targets, and the pre-commit hooks, do what the docs say."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make") or "make"


def make(*args: str) -> str:
    result = subprocess.run(  # noqa: S603 - a fixed command line
        [MAKE, "--no-print-directory", "-C", str(ROOT), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_make_help_lists_seed_and_shows_the_port_instead_of_a_make_variable() -> None:
    lines = make("help", "PORT=8123").splitlines()

    assert "  make seed         Seed the demo accounts" in lines
    assert any(line.endswith("on http://127.0.0.1:8123") for line in lines if "make run" in line)
    assert not [line for line in lines if "$(" in line]


def test_make_seed_migrates_then_seeds_the_demo_accounts() -> None:
    commands = make("-n", "seed").splitlines()

    assert commands[-2:] == [
        ".venv/bin/flask --app wsgi db upgrade heads",
        ".venv/bin/flask --app wsgi seed demo",
    ]


def test_every_phony_target_has_a_rule() -> None:
    makefile = (ROOT / "Makefile").read_text()
    phony = {
        name
        for line in makefile.splitlines()
        if line.startswith(".PHONY:")
        for name in line.removeprefix(".PHONY:").split()
    }

    assert [name for name in sorted(phony) if f"\n{name}:" not in makefile] == []


def load_hooks() -> list[dict[str, object]]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks: list[dict[str, object]] = config["repos"][0]["hooks"]
    return hooks


def test_pre_commit_runs_ruff_check_ruff_format_and_mypy() -> None:
    assert [hook["id"] for hook in load_hooks()] == ["ruff-check", "ruff-format", "mypy"]


@pytest.mark.parametrize("hook", load_hooks(), ids=lambda hook: str(hook["id"]))
def test_each_pre_commit_hook_runs_the_projects_own_tool_from_the_venv(
    hook: dict[str, object],
) -> None:
    executable = str(hook["entry"]).split()[0]

    assert hook["language"] == "system"
    assert executable.startswith(".venv/bin/")
    assert (ROOT / executable).is_file()
