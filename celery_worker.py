"""Celery entry point: `celery -A celery_worker worker` and `celery -A celery_worker beat`.

As in Flask's examples/celery/make_celery.py: build the Flask app, and hand Celery the
Celery app it made, whose tasks each run inside that Flask app's context.
"""

from app import create_app

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
