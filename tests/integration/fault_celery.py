"""The Celery app the fault test's workers load: `celery -A tests.integration.fault_celery`.

The same app as `celery_worker.py`, consuming the test's own queue (named in the
environment by the test), so it never takes another test's or developer's tasks.
"""

import os

from app import create_app
from tests.integration.fault_workers import QUEUE_ENV

flask_app = create_app(CELERY_TASK_DEFAULT_QUEUE=os.environ[QUEUE_ENV])
celery_app = flask_app.extensions["celery"]
