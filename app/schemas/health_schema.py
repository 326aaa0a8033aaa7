"""Shapes of the health endpoints."""

from pydantic import BaseModel, Field


class HealthOut(BaseModel):
    """Liveness: the process answers."""

    status: str = Field(examples=["ok"])
    time: str = Field(examples=["2026-11-23T10:00:00.000000Z"])


class ReadinessOut(BaseModel):
    """Readiness: every dependency answered."""

    status: str = Field(examples=["ok"])
    checks: dict[str, str] = Field(examples=[{"database": "ok", "broker": "ok"}])
