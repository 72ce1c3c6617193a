"""Run issue 12's benchmarks one after the other: `python -m bench` (about 40 minutes).

1. `bench.scale`: every query that grows with the data on a generated 1,000,000-report
   database, with its `EXPLAIN QUERY PLAN`, and the buurt lookup in µs;
2. `bench.open_wait`: residents' waits and event-loop stalls while the coordinator runs
   `/open` on such a database;
3. `bench.updates --rounds 3`: CPU, Bot API calls, reply latency and stalls per resident
   update against the bare echo bot (and the echo bot on Meldbot's HTTP client), in the same
   run, with the ratios, over three alternating rounds (the figure to quote: this machine's
   speed drifts);
4. `bench.updates`: one more round with 10,000 open drafts, for the RSS.

`--quick` runs each on a small scale (100,000 reports, fewer residents, one round) to see that
they work, in a few minutes; its figures are not the goals' figures. Each benchmark runs as its
own process, so one's memory does not count in the next one's.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

FULL = (
    ("bench.scale", ()),
    ("bench.open_wait", ()),
    ("bench.updates", ("--rounds", "3", "--residents", "300", "--drafts", "200")),
    ("bench.updates", ()),
)
QUICK = (
    ("bench.scale", ("--reports", "100000", "--db", "/tmp/meldbot-scale-100k.sqlite3")),
    (
        "bench.open_wait",
        ("--reports", "100000", "--db", "/tmp/meldbot-open-wait-100k.sqlite3", "--rounds", "2"),
    ),
    ("bench.updates", ("--residents", "50", "--drafts", "200", "--idle", "1")),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to see that all run")
    args = parser.parse_args()
    failed: list[str] = []
    for module, options in QUICK if args.quick else FULL:
        print(f"\n## python -m {module} {' '.join(options)}\n", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, "-m", module, *options])
        print(f"\n({module}: {time.monotonic() - started:.0f} s, exit code {code})", flush=True)
        if code != 0:
            failed.append(module)
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
