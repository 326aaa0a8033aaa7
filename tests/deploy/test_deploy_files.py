"""The deployment files under deploy/ parse and say what docs/deployment.md promises.

No Docker engine or systemd runs here, so these check the files themselves: the compose
file loads as YAML with the five services on the make targets, each systemd unit has
the keys a graceful stop needs, and the shell script and Procfiles are well-formed.
"""

import configparser
import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = ("stockroom-web.service", "stockroom-worker@.service", "stockroom-beat.service")
MAKE_TARGET = re.compile(r"^([a-z-]+):", re.MULTILINE)


def read_unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    parser.read_string((DEPLOY / "systemd" / name).read_text())
    return parser


def make_targets() -> set[str]:
    return set(MAKE_TARGET.findall((ROOT / "Makefile").read_text()))


def test_the_compose_file_runs_postgres_redis_web_worker_and_beat() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())

    assert {"postgres", "redis", "web", "worker", "beat"} <= set(compose["services"])


@pytest.mark.parametrize("target", ["web", "worker", "beat", "migrate"])
def test_each_compose_service_runs_the_make_target_of_its_name(target: str) -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())

    command = compose["services"][target]["command"]

    assert command[:2] == ["make", target]
    assert target in make_targets()


def test_the_dockerfile_is_slim_frozen_non_root_and_make_based() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()

    assert "FROM python:3.11-slim" in dockerfile
    assert "uv sync --frozen" in dockerfile
    assert re.search(r"^USER stockroom$", dockerfile, re.MULTILINE)
    assert 'CMD ["make", "web"]' in dockerfile


@pytest.mark.parametrize("name", UNITS)
def test_each_systemd_unit_has_the_keys_for_a_supervised_graceful_stop(name: str) -> None:
    service = read_unit(name)["Service"]

    assert service["EnvironmentFile"] == "/etc/stockroom/stockroom.env"
    assert service["Restart"] in {"always", "on-failure"}
    assert service["KillSignal"] == "SIGTERM"
    assert service["KillMode"] == "mixed"
    assert int(service["TimeoutStopSec"]) > 0
    assert service["ExecStart"].startswith("/srv/stockroom/.venv/bin/")
    assert service["User"] == "stockroom"


def test_the_worker_unit_waits_longer_than_the_task_time_limit_before_killing() -> None:
    service = read_unit("stockroom-worker@.service")["Service"]

    assert int(service["TimeoutStopSec"]) > 300


def test_the_web_unit_waits_longer_than_gunicorns_graceful_timeout() -> None:
    service = read_unit("stockroom-web.service")["Service"]
    conf = (ROOT / "gunicorn.conf.py").read_text()
    graceful = int(re.search(r"^graceful_timeout = (\d+)", conf, re.MULTILINE)[1])  # type: ignore[index]

    assert int(service["TimeoutStopSec"]) > graceful


def test_the_prod_like_procfile_runs_web_two_workers_and_one_beat() -> None:
    lines = (DEPLOY / "Procfile").read_text().splitlines()
    processes = dict(line.split(": ", 1) for line in lines if line.strip())

    assert set(processes) == {"web", "worker1", "worker2", "beat"}
    assert sum(" beat " in command for command in processes.values()) == 1


def test_the_prod_like_script_is_valid_bash() -> None:
    result = subprocess.run(  # noqa: S603 - a fixed command line
        ["/bin/bash", "-n", str(DEPLOY / "prod-like.sh")], capture_output=True, check=False
    )

    assert result.returncode == 0, result.stderr
