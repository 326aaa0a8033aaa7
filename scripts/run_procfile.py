"""Run the Procfile as `honcho start` does, but stop it the way gunicorn and Celery expect.

honcho signals each process *group* and SIGKILLs whatever is left after 5 seconds. gunicorn
and Celery manage their own children: a signal to the group hits Celery's pool processes
mid-task, and a warm Celery shutdown on the embedded SQLite broker takes 5-8 seconds. So this
sends SIGTERM to each process leader only (the Procfile `exec`s each command, so the leader is
gunicorn or Celery itself, not a shell), and waits up to STOP_GRACE_SECONDS before SIGKILL.

Usage: python scripts/run_procfile.py start -f Procfile -p 5000 (any `honcho start` options).
"""

import os
import signal
import sys

from honcho import command, manager
from honcho.compat import ProcessManager

STOP_GRACE_SECONDS = 30


class LeaderOnlyProcessManager(ProcessManager):  # type: ignore[misc]
    """Ask only the leader to stop; it stops its own children (gunicorn, Celery)."""

    def terminate(self, pid: int) -> None:
        """Send SIGTERM to the process itself, not its whole group."""
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return


class GracefulManager(manager.Manager):  # type: ignore[misc]
    """honcho's manager with the leader-only stop."""

    def __init__(self, printer: object = None) -> None:
        super().__init__(printer)
        self._procmgr = LeaderOnlyProcessManager()


def main() -> None:
    """Run honcho's command line with the graceful stop."""
    manager.KILL_WAIT = STOP_GRACE_SECONDS
    command.Manager = GracefulManager
    sys.exit(command.main())


if __name__ == "__main__":
    main()
