"""The Celery app the fault tests' workers load: `celery -A tests.integration.fault_celery`.

The same app as `celery_worker.py`, except that Redis gives a dead worker's unacknowledged
messages back after VISIBILITY_TIMEOUT seconds instead of an hour (kombu's default), and
looks for them every second, so the test can wait for it.
"""

from app import create_app

VISIBILITY_TIMEOUT = 8

flask_app = create_app(
    CELERY_BROKER_TRANSPORT_OPTIONS={
        "visibility_timeout": VISIBILITY_TIMEOUT,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
)
celery_app = flask_app.extensions["celery"]
