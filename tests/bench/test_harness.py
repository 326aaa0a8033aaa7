"""Cheap checks of the benchmark harness pieces: no server, no load, no timing asserted."""

import itertools
import socket
import sqlite3
from pathlib import Path
from typing import Any

import orjson
import pytest

from benchmarks import baseline, inprocess, load, report, scenarios, seed, servers
from benchmarks.contestants import CONTESTANTS
from benchmarks.scenarios.base import BARE_FLASK, BASELINE, STOCKROOM, DataSize, Target

HEALTH = inprocess.prepare_request("GET", "/api/health", {}, b"")


def echo(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", "application/json")])
    answer = {"method": environ["REQUEST_METHOD"], "auth": environ.get("HTTP_AUTHORIZATION")}
    return [orjson.dumps({**answer, "body": body.decode()})]


def test_the_baseline_health_answers_like_stockroom() -> None:
    status, body = inprocess.call_wsgi(baseline.health, HEALTH)

    assert status == "200 OK"
    answer = orjson.loads(body)
    assert answer["status"] == "ok"
    assert answer["time"].endswith("Z")


def test_a_prepared_request_replays_its_method_headers_and_body_every_time() -> None:
    request = inprocess.prepare_request("POST", "/x", {"Authorization": "Bearer t"}, b'{"a":1}')

    first = inprocess.call_wsgi(echo, request)
    second = inprocess.call_wsgi(echo, request)

    expected = {"method": "POST", "auth": "Bearer t", "body": '{"a":1}'}
    assert orjson.loads(first[1]) == orjson.loads(second[1]) == expected


def test_the_in_process_runner_reports_the_median_of_seven_batches() -> None:
    caller = inprocess.make_caller(baseline.health, HEALTH)

    results = inprocess.measure_interleaved({BASELINE: caller}, batch_seconds=0.001)

    result = results[BASELINE]
    assert len(result.batches_us) == inprocess.BATCHES
    assert result.median_us == sorted(result.batches_us)[3]
    assert result.batch_size >= 1


def test_each_batch_runs_as_slices_taken_in_turn_by_every_caller() -> None:
    order: list[str] = []
    callers = {name: (lambda name=name: order.append(name)) for name in ("a", "b")}
    calibration_calls = 2 * (inprocess.WARM_UP_CALLS + 6)

    results = inprocess.measure_interleaved(callers, batch_seconds=0.0005)

    timed = order[calibration_calls:]
    runs = [(name, len(list(group))) for name, group in itertools.groupby(timed)]
    assert [name for name, _ in runs] == ["a", "b"] * (inprocess.BATCHES * inprocess.SLICES)
    for name, length in runs:
        assert length * inprocess.SLICES == results[name].batch_size


def test_the_router_answers_404_for_a_request_no_scenario_makes() -> None:
    router = baseline.make_router({("GET", "/api/health"): baseline.health})

    status, _ = inprocess.call_wsgi(router, inprocess.prepare_request("GET", "/nope", {}, b""))

    assert status.startswith("404")


def test_baseline_statements_are_counted_without_transaction_control(tmp_path: Path) -> None:
    path = tmp_path / "count.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    conn = baseline.connection(path)

    with baseline.count_statements() as counter:
        with conn:
            conn.execute("INSERT INTO t VALUES (1)")
        conn.execute("SELECT x FROM t").fetchall()

    assert counter.count == 2


def test_statements_per_call_averages_over_the_calls(tmp_path: Path) -> None:
    conn = baseline.connection(tmp_path / "avg.db")

    per_call = inprocess.statements_per_call(
        lambda: conn.execute("SELECT 1").fetchall(), baseline.count_statements(), calls=4
    )

    assert per_call == 1.0


@pytest.mark.parametrize(
    ("target", "ratio", "met"),
    [
        (Target(STOCKROOM, BARE_FLASK, "inprocess_us", max_ratio=1.3), 1.29, True),
        (Target(STOCKROOM, BARE_FLASK, "inprocess_us", max_ratio=1.3), 1.31, False),
        (Target(STOCKROOM, BARE_FLASK, "rps", min_ratio=0.9), 0.9, True),
        (Target(STOCKROOM, BARE_FLASK, "rps", min_ratio=0.9), 0.89, False),
    ],
)
def test_a_target_is_met_only_within_its_bound(target: Target, ratio: float, met: bool) -> None:
    assert target.is_met(ratio) is met


def sample_results() -> dict[str, Any]:
    contestants = {
        BASELINE: {"inprocess_us": 4.0, "rps": 4000.0, "p50_ms": 0.5, "p99_ms": 2.0},
        BARE_FLASK: {"inprocess_us": 40.0, "rps": 3000.0, "p50_ms": 0.8, "p99_ms": 3.0},
        STOCKROOM: {"inprocess_us": 50.0, "rps": 2400.0, "p50_ms": 1.0, "p99_ms": 4.0},
    }
    for figures in contestants.values():
        figures["sql_per_request"] = 0.0
    report.add_ratios(contestants)
    scenario: dict[str, Any] = {"contestants": contestants}
    scenario["targets"] = report.check_targets(
        scenario,
        [
            Target(STOCKROOM, BARE_FLASK, "inprocess_us", max_ratio=1.3),
            Target(STOCKROOM, BARE_FLASK, "rps", min_ratio=0.9),
        ],
    )
    return {"meta": {}, "scenarios": {"health": scenario}}


def test_ratios_compare_each_contestant_with_the_baseline_and_bare_flask() -> None:
    stockroom = sample_results()["scenarios"]["health"]["contestants"][STOCKROOM]

    assert stockroom["inprocess_vs_baseline"] == 12.5
    assert stockroom["inprocess_vs_bare_flask"] == 1.25
    assert stockroom["rps_vs_baseline"] == 0.6
    assert stockroom["rps_vs_bare_flask"] == 0.8


def test_targets_report_the_ratio_and_whether_it_was_met() -> None:
    targets = sample_results()["scenarios"]["health"]["targets"]

    assert [(t["ratio"], t["met"]) for t in targets] == [(1.25, True), (0.8, False)]


def test_a_target_without_figures_is_not_measured_rather_than_missed() -> None:
    scenario = {"contestants": {STOCKROOM: {"rps": None}, BARE_FLASK: {"rps": None}}}

    checked = report.check_targets(scenario, [Target(STOCKROOM, BARE_FLASK, "rps", min_ratio=0.9)])

    assert checked[0]["met"] is None


def test_the_table_has_a_row_per_contestant_and_a_line_per_target() -> None:
    table = report.format_table(sample_results()).splitlines()

    assert table[0].split()[:3] == ["scenario", "contestant", "in-proc"]
    rows = [line.split() for line in table[2:5]]
    assert [row[1] for row in rows] == [BASELINE, BARE_FLASK, STOCKROOM]
    assert rows[2][2:5] == ["50.0", "12.50", "1.25"]
    assert table[5].endswith("1.25 met")
    assert table[6].endswith("0.80 MISSED")


def test_a_missing_figure_is_shown_as_a_dash() -> None:
    assert report.cell("{:.1f}", None) == "-"


def test_the_http_summary_is_the_median_of_the_repetitions() -> None:
    runs = [{"rps": r, "p50_ms": 1.0, "p99_ms": p} for r, p in [(10, 5), (30, 1), (20, 3)]]
    runs[0]["server_cpu_us"] = 200.0

    assert report.summarise_http(runs) == {
        "rps": 20,
        "p50_ms": 1.0,
        "p99_ms": 3,
        "server_cpu_us": 200.0,
    }


@pytest.mark.parametrize("url", ["http://10.0.0.1:80/", "http://example.com/", "http://0.0.0.0:1/"])
def test_load_is_never_sent_beyond_loopback(url: str) -> None:
    with pytest.raises(ValueError, match=r"only ever sent to 127\.0\.0\.1"):
        load.check_loopback(url)


def test_the_wrk_script_sets_the_request_and_caps_the_count() -> None:
    spec = load.LoadSpec(
        "http://127.0.0.1:1/api/auth/tokens",
        method="POST",
        headers={"Content-Type": "application/json"},
        body=b'{"email": "a@b.c"}',
        max_requests=500,
    )

    script = load.wrk_script(spec)

    assert 'wrk.method = "POST"' in script
    assert 'wrk.body = "{\\"email\\": \\"a@b.c\\"}"' in script
    assert 'wrk.headers["Content-Type"] = "application/json"' in script
    assert "local limit = 500" in script


def test_health_is_the_first_scenario_and_every_module_declares_one() -> None:
    names = scenarios.available_names()

    assert names[0] == "health"
    assert all(scenarios.load(name).name == name for name in names)


def test_an_unknown_scenario_is_refused() -> None:
    with pytest.raises(KeyError):
        scenarios.load("nope")


def test_the_largest_data_size_covers_every_scenario() -> None:
    sizes = [DataSize(users=10), DataSize(products=5), DataSize(users=3, products=2)]

    assert DataSize.largest(sizes) == DataSize(users=10, products=5)


def test_every_contestant_runs_under_the_same_gunicorn_settings() -> None:
    commands = [servers.gunicorn_command(c.gunicorn_target) for c in CONTESTANTS]

    assert all(command[:-1] == commands[0][:-1] for command in commands)
    assert "--no-control-socket" in commands[0]
    assert [command[-1] for command in commands] == [c.gunicorn_target for c in CONTESTANTS]


def test_a_free_port_is_on_loopback_and_can_be_bound() -> None:
    port = servers.free_port()

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_each_data_size_gets_its_own_database_file() -> None:
    small = seed.database_path(DataSize(users=1))
    large = seed.database_path(DataSize(users=1, products=100_000))

    assert small != large
    assert "u1-p100000" in large.name


def search_and_list(search_us: float, list_us: float | None) -> dict[str, Any]:
    scenarios_run: dict[str, Any] = {
        "products_search": {"contestants": {STOCKROOM: {"inprocess_us": search_us}}}
    }
    if list_us is not None:
        scenarios_run["products_list"] = {"contestants": {STOCKROOM: {"inprocess_us": list_us}}}
    return scenarios_run


SEARCH_VS_LIST = Target(
    STOCKROOM, STOCKROOM, "inprocess_us", max_ratio=2.0, versus_scenario="products_list"
)


@pytest.mark.parametrize(("search_us", "met"), [(2000.0, True), (2100.0, False)])
def test_a_target_may_compare_with_another_scenario_of_the_run(search_us: float, met: bool) -> None:
    run_scenarios = search_and_list(search_us, 1000.0)

    checked = report.check_targets(
        run_scenarios["products_search"], [SEARCH_VS_LIST], run_scenarios
    )

    assert (checked[0]["ratio"], checked[0]["met"]) == (search_us / 1000.0, met)
    assert checked[0]["target"] == (
        "stockroom inprocess_us / products_list stockroom inprocess_us <= 2.0"
    )


def test_a_target_on_a_scenario_not_run_prints_a_dash() -> None:
    run_scenarios = search_and_list(2000.0, None)
    scenario = run_scenarios["products_search"]
    scenario["targets"] = report.check_targets(scenario, [SEARCH_VS_LIST], run_scenarios)

    table = report.format_table({"scenarios": {"products_search": scenario}})

    assert table.splitlines()[-1].endswith("<= 2.0: - not measured")


def test_search_targets_compare_with_stockroom_s_own_list_page() -> None:
    for name in ("products_search", "products_search_narrow"):
        (target,) = scenarios.load(name).targets

        assert (target.contestant, target.versus, target.versus_scenario) == (
            STOCKROOM,
            STOCKROOM,
            "products_list",
        )
        assert target.max_ratio == 2.0


def test_create_is_measured_over_http_against_half_the_baseline_rate() -> None:
    create = scenarios.load("product_create")

    assert create.http
    assert create.unique
    assert create.targets == (Target(STOCKROOM, BASELINE, "rps", min_ratio=0.5),)


def test_bare_flask_runs_the_list_detail_and_create_scenarios() -> None:
    with_bare = {
        name for name in scenarios.available_names() if scenarios.load(name).bare_flask_view
    }

    assert {"health", "products_list", "product_detail", "product_create"} <= with_bare
