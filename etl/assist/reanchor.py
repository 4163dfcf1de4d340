"""`etl reanchor`: after a corpus file is edited, find every cited line again by its evidence span.

A fact (or a cited rate) whose evidence is still on its line is left alone. Otherwise its span is
looked for in the whole corpus file: found on one line, the fact moves there; found on several,
the one at the shift its neighbours in the same source moved by is taken, else it is listed as
ambiguous; found nowhere, it is listed as missing. A source's `line_start` / `line_end` move with
its first and last cited facts. Only the files where something moved are rewritten (canonical form).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from etl.evidence import Corpus, normalise_text
from etl.fmt import write_canonical
from etl.load import annotation_files
from etl.yamlio import read_document, read_records


@dataclass
class Reanchored:
    moved: list[tuple[str, str, int, int]] = field(default_factory=list)  # (file, record id, old line, new line)
    missing: list[tuple[str, str, int]] = field(default_factory=list)  # (file, record id, line)
    ambiguous: list[tuple[str, str, int, list[int]]] = field(default_factory=list)
    ranges: list[tuple[str, int, int, int, int]] = field(default_factory=list)  # source id, old and new range
    files: list[str] = field(default_factory=list)  # rewritten


def _on(lines: list[str], n: int, span: str) -> bool:
    return 1 <= n <= len(lines) and (span in lines[n - 1] or normalise_text(span) in normalise_text(lines[n - 1]))


def _where(lines: list[str], span: str) -> list[int]:
    folded = normalise_text(span)
    return [i + 1 for i, text in enumerate(lines) if span in text or folded in normalise_text(text)]


def _locate(items: list[dict], lines: list[str], label: str, out: Reanchored) -> dict[int, int]:
    """New line for each item (by index) whose evidence left its line; the shifts found."""
    found: dict[int, int] = {}
    unresolved: list[tuple[int, list[int]]] = []
    shifts: Counter[int] = Counter()
    for i, item in enumerate(items):
        line, span = item.get("line"), item.get("evidence")
        if not isinstance(line, int) or not isinstance(span, str):
            continue
        if _on(lines, line, span):
            shifts[0] += 1
            continue
        places = _where(lines, span)
        if len(places) == 1:
            found[i] = places[0]
            shifts[places[0] - line] += 1
        elif not places:
            out.missing.append((label, str(item.get("id") or item.get("currency")), line))
        else:
            unresolved.append((i, places))
    for i, places in unresolved:
        line = items[i]["line"]
        fits = [p for p in places if p - line in shifts]
        best = max(fits, key=lambda p: shifts[p - line]) if fits else None
        if best is not None and sum(1 for p in fits if shifts[p - line] == shifts[best - line]) == 1:
            found[i] = best
        else:
            out.ambiguous.append((label, str(items[i].get("id") or items[i].get("currency")), line, places))
    for i, new in found.items():
        out.moved.append((label, str(items[i].get("id") or items[i].get("currency")), items[i]["line"], new))
    return found


def reanchor(root: Path, corpus: Corpus, write: bool = True) -> Reanchored:
    root = Path(root)
    out = Reanchored()
    source_files, _ = annotation_files(root)
    corpus_of: dict[str, str] = {}
    docs = []  # (path, label, data, old range, end shift or None when it cites nothing, changed)
    for path in source_files:
        label = str(path.relative_to(root.parent))
        data, problems = read_document(path, label)
        if problems or not isinstance(data, dict):
            continue
        corpus_of[str(data.get("id"))] = str(data.get("corpus_file"))
        lines = corpus.lines(str(data.get("corpus_file")))
        if lines is None:
            continue
        facts = data.get("facts") or []
        cited = sorted((f["line"], i) for i, f in enumerate(facts) if isinstance(f.get("line"), int))
        found = _locate(facts, lines, label, out)
        old = (data["line_start"], data["line_end"])
        end_shift = None
        if cited:
            first, last = cited[0][1], cited[-1][1]
            start_shift = found.get(first, cited[0][0]) - cited[0][0]
            end_shift = found.get(last, cited[-1][0]) - cited[-1][0]
            for i, new in found.items():
                facts[i]["line"] = new
            now = [f["line"] for f in facts if isinstance(f.get("line"), int)]
            data["line_start"] = max(1, min(old[0] + start_shift, *now))
            data["line_end"] = min(len(lines), max(old[1] + end_shift, *now))
        docs.append((path, label, data, old, end_shift, bool(found), len(lines)))
    # a source citing nothing moves with the source before it in its corpus file
    carried: dict[str, int] = {}
    for path, label, data, old, end_shift, changed, n_lines in sorted(docs, key=lambda d: (d[2]["corpus_file"], d[3])):
        name = str(data["corpus_file"])
        if end_shift is None:
            shift = carried.get(name, 0)
            data["line_start"] = max(1, old[0] + shift)
            data["line_end"] = min(n_lines, old[1] + shift)
        else:
            carried[name] = end_shift
        if (data["line_start"], data["line_end"]) != old:
            out.ranges.append((str(data["id"]), *old, data["line_start"], data["line_end"]))
        elif not changed:
            continue
        if write:
            write_canonical(path, data, "source")
        out.files.append(label)
    rates = root / "rates.yml"
    if rates.exists():
        records, problems = read_records(rates, "rates.yml")
        if not problems:
            items = [r.data for r in records]
            changed = False
            for name in sorted({corpus_of.get(str(r.get("source")), "") for r in items} - {""}):
                lines = corpus.lines(name)
                mine = [r for r in items if corpus_of.get(str(r.get("source"))) == name]
                if lines is not None:
                    for i, new in _locate(mine, lines, "data/rates.yml", out).items():
                        mine[i]["line"] = new
                        changed = True
            if changed and write:
                write_canonical(rates, items, "rates")
                out.files.append("data/rates.yml")
    return out
