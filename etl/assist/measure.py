"""`etl measure-drafts`: how close the drafter comes to the facts people wrote.

Runs the drafter with every candidate kept (`--include-known`) over each source's lines and
compares, per kind, with the accepted facts:
- recall: the share of facts whose line and value some draft proposes (a fact without a value
  is found by a draft without one on its line);
- precision: the share of drafts (by the kind the drafter gave them) that land on a line an
  existing fact cites;
- time per 1,000 lines drafted.
Not part of the test run; the committed table is in bench/results/.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from contract import KINDS
from etl.assist.draft import draft_lines, registry_from
from etl.evidence import Corpus
from etl.load import load_annotations

GOALS = {"rule": "dated", "chip_node": "all", "funding": "all"}  # issue #11: recall of these >= 85%


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))


def measure(data: Path, corpus_dir: Path) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    ann, _ = load_annotations(data)
    corpus = Corpus(corpus_dir)
    reg = registry_from(ann)
    facts_by_source: dict[str, list] = {}
    for f in ann.facts:
        facts_by_source.setdefault(f.model.source, []).append(f.model)
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    dated_found: Counter[str] = Counter()
    dated_total: Counter[str] = Counter()
    on_line: Counter[str] = Counter()
    drafted: Counter[str] = Counter()
    lines_done, seconds = 0, 0.0
    for s in ann.sources:
        src = s.model
        lines = corpus.lines(src.corpus_file)
        if lines is None:
            continue
        started = time.perf_counter()
        drafts = draft_lines(lines, src.line_start, src.line_end, reg, src.published)
        seconds += time.perf_counter() - started
        lines_done += src.line_end - src.line_start + 1
        facts = facts_by_source.get(src.id, [])
        cited = {f.line for f in facts}
        by_line: dict[int, list[dict]] = {}
        for d in drafts:
            by_line.setdefault(d["line"], []).append(d)
            drafted[d["kind"]] += 1
            on_line[d["kind"]] += d["line"] in cited
        for f in facts:
            hit = any(
                _same(d.get("value"), f.value)
                or (f.value_high is not None and _same(d.get("value_high"), f.value_high))
                for d in by_line.get(f.line, [])
            )
            total[f.kind] += 1
            found[f.kind] += hit
            if f.date:
                dated_total[f.kind] += 1
                dated_found[f.kind] += hit
    table = {}
    for kind in [*KINDS, "all"]:
        if kind == "all":
            t, fd, dr, ol = sum(total.values()), sum(found.values()), sum(drafted.values()), sum(on_line.values())
            dt_, dfd = sum(dated_total.values()), sum(dated_found.values())
        else:
            t, fd, dr, ol = total[kind], found[kind], drafted[kind], on_line[kind]
            dt_, dfd = dated_total[kind], dated_found[kind]
        table[kind] = {
            "facts": t,
            "found": fd,
            "recall": fd / t if t else 0.0,
            "dated_facts": dt_,
            "dated_found": dfd,
            "dated_recall": dfd / dt_ if dt_ else 0.0,
            "drafts": dr,
            "on_fact_line": ol,
            "precision": ol / dr if dr else 0.0,
        }
    timing = {"lines": lines_done, "seconds": seconds, "ms_per_1000_lines": 1000 * seconds / max(1, lines_done) * 1000}
    return table, timing


def markdown(table: dict[str, dict[str, float]], timing: dict[str, float]) -> str:
    rows = [
        "| kind | facts | recall (line and value) | dated facts | recall of dated | drafts | precision (on a fact's line) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, r in table.items():
        rows.append(
            f"| {kind} | {r['facts']} | {r['recall']:.0%} ({r['found']}) | {r['dated_facts']} | "
            f"{r['dated_recall']:.0%} ({r['dated_found']}) | {r['drafts']} | {r['precision']:.0%} ({r['on_fact_line']}) |"
        )
    rows.append("")
    rows.append(
        f"Drafted {timing['lines']} lines in {timing['seconds']:.2f} s: "
        f"{timing['ms_per_1000_lines']:.0f} ms per 1,000 lines (the entity registry is loaded before timing starts)."
    )
    return "\n".join(rows)
