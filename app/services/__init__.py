"""Business rules: one function per use case, one transaction per call.

Rule: services import repositories, models, schemas-free types and `app.common`; never Flask,
Celery or the extensions. They take a Session, the acting user and settings as arguments.
"""
