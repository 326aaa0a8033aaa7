"""What the import and export commands share: running a job here, its progress bar, its summary."""

from collections.abc import Callable
from types import TracebackType
from typing import Any

import click
from sqlalchemy.orm import Session

from app.common.errors import StockroomError
from app.models.job import STATUS_SUCCEEDED, Job

Runner = Callable[[Session, int, Callable[[int, int], None]], Job | None]

SHOWN_ERRORS = 20


class ProgressBar:
    """A click progress bar opened on the first update, once the total is known."""

    def __init__(self, label: str) -> None:
        """Remember the label; nothing is drawn yet."""
        self.label = label
        self._bar: Any = None
        self._done = 0

    def __enter__(self) -> "ProgressBar":
        """Return the bar to pass as a progress callback."""
        return self

    def update(self, done: int, total: int) -> None:
        """Move the bar to `done` of `total`."""
        if self._bar is None:
            self._bar = click.progressbar(length=total, label=self.label)
            self._bar.__enter__()
        self._bar.update(done - self._done)
        self._done = done

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Close the bar if it was drawn."""
        if self._bar is not None:
            self._bar.__exit__(kind, error, trace)


def report_job(job: Job | None) -> None:
    """Echo a finished job's result and first errors; exit non-zero unless all went in.

    Raises:
        click.ClickException: the job failed, or skipped bad rows.
    """
    if job is None:
        raise click.ClickException("The job vanished while it ran.")
    for error in job.errors[:SHOWN_ERRORS]:
        where = f"line {error['line']}: " if error["line"] is not None else ""
        click.echo(f"{where}{error['message']}", err=True)
    if job.error_count > SHOWN_ERRORS:
        click.echo(f"... and {job.error_count - SHOWN_ERRORS} more.", err=True)
    summary = ", ".join(f"{key} {value}" for key, value in (job.result or {}).items())
    if job.status != STATUS_SUCCEEDED:
        raise click.ClickException(f"Nothing was written ({summary}).")
    click.echo(f"Done: {summary}.")
    if job.error_count:
        raise click.ClickException(f"{job.error_count} bad row(s) were skipped.")


def run_job_here(session: Session, create: Callable[[], Job], run: Runner, label: str) -> Job:
    """Create a job, run it in this process under a progress bar, and report how it went.

    Raises:
        click.ClickException: the service refused the job, or `report_job` failed it.
    """
    try:
        job = create()
    except StockroomError as error:
        raise click.ClickException(error.detail) from None
    with ProgressBar(label) as bar:
        finished = run(session, job.id, bar.update)
    report_job(finished)
    return job
