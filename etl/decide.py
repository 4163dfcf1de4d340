"""A reviewer's decisions on candidate pairs, written into the annotation files.

`link` gives facts one claim (they state the same real-world thing, agreeing or not);
`distinct` records that two facts alike enough to be a candidate pair state different things.
Both edit the facts' source files in place, in the canonical form `etl fmt` writes.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from etl.fmt import rewrite
from etl.load import annotation_files
from etl.problems import Problem
from etl.yamlio import parse_document, read_text


class DecisionError(Exception):
    """A decision that cannot be written; its message says why and what to do."""


def _facts_by_file(data: Path) -> dict[Path, list[dict[str, Any]]]:
    found = {}
    sources, _ = annotation_files(data)
    for path in sources:
        text, problems = read_text(path)
        doc, more = parse_document(text, str(path)) if text is not None else (None, problems)
        if problems or more or not isinstance(doc, dict):
            raise DecisionError(f"{path}: cannot be read ({'; '.join(map(str, problems + more))}); fix it first")
        found[path] = [f for f in doc.get("facts") or [] if isinstance(f, dict)]
    return found


def _where(data: Path) -> tuple[dict[str, Path], dict[str, dict[str, Any]]]:
    """fact id -> its file, and fact id -> its record as read."""
    files, records = {}, {}
    for path, facts in _facts_by_file(data).items():
        for fact in facts:
            files[str(fact.get("id"))] = path
            records[str(fact.get("id"))] = fact
    return files, records


def _apply(data: Path, files: dict[str, Path], edits: dict[str, Any]) -> None:
    """edits: fact id -> function(fact record) changing it in place."""
    by_file: dict[Path, dict[str, Any]] = defaultdict(dict)
    for fact_id, edit in edits.items():
        by_file[files[fact_id]][fact_id] = edit
    problems: list[Problem] = []
    for path, mine in by_file.items():

        def change(doc, mine=mine):
            for fact in doc.get("facts") or []:
                if isinstance(fact, dict) and fact.get("id") in mine:
                    mine[fact["id"]](fact)

        problems += rewrite(path, "source", change, str(path.relative_to(data.parent)))
    if problems:
        raise DecisionError("; ".join(map(str, problems)))


def _known(ids: list[str], files: dict[str, Path]) -> None:
    missing = [i for i in ids if i not in files]
    if missing:
        raise DecisionError(f"unknown fact id(s): {', '.join(missing)}")


def link(data: Path, ids: list[str], claim: str | None = None) -> tuple[str, list[str]]:
    """Give the facts one claim; facts already in a claim bring that claim's other facts along.
    Returns (the claim, every fact now in it)."""
    if len(set(ids)) < 2 and not claim:
        raise DecisionError("link needs two fact ids or more (or one id and --claim naming an existing claim)")
    files, records = _where(data)
    _known(ids, files)
    existing = sorted({records[i]["claim"] for i in ids if records[i].get("claim")})
    if claim is None:
        if len(existing) > 1:
            raise DecisionError(
                f"the facts are in different claims ({', '.join(existing)}): say which one they all join with --claim"
            )
        if not existing:
            raise DecisionError("none of the facts has a claim yet: name one with --claim claim-<what-it-is>")
        claim = existing[0]
    members = sorted(set(ids) | {fid for fid, rec in records.items() if rec.get("claim") in set(existing) | {claim}})

    def edit(fact: dict[str, Any]) -> None:
        fact["claim"] = claim
        distinct = fact.get("distinct_from")
        if isinstance(distinct, dict):
            for other in members:
                distinct.pop(other, None)
            if not distinct:
                del fact["distinct_from"]

    _apply(data, files, dict.fromkeys(members, edit))
    return claim, members


def distinct(data: Path, a: str, b: str, why: str) -> None:
    """Record on fact `a` that it and `b` state different things."""
    if a == b:
        raise DecisionError("a fact cannot be distinct from itself")
    if len(why.strip()) < 3:
        raise DecisionError("say why the two facts differ (--why), e.g. 'SMIC 2023 revenue vs 2024 revenue'")
    files, records = _where(data)
    _known([a, b], files)
    claim = records[a].get("claim")
    if claim and claim == records[b].get("claim"):
        raise DecisionError(f"{a} and {b} are one claim ({claim}); remove the claim from one of them first")

    def edit(fact: dict[str, Any]) -> None:
        fact["distinct_from"] = {**(fact.get("distinct_from") or {}), b: why.strip()}

    _apply(data, files, {a: edit})
