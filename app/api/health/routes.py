"""GET /api/health (liveness, no database) and GET /api/health/ready (dependencies)."""

from flask import Response, current_app
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from app.api.auth import public
from app.api.responses import render_json
from app.extensions import db
from app.schemas.health_schema import HealthOut, ReadinessOut
from app.schemas.problem_schema import Problem
from app.services import health_service

bp = APIBlueprint(
    "health", __name__, url_prefix="/health", abp_tags=[Tag(name="health", description="Probes")]
)


@bp.get("", responses={200: HealthOut}, summary="Liveness: the process answers")
@public
def get_health() -> Response:
    """Answer 200 with the server's UTC time; touches no database."""
    return render_json(health_service.get_liveness())


@bp.get(
    "/ready",
    responses={200: ReadinessOut, 503: Problem},
    summary="Readiness: the database (and broker, when configured) answer",
)
@public
def get_readiness() -> Response:
    """Answer 200 when every dependency answers, else 503 problem+json."""
    checks = current_app.extensions.get("readiness_checks", {})
    return render_json(health_service.get_readiness(db.session(), checks))
