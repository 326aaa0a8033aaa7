"""Ports: what services need from the outside world, as Protocols.

A service that needs background work takes one of these as an argument. The Celery
implementations live in `app/tasks/queue.py` and are passed in by the route; unit tests
pass a fake. Services call a port only after their transaction has committed, so a
rolled-back change never sends anything.
"""

from typing import Protocol


class ManagerNotifier(Protocol):
    """Tells a user they were made, or stopped being, a store's manager."""

    def manager_added(self, store_id: int, user_id: int) -> None:
        """Notify `user_id` that they now manage `store_id`."""

    def manager_removed(self, store_id: int, user_id: int) -> None:
        """Notify `user_id` that they no longer manage `store_id`."""


class PasswordResetMailer(Protocol):
    """Sends a password-reset link."""

    def send_reset_link(self, user_id: int, raw_token: str) -> None:
        """Mail the user a single-use link carrying `raw_token`."""


class JobQueue(Protocol):
    """Runs a committed job (an import or export) in the background."""

    def enqueue_job(self, job_id: int, kind: str) -> None:
        """Queue job `job_id` of `kind` to run once; raise ServiceUnavailableError if it cannot."""
