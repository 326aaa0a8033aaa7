"""GET /api/users/me with a bearer token: the token lookup every signed-in request pays."""

from benchmarks import baseline, identity
from benchmarks.scenarios.base import DataSize, Scenario

SCENARIO = Scenario(
    name="me",
    method="GET",
    path="/api/users/me",
    baseline=baseline.make_me,
    headers=identity.bearer,
    data=DataSize(users=100),
    requires=("app.api.auth", "app.api.users.routes"),
)
