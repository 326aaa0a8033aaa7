"""GET /api/health (liveness, no database) and GET /api/health/ready (dependencies).

Neither is rate-limited: an orchestrator reads a 429 as a dead or unready instance and
restarts it or takes it out of the load balancer, and its probes can share an address
(and so a limit) with other callers. Liveness touches nothing; readiness runs one
`SELECT 1` and a broker ping. `/metrics` keeps the default limit: it may sit behind a
METRICS_TOKEN, which a limit keeps from being guessed quickly.
"""

from flask import Response, current_app
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from app.api.auth import public
from app.api.responses import render_json
from app.extensions import db, limiter
from app.schemas.health_schema import HealthOut, ReadinessOut
from app.schemas.problem_schema import Problem
from app.services import health_service

bp = APIBlueprint(
    "health", __name__, url_prefix="/health", abp_tags=[Tag(name="health", description="Probes")]
)


@bp.get("", responses={200: HealthOut}, summary="Liveness: the process answers")
@public
@limiter.exempt
def get_health() -> Response:
    """Answer 200 with the server's UTC time; touches no database."""
    return render_json(health_service.get_liveness())


@bp.get(
    "/ready",
    responses={200: ReadinessOut, 503: Problem},
    summary="Readiness: the database (and broker, when configured) answer",
)
@public
@limiter.exempt
def get_readiness() -> Response:
    """Answer 200 when every dependency answers, else 503 problem+json."""
    checks = current_app.extensions.get("readiness_checks", {})
    return render_json(health_service.get_readiness(db.session(), checks))
