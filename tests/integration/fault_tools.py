"""Tools for the fault tests: a private Redis, a TCP relay that can be cut, gunicorn.

Nothing here touches the machine's own services: Redis runs as a private
`redis-server` on a free port, and the database is reached through `TcpRelay`, which
the test cuts and restores instead of stopping PostgreSQL.
"""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.services import auth_service
from tests.factories import UserFactory, bind_session
from tests.integration.conftest import unavailable
from tests.smtp_sink import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
START_SECONDS = 20


def faults_enabled() -> bool:
    """Fault tests run under CI=true (as `.ci/run` sets) or when FAULTS=1 asks for them."""
    return os.environ.get("CI") == "true" or os.environ.get("FAULTS") == "1"


def wait_until(condition: object, seconds: float, what: str) -> None:
    """Poll `condition()` every 50 ms for up to `seconds`; fail naming `what` otherwise."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if condition():  # type: ignore[operator]
                return
        time.sleep(0.05)
    pytest.fail(f"timed out after {seconds}s waiting for {what}")


def is_listening(port: int) -> bool:
    """Tell whether something accepts TCP connections on 127.0.0.1:`port`."""
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class RedisServer:
    """A private `redis-server` without persistence, that a test stops and starts again."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            unavailable("redis-server is not installed")
        self.binary = str(binary)
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The URL of database 0 on this server."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server on its port and wait until it answers."""
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
                   "--save", "", "--appendonly", "no"]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command line
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_until(lambda: is_listening(self.port), START_SECONDS, "redis-server")

    def kill(self) -> None:
        """Kill the server (SIGKILL: an outage, not a clean shutdown)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None


@contextlib.contextmanager
def running_redis() -> Iterator[RedisServer]:
    """A private Redis for the block; killed at the end whatever happens."""
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.kill()


class TcpRelay:
    """Forward 127.0.0.1:`port` to an upstream address; `cut` drops it, `restore` reopens."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()

    def restore(self) -> None:
        """Listen again: new connections reach the upstream."""
        listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Refuse new connections and break every open one, as a dead server would."""
        if self.listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would not,
            # and the port would go on accepting.
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self.lock:
                self.sockets.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                target.sendall(chunk)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)


def via_relay(database_url: str, relay: TcpRelay) -> str:
    """Return `database_url` pointed at the relay instead of the server."""
    url = make_url(database_url).set(host="127.0.0.1", port=relay.port)
    return url.render_as_string(hide_password=False)


def upstream_of(database_url: str) -> tuple[str, int]:
    """The (host, port) a database URL names."""
    url = make_url(database_url)
    return (url.host or "127.0.0.1", url.port or 5432)


def admin_headers(session: Session) -> dict[str, str]:
    """Make an admin in the database and return bearer headers for it."""
    bind_session(session)
    try:
        admin = UserFactory(email=f"admin-{secrets.token_hex(4)}@example.com", roles=["admin"])
        pair = auth_service.issue_tokens(session, admin, auth_service.TokenLifetimes())
    finally:
        bind_session(None)
    return {"Authorization": f"Bearer {pair.access_token}"}


class Gunicorn:
    """`gunicorn --config gunicorn.conf.py wsgi:app` as production runs it, on a free port."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
        self.env.update(env, PORT=str(self.port), HOST="127.0.0.1")
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:<port>"""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start the arbiter and wait until /api/health answers."""
        command = [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "wsgi:app"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - a fixed command line
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        url = f"{self.base_url}/api/health"
        wait_until(lambda: urllib.request.urlopen(url, timeout=1).status == 200,  # noqa: S310
                   START_SECONDS, f"gunicorn; log:\n{self.log.read_text()}")  # fmt: skip

    def worker_pids(self) -> list[int]:
        """The pids of the arbiter's live worker processes."""
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def accepted_connections(self) -> int:
        """Count the established connections to the port that a worker has accepted."""
        port = f":{self.port:04X}"
        inodes = set()
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1].endswith(port) and fields[3] == "01":  # 01: ESTABLISHED
                inodes.add(f"socket:[{fields[9]}]")
        held = 0
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                held += sum(os.readlink(fd) in inodes for fd in Path(f"/proc/{pid}/fd").iterdir())
        return held

    def stop(self) -> None:
        """Stop gracefully (SIGTERM); kill the whole group if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
