"""python -m etl validate | build [--out DIR] | check [DIR] | fmt [--check] | dictionary
| pairs [--check] [--tsv] | link ID ID... [--claim C] | distinct A B --why TEXT
| add-source FILE | draft TARGET | accept ID... | reanchor | measure-drafts  (etl/assist)
| publish --to s3://BUCKET/PREFIX [--package DIR]"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from etl.assist import commands as assist
from etl.build import no_cyclic_gc, publish, validate
from etl.checks import check_package
from etl.decide import DecisionError, distinct, link
from etl.dictionary import data_dictionary
from etl.evidence import default_corpus_dir
from etl.fmt import format_folder
from etl.load import load_annotations
from etl.pairs import candidate_pairs, decided

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


def _report(problems, label: str = "error") -> None:
    for p in problems[:MAX_SHOWN]:
        print(f"{label}: {p}", file=sys.stderr)
    if len(problems) > MAX_SHOWN:
        print(f"... and {len(problems) - MAX_SHOWN} more", file=sys.stderr)
    if label == "error":
        print(f"{len(problems)} problem(s) found; nothing was written.", file=sys.stderr)


def _warned(warnings) -> str:
    """Print the warnings; the phrase the summary line ends with."""
    _report(warnings, "warning")
    return f"; {len(warnings)} warning(s)" if warnings else ""


def _fmt(data: Path, check: bool) -> int:
    changed, problems, seen = format_folder(data, check)
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    for name in changed:
        print(f"{'not canonical' if check else 'reformatted'}: {name}")
    if check:
        print(
            f"{len(changed)} of {seen} file(s) not in canonical form; run python -m etl fmt"
            if changed
            else f"{seen} file(s) in canonical form" + (" (and some could not be read)" if problems else "")
        )
    else:
        print(
            f"{len(changed)} of {seen} file(s) reformatted"
            + (f"; {len(problems)} problem(s), those files left as they were" if problems else "")
        )
    return 1 if problems or (check and changed) else 0


def _pairs(data: Path, check: bool, tsv: bool) -> int:
    ann, problems = load_annotations(data)
    errors = [p for p in problems if not p.is_warning]
    if errors:
        _report(errors)
        return 1
    pairs = candidate_pairs(ann)
    if tsv:
        print("fact_a\tfact_b\tfile_a\tline_a\tfile_b\tline_b\twhy\tvalue_a\tvalue_b\ttitle_a\ttitle_b")
    for p in pairs:
        a, b = p.a, p.b
        if tsv:
            print(
                "\t".join(
                    map(
                        str, (a.id, b.id, a.file, a.line, b.file, b.line, p.why, a.shown(), b.shown(), a.title, b.title)
                    )
                )
            )
            continue
        print(f"{a.id}  vs  {b.id}   ({p.why})")
        for s in (a, b):
            print(f"    {s.file}:{s.line}  {s.shown()}  {s.title}")
            print(f"        evidence: {s.evidence}")
    linked, apart = decided(ann)
    print(
        f"{len(pairs)} undecided candidate pair(s); decided: {linked} pair(s) linked in claims, {apart} recorded as distinct."
        + (
            "\nDecide each: python -m etl link A B --claim claim-<what>  |  python -m etl distinct A B --why '...'"
            if pairs
            else ""
        ),
        file=sys.stderr if tsv else sys.stdout,
    )
    return 1 if check and pairs else 0


def _decide(args) -> int:
    data = Path(args.data)
    try:
        if args.command == "link":
            claim, members = link(data, args.ids, args.claim)
            print(f"{claim}: {', '.join(members)}")
        else:
            distinct(data, args.a, args.b, args.why)
            print(f"recorded on {args.a}: distinct from {args.b}")
    except DecisionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _publish(package: Path, url: str) -> int:
    from etl.objectstore import ReleaseError
    from etl.publish import publish_release

    try:
        print(publish_release(package, url).summary())
    except (ReleaseError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description="Build the policy tracker's data package.")
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="annotation folder (default: data/)")
    parser.add_argument(
        "--corpus", default=None, help="corpus folder (default: $TRACKER_CORPUS_DIR or ../shared/corpus)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check the annotations without writing")
    b = sub.add_parser("build", help="validate and write the Parquet package")
    b.add_argument("--out", default=str(DEFAULT_OUT), help="package directory (default: data/build/)")
    c = sub.add_parser("check", help="run the table checks on a built package")
    c.add_argument("directory", nargs="?", default=str(DEFAULT_OUT))
    sub.add_parser("dictionary", help="print the data dictionary (markdown) for the README")
    f = sub.add_parser("fmt", help="rewrite every annotation file in the canonical YAML form")
    f.add_argument(
        "--check", action="store_true", help="change nothing; list the files not in canonical form, exit 1 if any"
    )
    pa = sub.add_parser("pairs", help="list fact pairs that may state one thing and are not yet decided")
    pa.add_argument("--check", action="store_true", help="exit 1 when any pair is undecided")
    pa.add_argument("--tsv", action="store_true", help="one tab-separated row per pair")
    li = sub.add_parser("link", help="give facts one claim (they state the same real-world thing)")
    li.add_argument("ids", nargs="+", metavar="ID")
    li.add_argument("--claim", default=None, help="the claim id, claim-<what-it-is> (default: the one they have)")
    di = sub.add_parser("distinct", help="record that two facts of a candidate pair state different things")
    di.add_argument("a")
    di.add_argument("b")
    di.add_argument("--why", required=True, help="what tells them apart, in a few words")
    pu = sub.add_parser("publish", help="upload a built package as an immutable release to object storage")
    pu.add_argument("--to", required=True, metavar="s3://BUCKET/PREFIX", help="where releases live")
    pu.add_argument("--package", default=str(DEFAULT_OUT), help="built package (default: data/build/)")
    assist.add_arguments(sub)
    args = parser.parse_args(argv)

    if args.command == "publish":
        return _publish(Path(args.package), args.to)

    if args.command == "pairs":
        return _pairs(Path(args.data), args.check, args.tsv)
    if args.command in ("link", "distinct"):
        return _decide(args)

    if args.command == "fmt":
        return _fmt(Path(args.data), args.check)

    if args.command == "dictionary":
        print(data_dictionary())
        return 0

    if args.command == "check":
        failures = check_package(Path(args.directory))
        for failure in failures:
            print(f"check failed: {failure}", file=sys.stderr)
        print(f"{len(failures)} check(s) failed" if failures else f"package {args.directory}: all checks passed")
        return 1 if failures else 0

    try:
        corpus = _corpus(args)
    except _NoCorpus as exc:
        print(exc, file=sys.stderr)
        return 2
    data = Path(args.data)
    if args.command in assist.COMMANDS:
        return assist.run(args, data, corpus)
    started = time.perf_counter()
    with no_cyclic_gc():
        result = validate(data, corpus)
        warned = _warned(result.warnings)
        if args.command == "validate":
            assist.report_drafts(result.annotations, result.corpus, data)
        if result.problems:
            _report(result.problems)
            return 1
        a = result.annotations
        if args.command == "validate":
            print(
                f"ok: {len(a.facts)} facts, {len(a.sources)} sources, {len(a.entities)} entities"
                f"{'' if corpus else ' (evidence NOT verified: no corpus)'}{warned}"
            )
            return 0
        manifest = publish(result, data, Path(args.out))
    elapsed = time.perf_counter() - started
    counts = manifest["row_counts"]
    verified = (
        "evidence verified against the corpus"
        if manifest["corpus"]["verified"]
        else "EVIDENCE NOT VERIFIED (no corpus)"
    )
    print(
        f"built {args.out} (build {manifest['build_id']}): {counts['facts']} facts, {counts['sources']} sources, "
        f"{counts['entities']} entities; {verified}{warned}; {elapsed:.2f}s"
    )
    return 0
