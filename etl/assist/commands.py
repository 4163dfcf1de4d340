"""The assistant's subcommands of `python -m etl`: add-source, draft, accept, reanchor,
measure-drafts, and the drafts part of `validate`. Each prints what it did and where it wrote."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from etl.assist.draft import draft_lines, known_keys, registry_from, uncovered
from etl.assist.drafts import DRAFTS, PENDING, PROPOSALS, accept, add_drafts, check_drafts, read_drafts
from etl.assist.measure import markdown, measure
from etl.assist.reanchor import reanchor
from etl.assist.segment import propose, slug
from etl.evidence import Corpus
from etl.fmt import write_canonical
from etl.load import Annotations, load_annotations


def add_arguments(sub) -> None:
    a = sub.add_parser("add-source", help="propose source headers for a corpus file (written to data/review/sources/)")
    a.add_argument("file", help="corpus file (a name in the corpus folder, or a path)")
    a.add_argument("--lines", help="only this range of the file, A-B")
    a.add_argument("--publisher", help="publisher of every document (default: that of the file's other sources)")
    a.add_argument("--all", action="store_true", help="also propose documents a source already covers")
    d = sub.add_parser("draft", help="draft candidate facts for review (written to data/drafts/)")
    d.add_argument("target", help="a source id, or a corpus file (every source in it, or in --lines)")
    d.add_argument("--lines", help="only lines A-B")
    d.add_argument("--out", help="folder for the drafts (default: data/drafts/)")
    d.add_argument("--include-known", action="store_true", help="keep candidates an existing fact covers")
    c = sub.add_parser("accept", help="move reviewed drafts and proposals into the fact base")
    c.add_argument("ids", nargs="*", help="draft or proposal ids (none: every one whose `review: pending` is gone)")
    r = sub.add_parser("reanchor", help="find every cited line again by its evidence after a corpus edit")
    r.add_argument("--dry-run", action="store_true", help="list what would move; change nothing")
    m = sub.add_parser("measure-drafts", help="recall and precision of the drafter against the facts (slow)")
    m.add_argument("--out", help="also write the table to this markdown file")


def _range(text: str | None, n_lines: int) -> tuple[int, int]:
    if not text:
        return 1, n_lines
    a, _, b = text.partition("-")
    first, last = int(a), int(b or a)
    if not 1 <= first <= last:
        raise ValueError(f"--lines {text}: write A-B with 1 <= A <= B")
    return first, min(last, n_lines)


def _corpus_file(name: str, corpus_dir: Path | None) -> Path:
    path = Path(name)
    if not path.is_file() and corpus_dir is not None:
        path = corpus_dir / name
    if not path.is_file():
        raise FileNotFoundError(f"no corpus file {name!r} (looked in {corpus_dir})")
    return path


def _lines(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8", errors="replace").split("\n")


def add_source(args, data: Path, corpus_dir: Path | None) -> int:
    path = _corpus_file(args.file, corpus_dir)
    lines = _lines(path)
    first, last = _range(args.lines, len(lines))
    ann, _ = load_annotations(data)
    mine = [s.model for s in ann.sources if s.model.corpus_file == path.name]
    publishers = Counter(s.publisher for s in mine).most_common(1)
    publisher = args.publisher or (publishers[0][0] if publishers else "unknown")
    doc_types = Counter(s.doc_type for s in mine).most_common(1)
    doc_type = doc_types[0][0] if doc_types else "other"
    taken = {s.model.id for s in ann.sources} | {p.stem for p in (data / PROPOSALS).glob("*.yml")}
    prefix = "c" + (path.name[:3] if path.name[:3].isdigit() else path.stem[:3].lower())
    written = 0
    for p in propose(lines, first, last):
        covered = [s.id for s in mine if s.line_start <= p.line_end and p.line_start <= s.line_end]
        if covered and not args.all:
            print(f"lines {p.line_start}-{p.line_end}: already registered as {', '.join(covered)}; skipped")
            continue
        sid = slug(p.title, taken, prefix)
        taken.add(sid)
        header = {
            "id": sid,
            "title": p.title,
            "title_basis": p.title_basis,
            "publisher": publisher,
            "published": p.published,
            "published_basis": p.published_basis,
            "published_note": p.published_note,
            "authors": p.authors or None,
            "authors_basis": "stated" if p.authors else None,
            "doc_type": doc_type,
            "corpus_file": path.name,
            "line_start": p.line_start,
            "line_end": p.line_end,
            "review": PENDING,
        }
        target = data / PROPOSALS / f"{sid}.yml"
        problems = write_canonical(target, {k: v for k, v in header.items() if v is not None}, "proposal")
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        if not problems:
            written += 1
            print(f"lines {p.line_start}-{p.line_end}: {target} ({p.title[:70]!r}, title {p.title_basis})")
    print(f"{written} source(s) proposed; review them, then `python -m etl accept ID...`")
    return 0


def _sources_for(target: str, ann: Annotations, corpus_dir: Path | None) -> list:
    by_id = {s.model.id: s.model for s in ann.sources}
    if target in by_id:
        return [by_id[target]]
    name = Path(target).name
    found = [s for s in by_id.values() if s.corpus_file == name]
    if not found:
        raise LookupError(f"{target!r} is neither a source id nor a corpus file any source is in")
    return sorted(found, key=lambda s: s.line_start)


def draft(args, data: Path, corpus_dir: Path | None) -> int:
    if corpus_dir is None:
        print("error: drafting needs the corpus (TRACKER_CORPUS_DIR or --corpus)", file=sys.stderr)
        return 2
    ann, _ = load_annotations(data)
    reg = registry_from(ann)
    corpus = Corpus(corpus_dir)
    out = Path(args.out) if args.out else data / DRAFTS
    total = 0
    for src in _sources_for(args.target, ann, corpus_dir):
        lines = corpus.lines(src.corpus_file)
        if lines is None:
            print(f"error: corpus file {src.corpus_file} not found in {corpus_dir}", file=sys.stderr)
            return 1
        first, last = src.line_start, src.line_end
        if args.lines:
            a, b = _range(args.lines, len(lines))
            first, last = max(first, a), min(last, b)
            if first > last:
                continue
        drafts = draft_lines(lines, first, last, reg, src.published)
        kept = drafts
        if not args.include_known:
            kept = uncovered(drafts, known_keys(f.model for f in ann.facts if f.model.source == src.id))
        ids = add_drafts(out, src.id, kept)
        total += len(ids)
        skipped = len(drafts) - len(kept)
        print(
            f"{src.id}: {len(ids)} draft(s) -> {out / (src.id + '.yml')}"
            + (f" ({skipped} left out: an existing fact has the same line and value)" if skipped else "")
        )
    print(f"{total} draft(s) to review; then `python -m etl accept ID...`")
    return 0


def accept_cmd(args, data: Path, corpus_dir: Path | None) -> int:
    result = accept(data, args.ids, corpus_dir)
    for old, new in result.moved:
        print(f"accepted {old} -> {new}" if old != new else f"accepted source {new} -> data/sources/{new}.yml")
    for p in result.problems:
        print(f"{p.level}: {p}", file=sys.stderr)
    errors = [p for p in result.problems if not p.is_warning]
    print(f"{len(result.moved)} accepted" + (f"; {len(errors)} problem(s), those left in review" if errors else ""))
    return 1 if errors else 0


def reanchor_cmd(args, data: Path, corpus_dir: Path | None) -> int:
    if corpus_dir is None:
        print("error: reanchor needs the corpus (TRACKER_CORPUS_DIR or --corpus)", file=sys.stderr)
        return 2
    result = reanchor(data, Corpus(corpus_dir), write=not args.dry_run)
    verb = "would move" if args.dry_run else "moved"
    for file, rid, old, new in result.moved:
        print(f"{file}: {rid} {verb} from line {old} to {new}")
    for sid, a, b, c, d in result.ranges:
        print(f"source {sid}: lines {a}-{b} -> {c}-{d}")
    for file, rid, line in result.missing:
        print(f"missing: {file}: {rid} (line {line}): its evidence is nowhere in the corpus file", file=sys.stderr)
    for file, rid, line, places in result.ambiguous:
        print(f"ambiguous: {file}: {rid} (line {line}): evidence on lines {places}", file=sys.stderr)
    print(
        f"{len(result.moved)} citation(s) {verb}, {len(result.files)} file(s) "
        f"{'to rewrite' if args.dry_run else 'rewritten'}; {len(result.missing)} missing, "
        f"{len(result.ambiguous)} ambiguous"
    )
    return 1 if result.missing or result.ambiguous else 0


def measure_cmd(args, data: Path, corpus_dir: Path | None) -> int:
    if corpus_dir is None:
        print("error: measure-drafts needs the corpus (TRACKER_CORPUS_DIR or --corpus)", file=sys.stderr)
        return 2
    table, timing = measure(data, corpus_dir)
    text = markdown(table, timing)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


def report_drafts(ann: Annotations, corpus: Corpus | None, data: Path) -> None:
    """`etl validate`: the drafts' problems, apart from the fact base's (drafts are never built)."""
    drafts, problems = read_drafts(data)
    proposals = sorted((data / PROPOSALS).glob("*.yml"))
    if not drafts and not problems and not proposals:
        return
    problems += check_drafts(ann, corpus, drafts)
    for p in problems:
        print(f"draft {p.level}: {p}", file=sys.stderr)
    pending = sum(d.pending for d in drafts)
    print(
        f"in review (not built): {len(drafts)} draft(s), {pending} pending, {len(proposals)} proposed source(s); "
        f"{sum(not p.is_warning for p in problems)} draft problem(s)"
    )


COMMANDS = {
    "add-source": add_source,
    "draft": draft,
    "accept": accept_cmd,
    "reanchor": reanchor_cmd,
    "measure-drafts": measure_cmd,
}


def run(args: argparse.Namespace, data: Path, corpus_dir: Path | None) -> int:
    try:
        return COMMANDS[args.command](args, data, corpus_dir)
    except (FileNotFoundError, LookupError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
