"""Profile one scenario's in-process loop on Stockroom with cProfile.

`python -m benchmarks.profile health --requests 5000` prints the functions that take the
most time (cumulative, then own time). cProfile roughly doubles every figure; read the
shares, not the microseconds.
"""

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks import inprocess, scenarios, seed
from benchmarks.contestants import app_logs_to, build_stockroom


def main() -> None:
    """Seed, build Stockroom as `make bench` does, profile N requests, print the top."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario")
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    scenario = scenarios.load(args.scenario)
    with tempfile.TemporaryDirectory(prefix="stockroom-profile-") as tmp:
        db_path = Path(tmp) / "bench.db"  # a copy, as `make bench` works on: creates write
        os.environ.update(_environment(db_path, Path(tmp)))
        from benchmarks import run

        with app_logs_to(Path(tmp) / "stderr.log"):
            shutil.copyfile(seed.ensure_database(scenario.data), db_path)
            ctx = seed.make_context(db_path, scenario.data)
            app = build_stockroom([scenario], db_path)
            request = inprocess.prepare_request(
                scenario.method, scenario.path, scenario.headers(ctx), scenario.body(ctx)
            )
            call = run.contestant_caller(scenario, app, request)  # a new body per create
            inprocess.time_batch(call, 50)
            profiler = cProfile.Profile()
            profiler.runcall(inprocess.time_batch, call, args.requests)
    output = io.StringIO()
    stats = pstats.Stats(profiler, stream=output)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    sys.stdout.write(output.getvalue())


def _environment(db_path: Path, workdir: Path) -> dict[str, str]:
    from benchmarks.run import stockroom_environment

    return stockroom_environment(db_path, workdir, [])


if __name__ == "__main__":
    main()
