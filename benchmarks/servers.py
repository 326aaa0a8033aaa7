"""Start and stop one gunicorn per contestant on its own 127.0.0.1 port.

Every contestant gets the same settings: the project's gunicorn.conf.py (sync workers,
WEB_CONCURRENCY of them, no gunicorn access log) and the same environment. Each server
runs in its own process group and is always stopped in a `finally`, so no worker outlives
the harness.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
WORKERS = 2
START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


def free_port() -> int:
    """Ask the kernel for a free port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def gunicorn_command(target: str) -> list[str]:
    """The command line every contestant shares; only the WSGI target differs."""
    config = str(ROOT / "gunicorn.conf.py")
    # No control socket: its default path is shared, and `make run` may be using it.
    return [sys.executable, "-m", "gunicorn", "--config", config, "--no-control-socket", target]


def wait_until_answering(port: int, process: subprocess.Popen[bytes]) -> None:
    """Poll until the server answers any HTTP request.

    Raises:
        RuntimeError: if the server exits or does not answer in time.
    """
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/")
            conn.getresponse().read()
            conn.close()
        except OSError:
            time.sleep(0.1)
            continue
        return
    raise RuntimeError(f"gunicorn on port {port} did not answer in {START_TIMEOUT}s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn gracefully (SIGTERM to the arbiter), then kill its group if it lingers."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(STOP_TIMEOUT)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # its own group: only what we started
    process.wait()


@dataclass(frozen=True)
class Server:
    """A running gunicorn: where it answers and its arbiter's process id."""

    url: str
    pid: int


def _stat_fields(pid: str) -> list[str] | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2 :].split()  # after "(comm) ": state, ppid, ...


def workers_cpu_seconds(arbiter_pid: int) -> float:
    """CPU time (user + system) the arbiter's worker processes have used so far (Linux)."""
    ticks = 0
    for entry in os.listdir("/proc"):
        fields = _stat_fields(entry) if entry.isdigit() else None
        if fields and int(fields[1]) == arbiter_pid:
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


@contextmanager
def gunicorn_server(target: str, env: Mapping[str, str], log_path: Path) -> Iterator[Server]:
    """Run gunicorn for one WSGI target; yield where it answers; always stop it."""
    port = free_port()
    server_env = {
        **env,
        "HOST": HOST,
        "PORT": str(port),
        "WEB_CONCURRENCY": str(WORKERS),
        "GUNICORN_THREADS": "1",
    }
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            gunicorn_command(target),
            cwd=ROOT,
            env=server_env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        try:
            try:
                wait_until_answering(port, process)
            except RuntimeError as error:
                tail = log_path.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{target}: {error}; its log ends:\n{tail}") from None
            yield Server(url=f"http://{HOST}:{port}", pid=process.pid)
        finally:
            stop(process)
