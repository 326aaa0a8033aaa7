"""Start and stop the real server: `gunicorn --config gunicorn.conf.py wsgi:app`."""

import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[3]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
WORKERS = 2
START_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 15.0
# What the process must not inherit from whoever runs the tests: it gets its own.
INHERITED_SETTINGS_DROPPED = (
    "DATABASE_URL",
    "SECRET_KEY",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "MAIL_BACKEND",
    "MAIL_OUTBOX_DIR",
    "RATELIMIT_STORAGE_URI",
    "GUNICORN_THREADS",
)


@dataclass(frozen=True)
class Server:
    """A running gunicorn: its process, its base URL and where it writes its log."""

    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path

    def url(self, path: str) -> str:
        """Return the absolute URL of `path` (which starts with a slash)."""
        return f"{self.base_url}{path}"

    def log_tail(self, lines: int = 40) -> str:
        """Return the last lines gunicorn and the app wrote, for failure messages."""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def production_environment(database_url: str, redis_url: str, scratch: Path) -> dict[str, str]:
    """Return the environment of a production server on these services, with no rate limits."""
    environment = {
        name: value for name, value in os.environ.items() if name not in INHERITED_SETTINGS_DROPPED
    }
    metrics_dir = scratch / "metrics"
    metrics_dir.mkdir()
    port = free_port()
    environment.update(
        STOCKROOM_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(36),  # 48 characters
        DATABASE_URL=database_url,
        RATELIMIT_ENABLED="false",
        CELERY_BROKER_URL=redis_url,
        CELERY_RESULT_BACKEND=redis_url,
        MAIL_BACKEND="file",
        MAIL_OUTBOX_DIR=str(scratch / "outbox"),
        PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
        WEB_CONCURRENCY=str(WORKERS),
        HOST="127.0.0.1",
        PORT=str(port),
    )
    return environment


def start(environment: dict[str, str], log_path: Path) -> Server:
    """Start gunicorn in its own process group and wait until /api/health/ready says 200.

    Raises:
        RuntimeError: when it exits or is not ready within START_TIMEOUT_SECONDS; the
            message carries the end of its log. The process is stopped first.
    """
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            [str(GUNICORN), "--config", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(process, f"http://127.0.0.1:{environment['PORT']}", log_path)
    try:
        _wait_until_ready(server)
    except BaseException:
        stop(server)  # never leave it running, whatever stopped the wait
        raise
    return server


def _wait_until_ready(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited with {server.process.returncode}:\n{server.log_tail()}"
            )
        try:
            if requests.get(server.url("/api/health/ready"), timeout=2).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn was not ready in {START_TIMEOUT_SECONDS} s:\n{server.log_tail()}")


def stop(server: Server) -> None:
    """Stop gunicorn: SIGTERM (a graceful shutdown), then SIGKILL to its group after a timeout."""
    process = server.process
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
