"""Schemathesis's CLI against the real server (gunicorn, 2 workers, PostgreSQL): 0 findings.

Two runs over every operation, positive and negative data, all checks, short and
deterministic. The admin run signs in as the admin. The peers run declares two managers,
each managing their own store, as peers under `[auth.wfc]`: every operation is tried as
the first manager (escalating past operations they are refused), and Schemathesis's
`object_level_authorization` check replays each of their successful reads of an object
they own as the other manager, failing when the other one gets the object too.

Managers create nothing private through the API (stores and stock are readable by every
signed-in user by design), so the check has few owned reads to replay, and it replays reads
only: test_object_access_live.py checks the writes, and the one private read (another
user's account), directly.

Signing in goes through POST /api/auth/tokens (a Web Fuzzing Commons login entry), so a
token the run itself revokes (sign-out, refresh reuse) is replaced by a new sign-in.
"""

import json
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.integration.live.server import ROOT, Server
from tests.integration.live.world import Account, World, add_managers, unique_names

pytestmark = pytest.mark.integration

SCHEMATHESIS = ROOT / ".venv" / "bin" / "schemathesis"
RUN_TIMEOUT_SECONDS = 150
MAX_EXAMPLES = 5
# Schema-valid input the server may still refuse, because validity depends on state the
# document cannot describe: 400 for an opaque cursor or reset token the client made up (or
# an If-Match naming several versions), 412 for an If-Match naming another version, 304 for
# an If-None-Match that happens to name the current one (the generator picks small numbers:
# "3" names a category updated twice by the stateful phase).
ACCEPTED_STATUSES = ["2xx", "304", "401", "403", "404", "409", "400", "412"]
# Rules the document states only in prose, so schema-valid input these refuse with 422 is
# right; only `positive_data_acceptance` is off for them, every other check runs.
RULES_IN_PROSE_ONLY = {
    # A JSON number's "two decimals at most" is `multipleOf: 0.01`, which float arithmetic
    # breaks; price strings are documented as any string, but must be decimal numerals.
    "GET /api/products": "price filters are decimals with at most two places",
    "POST /api/products": "price is a decimal with at most two places",
    "PATCH /api/products/{product_id}": "price is a decimal with at most two places",
    "POST /api/users": "a password from the common-passwords list is refused",
    "PATCH /api/users/me": "current_password must be the caller's; common passwords are refused",
    # A `oneOf` over a multipart form with a file breaks Schemathesis's coverage phase,
    # so "store_id only with kind=stock" is in the form's description.
    "POST /api/imports": "store_id goes with kind=stock only",
}


def login_entry(account: Account) -> dict[str, object]:
    """A WFC auth entry that signs `account` in through POST /api/auth/tokens."""
    return {
        "name": account.name,
        "loginEndpointAuth": {
            "endpoint": "/api/auth/tokens",
            "verb": "POST",
            "contentType": "application/json",
            "payloadUserPwd": {
                "username": account.email,
                "password": account.password,
                "usernameField": "email",
                "passwordField": "password",
            },
            "token": {
                "extractFrom": "body",
                "extractSelector": "/data/access_token",
                "sendIn": "header",
                "sendName": "Authorization",
                "sendTemplate": "Bearer {token}",
            },
        },
    }


def write_config(directory: Path, accounts: list[Account], auth_lines: list[str]) -> Path:
    """Write the WFC auth file and a schemathesis.toml that uses it; return the config."""
    auth_file = directory / "wfc-auth.json"
    auth_file.write_text(json.dumps({"auth": [login_entry(account) for account in accounts]}))
    lines = [
        'hooks = "tests.integration.live.schemathesis_hooks"',
        "",
        "[auth.wfc]",
        f"path = {json.dumps(str(auth_file))}",
        *auth_lines,
        "",
        "[generation]",
        'mode = "all"',
        f"max-examples = {MAX_EXAMPLES}",
        "deterministic = true",
        # Text may not hold U+0000: PostgreSQL cannot store it (a 422, test_nul_text_api.py).
        "allow-x00 = false",
        "",
        "[checks.positive_data_acceptance]",
        f"expected-statuses = {json.dumps(ACCEPTED_STATUSES)}",
        "",
        "[[operations]]",
        f"include-name = {json.dumps(sorted(RULES_IN_PROSE_ONLY))}",
        "checks.positive_data_acceptance.enabled = false",
    ]
    config = directory / "schemathesis.toml"
    config.write_text("\n".join(lines) + "\n")
    return config


def run_schemathesis(server: Server, config: Path, report: Path) -> None:
    """Run `schemathesis run` over the whole document; fail with its output on any finding.

    Every check is on by default (`--checks all` would also override the per-operation
    settings above); `report` receives the run's events as NDJSON.
    """
    completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [
            str(SCHEMATHESIS),
            "--config-file",
            str(config),
            "--no-color",
            "run",
            server.url("/api/openapi.json"),
            "--workers",
            "2",
            "--report",
            "ndjson",
            "--report-ndjson-path",
            str(report),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-12000:]
    selected = re.search(r"Selected: (\d+)/(\d+)", output)
    tested = re.search(r"Tested: (\d+)", output)
    assert selected, output[-3000:]
    assert tested, output[-3000:]
    assert tested[1] == selected[1] == selected[2], output[-3000:]


def checked_reads(report: Path, check: str) -> Counter[str]:
    """Count, by identity, the successful GETs that `check` passed on in the run."""
    counts: Counter[str] = Counter()
    for line in report.read_text(encoding="utf-8").splitlines():
        recorder = json.loads(line).get("ScenarioFinished", {}).get("recorder")
        for case_id, case in (recorder or {}).get("cases", {}).items():
            response = recorder["interactions"].get(case_id, {}).get("response") or {}
            passed = {
                result["name"]
                for result in recorder["checks"].get(case_id, [])
                if result["status"] == "success"
            }
            if (
                case["value"]["method"] == "GET"
                and 200 <= response.get("status_code", 0) < 300
                and check in passed
            ):
                counts[case["value"].get("auth_identity") or "anonymous"] += 1
    return counts


def test_every_operation_answers_the_admin_as_documented(
    server: Server, world: World, tmp_path: Path
) -> None:
    config = write_config(tmp_path, [world.accounts["admin"]], ['user = "admin"'])

    run_schemathesis(server, config, tmp_path / "events.ndjson")


def test_no_manager_gets_an_object_the_other_manager_owns(
    server: Server, live_database_url: str, tmp_path: Path
) -> None:
    names = unique_names("peer", 2)
    managers = add_managers(live_database_url, names)
    config = write_config(tmp_path, list(managers.values()), [f"peers = {json.dumps(list(names))}"])

    run_schemathesis(server, config, tmp_path / "events.ndjson")

    # The check had reads to replay: peers' own successful GETs, each one checked.
    reads = checked_reads(tmp_path / "events.ndjson", "object_level_authorization")
    assert reads[names[0]] > 0, reads
