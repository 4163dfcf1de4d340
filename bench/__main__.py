"""python -m bench: synthetic data and the benchmark.

python -m bench synth --facts 100000 --package OUT       a data package, for the read side
python -m bench synth --facts 100000 --annotations DIR   DIR/data + DIR/corpus, for the ETL
python -m bench run [--sizes 10000,100000,1000000]       the benchmark; writes bench/results/<date>.md
python -m bench floor [--package data/build]             each page's cached rerun against the framework floor
python -m bench capacity [--replicas 1,2] [--sessions 15] [--seconds 90]
                                                         readers over websockets through nginx, a release mid-run
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("synth", help="write a synthetic data package or annotation set")
    s.add_argument("--facts", type=int, required=True)
    s.add_argument("--seed", type=int, default=7)
    where = s.add_mutually_exclusive_group(required=True)
    where.add_argument("--package", type=Path, help="publish a data package here (a symlink, like data/build)")
    where.add_argument("--annotations", type=Path, help="write DIR/data and DIR/corpus")
    r = sub.add_parser("run", help="run the benchmark and write the dated results table")
    r.add_argument("--sizes", default="10000,100000,1000000", help="read-side sizes, comma separated")
    r.add_argument("--etl-sizes", default="10000,100000", help="annotated-fact counts for the ETL timing")
    r.add_argument("--repeat", type=int, default=20, help="runs of each query for p50/p95")
    r.add_argument("--work", type=Path, default=Path(".bench"), help="where generated data is kept between runs")
    r.add_argument("--out", type=Path, default=None, help="results file (default bench/results/<today>.md)")
    r.add_argument("--no-browser", action="store_true", help="skip the app-process memory run in Chromium")
    fl = sub.add_parser("floor", help="each page's cached rerun against the framework floor (../shared/bench/floor.py)")
    fl.add_argument("--package", type=Path, default=Path("data/build"), help="package to read (default data/build)")
    fl.add_argument("--reruns", type=int, default=25, help="cached reruns of each page and of the floor")
    c = sub.add_parser("capacity", help="readers against 1 and 2 replicas behind nginx, a release published mid-run")
    c.add_argument("--replicas", default="1,2", help="replica counts to measure, comma separated")
    c.add_argument("--sessions", type=int, default=15, help="simultaneous readers")
    c.add_argument("--seconds", type=float, default=90, help="how long the readers read, per replica count")
    c.add_argument("--out", type=Path, default=None, help="results file (default bench/results/<today>-capacity.md)")
    args = parser.parse_args(argv)

    if args.command == "capacity":
        from bench import capacity

        return capacity.main(args)

    if args.command == "floor":
        from bench import floor

        return floor.main(args.package, args.reruns)

    if args.command == "synth":
        from bench import synth

        syn = synth.records(args.facts, args.seed)
        if args.package:
            manifest = synth.write_package(syn, args.package, f"{args.facts}:{args.seed}")
            print(f"package {args.package} (build {manifest['build_id']}): {manifest['row_counts']}")
        else:
            synth.write_annotations(syn, args.annotations / "data", args.annotations / "corpus")
            print(f"annotations in {args.annotations}/data, corpus in {args.annotations}/corpus")
        return 0
    from bench import run

    return run.main(args)


if __name__ == "__main__":
    sys.exit(main())
