"""Build the seeded SQLite database the benchmarks run on, through the app's own migrations.

A database is built once per data size and migration history and then reused (under
instance/bench/), since later scenarios need 100k products. Data is written through the
app's services where they exist, so it is what the app itself would write.
Run alone: `python -m benchmarks.seed --users 100`.
"""

import argparse
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from flask import Flask

from benchmarks.scenarios.base import BenchContext, DataSize

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / "instance" / "bench"
PASSWORD = "bench-password-1234"

Seeder = Callable[[Flask, DataSize], None]


def migrations_digest() -> str:
    """Hash the migration files, so a new migration means a new database."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "migrations" / "versions").glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def database_path(size: DataSize, cache_dir: Path = CACHE_DIR) -> Path:
    """Where the database for this size and migration history lives."""
    return cache_dir / f"bench-u{size.users}-p{size.products}-{migrations_digest()}.db"


def seed_users(app: Flask, size: DataSize) -> None:
    """Create `size.users` users through the app's user service (bench0@example.com, ...)."""
    if size.users == 0:
        return
    from benchmarks.identity import create_users

    create_users(app, size.users, PASSWORD)


def seed_products(app: Flask, size: DataSize) -> None:
    """Seed `size.products` products through the app's bulk catalog seeder, and an admin."""
    if size.products:
        from benchmarks.catalog import seed_products as seed_catalog

        seed_catalog(app, size.products)


SEEDERS: list[Seeder] = [seed_users, seed_products]


def bench_app(path: Path) -> Flask:
    """An app on the bench database with testing settings (quiet, no rate limits)."""
    return bench_app_for(f"sqlite:///{path}")


def bench_app_for(uri: str) -> Flask:
    """An app on any database (SQLAlchemy URI) with testing settings."""
    from app import create_app
    from app.config import TestingConfig

    return create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=uri)


def migrate(uri: str) -> None:
    """Migrate the database at `uri` to head with the app's own migrations."""
    from flask_migrate import upgrade

    from app.extensions import db

    app = bench_app_for(uri)
    with app.app_context():
        upgrade(revision="heads")
        db.session.remove()
        db.engine.dispose()


def build_database(path: Path, size: DataSize) -> None:
    """Migrate a new SQLite file to head and seed it."""
    from flask_migrate import upgrade

    from app.extensions import db

    app = bench_app(path)
    with app.app_context():
        upgrade(revision="heads")
        for seeder in SEEDERS:
            seeder(app, size)
        db.session.remove()
        db.engine.dispose()


def ensure_database(size: DataSize, cache_dir: Path = CACHE_DIR) -> Path:
    """Return the path of a seeded database of this size, building it when missing."""
    path = database_path(size, cache_dir)
    if not path.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        build_database(partial, size)
        partial.replace(path)
        for stale in cache_dir.glob(f"bench-u{size.users}-p{size.products}-*.db"):
            if stale != path:  # built before a migration was added
                stale.unlink()
    return path


def make_context(path: Path, size: DataSize) -> BenchContext:
    """Return the scenarios' context: the database and per-run fixtures (fresh tokens)."""
    context = BenchContext(db_path=path)
    if size.users:
        from benchmarks.identity import issue_fixtures

        context.fixtures.update(issue_fixtures(bench_app(path), PASSWORD))
    if size.products:
        from benchmarks import catalog

        catalog.check_catalog(path, size.products)
        context.fixtures["admin_token"] = catalog.admin_token(bench_app(path), PASSWORD)
    return context


def main() -> None:
    """Build (or find) a seeded database and print its path."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=0)
    parser.add_argument("--products", type=int, default=0)
    args = parser.parse_args()
    print(ensure_database(DataSize(users=args.users, products=args.products)))


if __name__ == "__main__":
    main()
