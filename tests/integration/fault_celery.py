"""The Celery app the fault test's workers load: `celery -A tests.integration.fault_celery`.

The same app as `celery_worker.py`, consuming the test's own queue (named in the
environment by the test), so it never takes another test's or developer's tasks. Each
task first waits the delay the test names, so the kills land while tasks are running.
"""

import os
import time
from typing import Any

from celery.signals import task_prerun

from app import create_app
from tests.integration.fault_workers import QUEUE_ENV, TASK_DELAY_ENV

flask_app = create_app(CELERY_TASK_DEFAULT_QUEUE=os.environ[QUEUE_ENV])
celery_app = flask_app.extensions["celery"]
_delay = float(os.environ.get(TASK_DELAY_ENV) or 0)


@task_prerun.connect(weak=False)
def _wait_before_each_task(**_kwargs: Any) -> None:
    if _delay:
        time.sleep(_delay)
