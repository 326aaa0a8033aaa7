"""The import scenario: rows per second of the app's CSV product import, SQLite and PostgreSQL.

The app's side is a real import job (`job_service.create_import_job`, then
`import_service.run_import`: read and check every row, look up existing SKUs, upsert in
batches, one transaction). The baseline parses the same CSV with the csv module and
inserts the same rows with one `executemany` in one transaction. Each side starts from a
freshly migrated, empty database; PostgreSQL databases (127.0.0.1:5432) are created and
dropped here. Run alone: `python -m benchmarks.imports --rows 20000`.
"""

import argparse
import csv
import io
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks import seed
from benchmarks.scenarios.base import DataSize

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_ROWS = 20_000
TARGET_RATIO = 0.5
TARGET_SQLITE_RPS = 20_000
RAW_INSERT = (
    "INSERT INTO products (sku, name, description, price, created_at, updated_at, version) "
    "VALUES ({0}, {0}, {0}, {0}, {1}, {1}, 1)"
)


def make_csv(rows: int) -> bytes:
    """A products CSV of `rows` new products (sku, name, description, price)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["sku", "name", "description", "price"])
    for number in range(rows):
        writer.writerow(
            [f"IMP-{number:08d}", f"Imported widget {number}", "From the import bench.", "12.50"]
        )
    return out.getvalue().encode()


def run_app_import(uri: str, content: bytes) -> float:
    """Import `content` with the app's job and import services; return the seconds taken.

    Raises:
        RuntimeError: the job did not succeed.
    """
    from app.extensions import db
    from app.models.job import STATUS_SUCCEEDED
    from app.services import import_service, job_service

    app = seed.bench_app_for(uri)
    with app.app_context():
        request = job_service.ImportRequest("products", "bench.csv", content)
        job = job_service.create_import_job(db.session(), None, request)
        started = time.perf_counter()
        done = import_service.run_import(db.session(), job.id)
        elapsed = time.perf_counter() - started
        status = None if done is None else done.status
        db.session.remove()
        db.engine.dispose()
    if status != STATUS_SUCCEEDED:
        raise RuntimeError(f"the import job ended {status}")
    return elapsed


def raw_rows(content: bytes) -> list[tuple[Any, ...]]:
    """Parse the CSV as a careful hand-written importer would."""
    reader = csv.reader(io.StringIO(content.decode()))
    next(reader)
    return [(sku, name, description, price) for sku, name, description, price in reader]


def run_raw_sqlite(path: Path, content: bytes) -> float:
    """Parse and insert the rows with sqlite3's executemany in one transaction; seconds."""
    from benchmarks.baseline import stored_now

    conn = sqlite3.connect(path)
    started = time.perf_counter()
    now = stored_now()
    rows = [(*row, now, now) for row in raw_rows(content)]
    with conn:
        conn.executemany(RAW_INSERT.format("?", "?"), rows)
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def run_raw_postgres(url: str, content: bytes) -> float:
    """Parse and insert the rows with psycopg's executemany in one transaction; seconds."""
    import psycopg

    from benchmarks.baseline import stored_now

    with psycopg.connect(url) as conn:
        started = time.perf_counter()
        now = stored_now()
        rows = [(*row, now, now) for row in raw_rows(content)]
        with conn.cursor() as cursor:
            cursor.executemany(RAW_INSERT.format("%s", "%s"), rows)
        conn.commit()
        return time.perf_counter() - started


def empty_sqlite(workdir: Path, name: str) -> Path:
    """A copy of the cached, migrated, empty bench database."""
    path = workdir / name
    shutil.copyfile(seed.ensure_database(DataSize()), path)
    return path


@contextmanager
def fresh_postgres(name: str) -> Iterator[str]:
    """Create a PostgreSQL database migrated to head; drop it afterwards. Yields its URL."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    try:
        seed.migrate(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
        yield url
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def figures(rows: int, app_seconds: float, raw_seconds: float) -> dict[str, float]:
    """Rows per second of each side and their ratio."""
    app_rps, raw_rps = rows / app_seconds, rows / raw_seconds
    return {"app_rows_per_s": app_rps, "raw_rows_per_s": raw_rps, "ratio": app_rps / raw_rps}


def measure(rows: int, workdir: Path, with_postgres: bool = True) -> dict[str, Any]:
    """Measure both databases; return {database: figures} with the targets checked."""
    content = make_csv(rows)
    app_db, raw_db = empty_sqlite(workdir, "import-app.db"), empty_sqlite(workdir, "raw.db")
    results: dict[str, Any] = {
        "rows": rows,
        "sqlite": figures(
            rows, run_app_import(f"sqlite:///{app_db}", content), run_raw_sqlite(raw_db, content)
        ),
    }
    if with_postgres:
        pid = os.getpid()
        with fresh_postgres(f"stockroom_bench_app_{pid}") as app_url:
            app_seconds = run_app_import(app_url.replace("://", "+psycopg://", 1), content)
        with fresh_postgres(f"stockroom_bench_raw_{pid}") as raw_url:
            raw_seconds = run_raw_postgres(raw_url, content)
        results["postgresql"] = figures(rows, app_seconds, raw_seconds)
    return results


def check(results: dict[str, Any]) -> list[str]:
    """Describe each target and whether it is met."""
    lines = []
    for database in ("sqlite", "postgresql"):
        if database in results:
            ratio = results[database]["ratio"]
            verdict = "met" if ratio >= TARGET_RATIO else "MISSED"
            lines.append(
                f"import/{database}: app rows/s / raw rows/s >= 0.5: {ratio:.2f} {verdict}"
            )
    if "sqlite" not in results:
        return lines
    sqlite_rps = results["sqlite"]["app_rows_per_s"]
    verdict = "met" if sqlite_rps >= TARGET_SQLITE_RPS else "MISSED"
    lines.append(f"import/sqlite: app rows/s >= {TARGET_SQLITE_RPS}: {sqlite_rps:.0f} {verdict}")
    return lines


def format_table(results: dict[str, Any]) -> str:
    """The import figures as a small table, then the targets."""
    lines = [f"{'import':<18}{'rows':>8}{'app rows/s':>12}{'raw rows/s':>12}{'x raw':>8}"]
    for database in ("sqlite", "postgresql"):
        if database in results:
            fig = results[database]
            lines.append(
                f"{database:<18}{results['rows']:>8}{fig['app_rows_per_s']:>12.0f}"
                f"{fig['raw_rows_per_s']:>12.0f}{fig['ratio']:>8.2f}"
            )
    return "\n".join([*lines, *check(results)])


def run_quietly(call: Callable[[], dict[str, Any]], log: Path) -> dict[str, Any]:
    """Run with stderr (the app's logs) going to a file."""
    from benchmarks.contestants import app_logs_to

    with app_logs_to(log):
        return call()


def main() -> None:
    """Measure the import scenario and print its table."""
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stockroom-import-") as tmp:
        workdir = Path(tmp)
        results = run_quietly(
            lambda: measure(args.rows, workdir, not args.no_postgres), workdir / "log"
        )
    print(format_table(results))


if __name__ == "__main__":
    main()
