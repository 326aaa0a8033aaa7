"""Health endpoints: liveness and readiness."""
