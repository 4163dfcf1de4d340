"""Drafts and proposals in review, and `etl accept`: the only way they enter the fact base.

- `data/drafts/<source id>.yml`: `source:` and `facts:`, candidate facts with ids
  `<source id>-d<nn>` and `review: pending`. Never read by `etl build`; `etl validate` checks
  them like facts and reports their problems apart.
- `data/review/sources/<source id>.yml`: a proposed source header (`etl add-source`), with
  `title_basis`, `authors_basis` and `review: pending`.

`etl accept ID...` moves each named draft into `facts:` of its source's file with the next free
stable id `<source id>-<nn>`, or a proposal to `data/sources/`, each only if it validates; with no
ID it takes every draft and proposal whose `review: pending` the reviewer has removed.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from etl.evidence import Corpus, verify_evidence
from etl.fmt import write_canonical
from etl.integrity import check_integrity
from etl.load import Annotations, load_annotations, validate_records
from etl.models import Fact, Source
from etl.problems import Problem, ordered
from etl.yamlio import Record, parse_document, read_record, read_text

DRAFTS = "drafts"
PROPOSALS = Path("review") / "sources"
PENDING = "pending"
REVIEW_KEYS = ("review", "title_basis", "authors_basis")


def draft_files(root: Path) -> list[Path]:
    return sorted((root / DRAFTS).glob("*.yml"))


def proposal_files(root: Path) -> list[Path]:
    return sorted((root / PROPOSALS).glob("*.yml"))


def _rel(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _doc(path: Path) -> dict:
    text, problems = read_text(path)
    data, more = parse_document(text or "", str(path)) if text is not None else (None, problems)
    if problems or more or not isinstance(data, dict):
        raise ValueError(f"cannot read {path}: {'; '.join(str(p) for p in problems + more) or 'not a mapping'}")
    return data


def add_drafts(folder: Path, source_id: str, drafts: list[dict]) -> list[str]:
    """Append drafts to <folder>/<source id>.yml (data/drafts/ unless told; skipping any already there:
    same line, value and evidence), each with the next draft id. Returns the ids given."""
    path = folder / f"{source_id}.yml"
    data: dict = _doc(path) if path.exists() else {"source": source_id, "facts": []}
    facts: list[dict] = data.setdefault("facts", [])
    there = {(f.get("line"), f.get("value"), f.get("evidence")) for f in facts}
    used = [int(m.group(1)) for f in facts if (m := re.search(r"-d(\d+)$", str(f.get("id", ""))))]
    n = max(used, default=0)
    given = []
    for d in drafts:
        if (d.get("line"), d.get("value"), d.get("evidence")) in there:
            continue
        n += 1
        draft_id = f"{source_id}-d{n:02d}"
        facts.append({"id": draft_id, **d})
        given.append(draft_id)
    if given:
        problems = write_canonical(path, data, "drafts")
        if problems:
            raise ValueError("; ".join(map(str, problems)))
    return given


@dataclasses.dataclass
class Draft:
    source_id: str
    record: Record
    path: Path

    @property
    def id(self) -> str:
        return str(self.record.data.get("id"))

    @property
    def pending(self) -> bool:
        return self.record.data.get("review") == PENDING


def read_drafts(root: Path) -> tuple[list[Draft], list[Problem]]:
    out, problems = [], []
    for path in draft_files(root):
        label = _rel(root, path)
        header, records, more = read_record(path, label, list_key="facts")
        problems += more
        if header is None:
            continue
        source_id = header.data.get("source")
        if not isinstance(source_id, str) or source_id != path.stem:
            problems.append(
                Problem(label, header.line, None, "source", f"a drafts file names its source: `source: {path.stem}`")
            )
            continue
        out += [Draft(source_id, rec, path) for rec in records]
    return out, problems


def _as_fact(draft: Draft) -> Record:
    data = {k: v for k, v in draft.record.data.items() if k not in REVIEW_KEYS}
    data["source"] = draft.source_id
    return dataclasses.replace(draft.record, data=data)


def check_drafts(ann: Annotations, corpus: Corpus | None, drafts: list[Draft]) -> list[Problem]:
    """Every problem of the drafts as if they were facts: schema, references, units, the line within
    the source's range, the evidence on that line. Problems of accepted records are not repeated."""
    files = {d.record.file for d in drafts}
    loaded, problems = validate_records([_as_fact(d) for d in drafts], Fact)
    known = {s.model.id for s in ann.sources}
    for d in drafts:
        if d.source_id not in known:
            problems.append(
                Problem(
                    d.record.file,
                    d.record.line,
                    d.id,
                    "source",
                    f"source {d.source_id!r} has no file in sources/ (accept its proposal first)",
                )
            )
    together = dataclasses.replace(ann, facts=[*ann.facts, *loaded])
    found = check_integrity(together) + (verify_evidence(together, corpus) if corpus else [])
    problems += [p for p in found if p.file in files]
    return ordered(problems)


def _next_id(facts: list[dict], source_id: str) -> str:
    used = [
        int(m.group(1)) for f in facts if (m := re.fullmatch(re.escape(source_id) + r"-(\d+)", str(f.get("id", ""))))
    ]
    return f"{source_id}-{max(used, default=0) + 1:02d}"


@dataclasses.dataclass
class Accepted:
    moved: list[tuple[str, str]]  # (draft or proposal id, its id in the fact base)
    problems: list[Problem]


def accept(root: Path, ids: list[str], corpus_dir: Path | None) -> Accepted:
    """Move the named drafts and proposals (or, with no ids, every reviewed one) into the fact base."""
    root = Path(root)
    result = Accepted([], [])
    proposals = {p.stem: p for p in proposal_files(root)}
    wanted = set(ids)
    for sid, path in proposals.items():
        data = _doc(path)
        if sid in wanted or (not ids and data.get("review") != PENDING):
            result.problems += _accept_proposal(root, path, data, result)
            wanted.discard(sid)
    ann, _ = load_annotations(root)
    drafts, problems = read_drafts(root)
    result.problems += problems
    chosen = [d for d in drafts if d.id in wanted] if ids else [d for d in drafts if not d.pending]
    wanted -= {d.id for d in chosen}
    result.problems += [
        Problem("data", None, i, None, "no draft or proposal has this id (see data/drafts/, data/review/sources/)")
        for i in sorted(wanted)
    ]
    corpus = Corpus(corpus_dir) if corpus_dir else None
    problems = check_drafts(ann, corpus, chosen)
    result.problems += problems
    bad = {p.record_id for p in problems if not p.is_warning}
    by_source: dict[str, list[Draft]] = {}
    for d in chosen:
        if d.id not in bad:
            by_source.setdefault(d.source_id, []).append(d)
    for source_id, group in by_source.items():
        result.problems += _move(root, source_id, group, result)
    return result


def _accept_proposal(root: Path, path: Path, data: dict, result: Accepted) -> list[Problem]:
    header = {k: v for k, v in data.items() if k not in REVIEW_KEYS}
    rec = Record(header, _rel(root, path), 1)
    _, problems = validate_records([rec], Source)
    target = root / "sources" / path.name
    if target.exists():
        problems.append(Problem(rec.file, 1, path.stem, "id", f"sources/{path.name} exists already"))
    if problems:
        return problems
    problems = write_canonical(target, header, "source")
    if not problems:
        path.unlink()
        result.moved.append((path.stem, path.stem))
    return problems


def _move(root: Path, source_id: str, group: list[Draft], result: Accepted) -> list[Problem]:
    target = root / "sources" / f"{source_id}.yml"
    data = _doc(target)
    facts = data.setdefault("facts", [])
    moved = {}
    for d in group:
        new_id = _next_id(facts, source_id)
        fact = {k: v for k, v in d.record.data.items() if k not in REVIEW_KEYS}
        fact["id"] = new_id
        facts.append(fact)
        moved[d.id] = new_id
    problems = write_canonical(target, data, "source")
    if problems:
        return problems
    result.moved += list(moved.items())
    drafts_path = group[0].path
    rest = _doc(drafts_path)
    rest["facts"] = [f for f in rest.get("facts", []) if f.get("id") not in moved]
    if rest["facts"]:
        return write_canonical(drafts_path, rest, "drafts")
    drafts_path.unlink()
    return []
