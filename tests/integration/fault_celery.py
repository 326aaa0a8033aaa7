"""The Celery app the fault test's workers load: `celery -A tests.integration.fault_celery`.

The same app as `celery_worker.py`, except that Redis gives a dead worker's unacknowledged
messages back after a few seconds instead of an hour (see `fault_workers`).
"""

from app import create_app
from tests.integration.fault_workers import TRANSPORT_OPTIONS

flask_app = create_app(CELERY_BROKER_TRANSPORT_OPTIONS=TRANSPORT_OPTIONS)
celery_app = flask_app.extensions["celery"]
