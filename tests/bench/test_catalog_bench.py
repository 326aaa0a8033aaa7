"""Cheap checks of the product and import scenarios: same answers, right cursors; no timing."""

import io
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import orjson
import pytest

from benchmarks import baseline_catalog, catalog, imports, inprocess, run, scenarios, seed
from benchmarks.bare_flask import create_bare_app
from benchmarks.scenarios import product_create
from benchmarks.scenarios.base import BenchContext, DataSize
from benchmarks.unique_bodies import body_maker

SIZE = DataSize(users=1, products=60)
BARE_VIEWS = ("products_list", "product_detail", "product_create")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("bench") / "catalog.db"
    seed.build_database(path, SIZE)
    return path, seed.make_context(path, SIZE).fixtures


@pytest.fixture
def db_copy(seeded: tuple[Path, dict[str, str]], tmp_path: Path) -> Path:
    path = tmp_path / "copy.db"
    shutil.copyfile(seeded[0], path)
    return path


def answer(app: Any, path: str, headers: dict[str, str], body: bytes = b"") -> Any:
    method = "POST" if body else "GET"
    request = inprocess.prepare_request(method, path, headers, body)
    status, raw = inprocess.call_wsgi(app, request)
    return status[:3], orjson.loads(raw)


def stockroom_on(db_path: Path) -> Any:
    from app import create_app
    from app.config import TestingConfig

    return create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{db_path}")


def bare_flask_on(db_path: Path) -> Any:
    return create_bare_app([scenarios.load(name) for name in BARE_VIEWS], db_path)


def answer_with_headers(app: Any, path: str, headers: dict[str, str], body: bytes) -> Any:
    environ = dict(inprocess.prepare_request("POST", path, headers, body).environ)
    environ["wsgi.input"] = io.BytesIO(body)
    started: list[Any] = []
    raw = b"".join(app(environ, lambda status, headers, *_: started.append((status, headers))))
    status, sent = started[0]
    return status[:3], dict(sent), orjson.loads(raw)


PAGES = [
    "/api/products?limit=20",
    f"/api/products?limit=20&cursor={catalog.deep_cursor(60, pages=2)}",
    "/api/products?q=spade",
    "/api/products?q=cordless+spade",
    "/api/products/30",
]


@pytest.mark.parametrize("path", PAGES)
def test_the_baseline_answers_what_stockroom_answers(
    seeded: tuple[Path, dict[str, str]], db_copy: Path, path: str
) -> None:
    headers = {"Authorization": f"Bearer {seeded[1]['access_token']}"}
    raw = (
        baseline_catalog.make_product_detail(db_copy)
        if path.startswith("/api/products/")
        else baseline_catalog.make_products_list(db_copy)
    )

    assert answer(raw, path, headers) == answer(stockroom_on(db_copy), path, headers)


@pytest.mark.parametrize("path", PAGES)
def test_bare_flask_answers_what_stockroom_answers(
    seeded: tuple[Path, dict[str, str]], db_copy: Path, path: str
) -> None:
    headers = {"Authorization": f"Bearer {seeded[1]['access_token']}"}

    assert answer(bare_flask_on(db_copy), path, headers) == answer(
        stockroom_on(db_copy), path, headers
    )


def test_the_narrow_search_matches_one_product_in_63(
    seeded: tuple[Path, dict[str, str]], db_copy: Path
) -> None:
    headers = {"Authorization": f"Bearer {seeded[1]['access_token']}"}

    _, found = answer(stockroom_on(db_copy), "/api/products?q=cordless+spade", headers)

    assert [product["name"] for product in found["data"]] == ["Cordless spade 4"]


@pytest.mark.parametrize("contestant", ["baseline", "bare_flask"])
def test_a_create_answers_what_stockroom_answers_but_its_own_id_and_sku(
    seeded: tuple[Path, dict[str, str]], db_copy: Path, contestant: str
) -> None:
    headers = {
        "Authorization": f"Bearer {seeded[1]['admin_token']}",
        "Content-Type": "application/json",
    }
    app = (
        baseline_catalog.make_product_create(db_copy)
        if contestant == "baseline"
        else bare_flask_on(db_copy)
    )

    theirs = answer_with_headers(app, "/api/products", headers, product_create.product("T-1"))
    ours = answer_with_headers(
        stockroom_on(db_copy), "/api/products", headers, product_create.product("O-1")
    )

    for status, sent, created in (theirs, ours):
        product = created["data"]
        assert (status, sent["ETag"]) == ("201", '"1"')
        assert sent["Location"] == f"/api/products/{product['id']}"
        for varying in ("id", "sku", "created_at", "updated_at"):
            del product[varying]
    assert theirs[2] == ours[2]
    assert theirs[1]["Content-Type"] == ours[1]["Content-Type"]


def test_the_deep_cursor_is_the_apps_cursor_of_that_page(
    seeded: tuple[Path, dict[str, str]],
) -> None:
    catalog.check_catalog(seeded[0], 60)  # raises when it is not

    assert catalog.deep_key(60, pages=2)[0] == sorted(catalog.seeded_name(n) for n in range(60))[39]


def test_created_products_sort_after_every_seeded_name(db_copy: Path) -> None:
    with sqlite3.connect(db_copy) as conn:
        (last,) = conn.execute("SELECT name FROM products ORDER BY name DESC").fetchone()

    assert last < product_create.NAME


def test_the_create_body_is_valid_json_with_a_new_sku_every_request() -> None:
    body = product_create.one_product(BenchContext(Path("x")))
    bodies = body_maker(body, product_create.UNIQUE, "0badcafe")

    first, second = orjson.loads(bodies()), orjson.loads(bodies())

    assert first["sku"] == "BENCH-0badcafe010000000001"
    assert second["sku"] == "BENCH-0badcafe010000000002"


def test_the_baseline_create_answers_201_with_the_product(
    seeded: tuple[Path, dict[str, str]], db_copy: Path
) -> None:
    headers = {
        "Authorization": f"Bearer {seeded[1]['admin_token']}",
        "Content-Type": "application/json",
    }
    body = product_create.product("NEW-1")

    status, created = answer(
        baseline_catalog.make_product_create(db_copy), "/api/products", headers, body
    )

    assert status == "201"
    assert (created["data"]["sku"], created["data"]["price"]) == ("NEW-1", "9.95")


def test_the_import_csv_parses_back_to_its_rows() -> None:
    rows = imports.raw_rows(imports.make_csv(3))

    assert rows[2] == ("IMP-00000002", "Imported widget 2", "From the import bench.", "12.50")


@pytest.mark.parametrize(
    ("ratio", "rows_per_s", "missed"),
    [(0.6, 25_000, 0), (0.4, 25_000, 1), (0.6, 15_000, 1)],
)
def test_import_targets_are_half_the_raw_rate_and_20000_rows_a_second(
    ratio: float, rows_per_s: float, missed: int
) -> None:
    results = {"rows": 1, "sqlite": {"ratio": ratio, "app_rows_per_s": rows_per_s}}

    verdicts = imports.check(results)

    assert sum(line.endswith("MISSED") for line in verdicts) == missed


def test_naming_only_the_import_chooses_no_request_scenario() -> None:
    assert run.choose_scenarios("import") == ([], {})
