"""The deployment files under deploy/ parse and say what docs/deployment.md promises.

No Docker engine or systemd runs here, so these check the files themselves: the compose
file loads as YAML with the five services on the make targets, each systemd unit has
the keys a graceful stop needs, and the shell script and Procfiles are well-formed and
stop the way docs/decisions.md D12 says (every Procfile line `exec`s).
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


def procfile_commands(path: Path) -> dict[str, str]:
    lines = path.read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


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
    processes = procfile_commands(DEPLOY / "Procfile")

    assert set(processes) == {"web", "worker1", "worker2", "beat"}
    assert sum(" beat " in command for command in processes.values()) == 1


def test_the_prod_like_script_is_valid_bash() -> None:
    result = subprocess.run(  # noqa: S603 - a fixed command line
        ["/bin/bash", "-n", str(DEPLOY / "prod-like.sh")], capture_output=True, check=False
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", [ROOT / "Procfile", DEPLOY / "Procfile"], ids=["dev", "prod-like"])
def test_every_procfile_line_execs_so_the_leader_is_the_server_not_a_shell(path: Path) -> None:
    commands = procfile_commands(path)

    assert commands
    assert [name for name, command in commands.items() if not command.startswith("exec ")] == []


def test_the_prod_like_script_ends_by_execing_the_graceful_procfile_runner() -> None:
    lines = [line for line in (DEPLOY / "prod-like.sh").read_text().splitlines() if line.strip()]

    assert lines[-1] == (
        "exec $BIN/python scripts/run_procfile.py start"
        ' -f deploy/Procfile -d . -e "$ENV_FILE" -p "$PORT"'
    )
    assert not any("honcho start" in line for line in lines if not line.startswith("#"))


def test_the_web_container_sums_its_workers_metrics_in_a_fresh_tmpfs() -> None:
    web = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]["web"]
    directory = web["environment"]["PROMETHEUS_MULTIPROC_DIR"]

    assert int(web["environment"]["WEB_CONCURRENCY"]) > 1
    assert [mount.split(":")[0] for mount in web["tmpfs"]] == [directory]


def test_the_web_unit_sums_its_workers_metrics_in_its_runtime_directory() -> None:
    text = (DEPLOY / "systemd" / "stockroom-web.service").read_text()
    environment = dict(
        line.removeprefix("Environment=").split("=", 1)
        for line in text.splitlines()
        if line.startswith("Environment=")
    )

    runtime_directory = read_unit("stockroom-web.service")["Service"]["RuntimeDirectory"]
    assert environment["PROMETHEUS_MULTIPROC_DIR"] == f"/run/{runtime_directory}"
    assert environment["STOCKROOM_ENV"] == "production"
