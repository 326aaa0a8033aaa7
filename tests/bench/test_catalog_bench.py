"""Cheap checks of the product and import scenarios: same answers, right cursors; no timing."""

import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest

from benchmarks import baseline_catalog, catalog, imports, inprocess, run, seed
from benchmarks.scenarios import product_create
from benchmarks.scenarios.base import BenchContext, DataSize

SIZE = DataSize(users=1, products=60)


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


@pytest.mark.parametrize(
    "path",
    [
        "/api/products?limit=20",
        f"/api/products?limit=20&cursor={catalog.deep_cursor(60, pages=2)}",
        "/api/products?q=spade",
        "/api/products/30",
    ],
)
def test_the_baseline_answers_what_stockroom_answers(
    seeded: tuple[Path, dict[str, str]], db_copy: Path, path: str
) -> None:
    from app import create_app
    from app.config import TestingConfig

    headers = {"Authorization": f"Bearer {seeded[1]['access_token']}"}
    stockroom = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{db_copy}")
    raw = (
        baseline_catalog.make_product_detail(db_copy)
        if path.startswith("/api/products/")
        else baseline_catalog.make_products_list(db_copy)
    )

    assert answer(raw, path, headers) == answer(stockroom, path, headers)


def test_the_deep_cursor_is_the_apps_cursor_of_that_page(
    seeded: tuple[Path, dict[str, str]],
) -> None:
    catalog.check_catalog(seeded[0], 60)  # raises when it is not

    assert catalog.deep_key(60, pages=2)[0] == sorted(catalog.seeded_name(n) for n in range(60))[39]


def test_a_created_product_body_is_new_every_call_and_the_same_length() -> None:
    bodies = product_create.fresh_products(BenchContext(db_path=Path("x")), "stockroom")

    first, second = bodies(), bodies()

    assert first != second
    assert len(first) == len(second) == len(product_create.one_product(BenchContext(Path("x"))))


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
