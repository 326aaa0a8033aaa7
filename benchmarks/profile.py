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
import sys
import tempfile
from contextlib import redirect_stderr
from pathlib import Path

from benchmarks import inprocess, scenarios, seed
from benchmarks.contestants import build_stockroom


def main() -> None:
    """Seed, build Stockroom as `make bench` does, profile N requests, print the top."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario")
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    scenario = scenarios.load(args.scenario)
    db_path = seed.database_path(scenario.data)
    with tempfile.TemporaryDirectory(prefix="stockroom-profile-") as tmp:
        os.environ.update(_environment(db_path, Path(tmp)))
        with (Path(tmp) / "stderr.log").open("a", buffering=1) as log, redirect_stderr(log):
            seed.ensure_database(scenario.data)
            ctx = seed.make_context(db_path, scenario.data)
            app = build_stockroom([scenario], db_path)
            request = inprocess.prepare_request(
                scenario.method, scenario.path, scenario.headers(ctx), scenario.body(ctx)
            )
            call = inprocess.make_caller(app, request)
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
