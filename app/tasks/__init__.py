"""Celery: the app factory hook and the task modules (background entrypoints).

Rule: tasks call services inside an app context; they never query directly.
"""
