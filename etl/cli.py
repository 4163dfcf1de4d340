"""python -m etl validate | build [--out DIR] | check [DIR]"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from etl.build import build, validate
from etl.checks import check_package
from etl.dictionary import data_dictionary
from etl.evidence import default_corpus_dir
from etl.problems import AnnotationErrors

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = PROJECT / "data"
DEFAULT_OUT = PROJECT / "data" / "build"
MAX_SHOWN = 200


class _NoCorpus(Exception):
    pass


def _corpus(args) -> Path | None:
    corpus = Path(args.corpus) if args.corpus else default_corpus_dir(PROJECT)
    if corpus is not None and not corpus.is_dir():
        raise _NoCorpus(f"error: corpus directory {corpus} does not exist (TRACKER_CORPUS_DIR or --corpus)")
    if corpus is None:
        print(
            "WARNING: NO CORPUS FOUND - evidence spans were NOT verified against the source documents.\n"
            "         Set TRACKER_CORPUS_DIR (or put the corpus at ../shared/corpus) to verify them.",
            file=sys.stderr,
        )
    return corpus


def _report(problems) -> None:
    for p in problems[:MAX_SHOWN]:
        print(f"error: {p}", file=sys.stderr)
    if len(problems) > MAX_SHOWN:
        print(f"... and {len(problems) - MAX_SHOWN} more", file=sys.stderr)
    print(f"{len(problems)} problem(s) found; nothing was written.", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description="Build the policy tracker's data package.")
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="annotation folder (default: data/)")
    parser.add_argument("--corpus", default=None, help="corpus folder (default: $TRACKER_CORPUS_DIR or ../shared/corpus)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check the annotations without writing")
    b = sub.add_parser("build", help="validate and write the Parquet package")
    b.add_argument("--out", default=str(DEFAULT_OUT), help="package directory (default: data/build/)")
    c = sub.add_parser("check", help="run the table checks on a built package")
    c.add_argument("directory", nargs="?", default=str(DEFAULT_OUT))
    sub.add_parser("dictionary", help="print the data dictionary (markdown) for the README")
    args = parser.parse_args(argv)

    if args.command == "dictionary":
        print(data_dictionary())
        return 0

    if args.command == "check":
        failures = check_package(Path(args.directory))
        for f in failures:
            print(f"check failed: {f}", file=sys.stderr)
        print(f"{len(failures)} check(s) failed" if failures else f"package {args.directory}: all checks passed")
        return 1 if failures else 0

    try:
        corpus = _corpus(args)
    except _NoCorpus as exc:
        print(exc, file=sys.stderr)
        return 2
    data = Path(args.data)
    started = time.perf_counter()
    if args.command == "validate":
        result = validate(data, corpus)
        if result.problems:
            _report(result.problems)
            return 1
        a = result.annotations
        print(f"ok: {len(a.facts)} facts, {len(a.sources)} sources, {len(a.entities)} entities"
              f"{'' if corpus else ' (evidence NOT verified: no corpus)'}")
        return 0
    try:
        manifest = build(data, Path(args.out), corpus)
    except AnnotationErrors as exc:
        _report(exc.problems)
        return 1
    elapsed = time.perf_counter() - started
    counts = manifest["row_counts"]
    verified = "evidence verified against the corpus" if manifest["corpus"]["verified"] else "EVIDENCE NOT VERIFIED (no corpus)"
    print(f"built {args.out} (build {manifest['build_id']}): {counts['facts']} facts, {counts['sources']} sources, "
          f"{counts['entities']} entities; {verified}; {elapsed:.2f}s")
    return 0
