"""Draft candidate facts from the lines of one source: one candidate per fact-bearing clause.

A quantity (money, nm, layers, percent, a count, an HBM generation) gives a candidate of its own,
so a line with three numbers can give three; a clause with no quantity gives one when it names a
rule, an action or an event together with a date or an entity. Each candidate carries its line,
a literal evidence span from that line, the date nearest to it in its clause (else its sentence),
the entities named there, and `review: pending`. The reviewer corrects and accepts (`etl accept`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.assist.dates_in_text import DateMention, find_dates
from etl.assist.lexicon import lexicon, word_pattern
from etl.assist.names import NameHit, NameMatcher
from etl.assist.quantities import Quantity, find_quantities
from etl.assist.spans import clauses, containing, evidence, sentences, title_from

MONEY_KINDS = {"funding", "statistic"}
NODE_UNITS = {"nm", "layers", "hbm_gen", "MTr/mm2"}
# without a number these kinds need a date or a named entity in the clause ("chips", "investors" alone say little)
NEEDS_DATE_OR_NAME = {"funding", "chip_node"}


@dataclass(frozen=True)
class EntityInfo:
    type: str
    country: str | None


@dataclass
class Registry:
    """What the drafter knows of the entities: names for matching, types and countries for the blocks."""

    matcher: NameMatcher
    info: dict[str, EntityInfo] = field(default_factory=dict)
    money_units: set[str] = field(default_factory=set)


def registry_from(ann) -> Registry:
    """The entity registry of loaded annotations (etl.load.Annotations)."""
    names = {e.model.id: [e.model.name, *e.model.aliases] for e in ann.entities}
    info = {e.model.id: EntityInfo(e.model.type, e.model.country) for e in ann.entities}
    return Registry(NameMatcher(names), info, set(ann.money_units))


def _nearest_date(
    dates: list[DateMention], anchor: tuple[int, int], spans: list[tuple[int, int]]
) -> DateMention | None:
    """The date closest to the anchor inside the span holding it, by the gap between them
    ("HBM3 in 2026 and HBM3E in 2027": HBM3E takes 2027)."""
    s, e = containing(spans, anchor[0])
    inside = [d for d in dates if s <= d.start and d.end <= e]

    def gap(d: DateMention) -> int:
        return d.start - anchor[1] if d.start >= anchor[1] else max(0, anchor[0] - d.end)

    return min(inside, key=gap) if inside else None


def _entities(hits: list[NameHit], span: tuple[int, int]) -> list[str]:
    out: list[str] = []
    for h in hits:
        if span[0] <= h.start < span[1] and h.entity_id not in out:
            out.append(h.entity_id)
    return out


def _actor(kind: str, entities: list[str], reg: Registry) -> str | None:
    for wanted in lexicon()["actor_types"].get(kind, []):
        for e in entities:
            if reg.info.get(e) and reg.info[e].type == wanted:
                return e
    return None


def _kind_of_quantity(q: Quantity, text: str, reg: Registry) -> str:
    lex = lexicon()
    if q.unit in NODE_UNITS or q.unit in lex["metric_by_unit"]:
        return "threshold" if lex.any_word("threshold_words", text) and q.unit in NODE_UNITS else "chip_node"
    if q.unit in reg.money_units and lex.first_group("funding_words", text):
        return "funding"
    return "statistic"


def _metric(unit: str, text: str) -> str:
    lex = lexicon()
    metric = lex["metric_by_unit"].get(unit, "other")
    if unit == "nm":
        metric = lex.first_group("metric_words", text) or metric
    return str(metric)


def _block(kind: str, unit: str | None, text: str, entities: list[str], reg: Registry) -> dict | None:
    lex = lexicon()
    actor = _actor(kind, entities, reg)
    if kind == "chip_node":
        return {"company": actor, "metric": _metric(unit or "", text)}
    if kind == "threshold":
        return {"parameter": _metric(unit or "", text), "comparator": lex.first_group("comparator_words", text) or "<="}
    if kind == "funding":
        others = [e for e in entities if e != actor]
        return {
            "funder": actor,
            "recipient": others[0] if others else None,
            "funding_type": lex.first_group("funding_words", text) or "other",
        }
    if kind == "entity_action":
        targets = [e for e in entities if e != actor]
        return {
            "action": lex.first_group("action_words", text) or "other",
            "actor": actor,
            "target": targets[0] if targets else None,
        }
    if kind == "rule" and actor:
        return {"authority": actor}
    return None


def _topic(kind: str, text: str) -> str:
    lex = lexicon()
    if kind in ("funding", "chip_node", "threshold"):
        return str(lex["topic_by_kind"][kind])
    return lex.first_group("topic_words", text) or str(lex["topic_by_kind"][kind])


def _record(kind, line_no, line, anchor, clause, sentence, dates, hits, reg, q: Quantity | None) -> dict:
    text = line[clause[0] : clause[1]]
    date = _nearest_date(dates, anchor, [clause]) or _nearest_date(dates, anchor, [sentence])
    entities = _entities(hits, clause) or _entities(hits, sentence)
    rec: dict = {"kind": kind, "topic": _topic(kind, line[sentence[0] : sentence[1]]), "title": title_from(text)}
    if date is not None:
        rec["date"] = date.date
        rec["date_basis"] = date.basis
        if date.note:
            rec["date_note"] = date.note
        if date.qualifier:
            rec["date_qualifier"] = date.qualifier
    if q is not None:
        rec["value"] = q.value
        if q.value_high is not None:
            rec["value_high"] = q.value_high
        rec["unit"] = q.unit
        if q.qualifier:
            rec["value_qualifier"] = q.qualifier
    if entities:
        rec["entities"] = entities
    countries = sorted({c for e in entities if (c := reg.info[e].country if e in reg.info else None)})
    if countries:
        rec["countries"] = countries
    rec["line"] = line_no
    rec["evidence"] = evidence(line, anchor, clause)
    block = _block(kind, q.unit if q else None, text, entities, reg)
    if block is not None:
        rec[kind] = {k: v for k, v in block.items() if v is not None}
    rec["review"] = "pending"
    return rec


def _kind_word_span(text: str, offset: int) -> tuple[int, int]:
    """Where the first word that made the clause a candidate stands (an evidence span holds it)."""
    for words in lexicon()["kind_words"].values():
        m = word_pattern(tuple(str(w) for w in words)).search(text)
        if m:
            return offset + m.start(), offset + m.end()
    return offset, offset + min(len(text), 10)


def draft_line(line: str, line_no: int, reg: Registry, source_date: str | None = None) -> list[dict]:
    """The candidate facts of one line."""
    if not line.strip():
        return []
    parts, sents = clauses(line), sentences(line)
    dates = find_dates(line, source_date)
    date_spans = [(d.start, d.end) for d in dates]
    hits = reg.matcher.find(line)
    out: list[dict] = []
    seen: set = set()
    with_quantity: set[tuple[int, int]] = set()
    for q in find_quantities(line):
        if any(s <= q.start < e for s, e in date_spans):
            continue
        clause, sentence = containing(parts, q.start), containing(sents, q.start)
        if clause == (0, 0):
            clause = sentence
        kind = _kind_of_quantity(q, line[clause[0] : clause[1]], reg)
        key = (clause, q.value, q.value_high, q.unit)
        if key in seen:
            continue
        seen.add(key)
        with_quantity.add(clause)
        out.append(_record(kind, line_no, line, q.anchor, clause, sentence, dates, hits, reg, q))
    lex = lexicon()
    for clause in parts:
        if clause in with_quantity:
            continue
        text = line[clause[0] : clause[1]]
        inside = [d for d in dates if clause[0] <= d.start < clause[1]]
        named = _entities(hits, clause)
        found = lex.first_group("kind_words", text)
        if found is None and inside and named and any(d.basis == "stated" for d in inside):
            found = "event"
        if (
            found is None
            or (found in NEEDS_DATE_OR_NAME and not (inside or named))
            or (found == "event" and not inside)
        ):
            continue
        anchor = (inside[0].start, inside[0].end) if inside else _kind_word_span(text, clause[0])
        sentence = containing(sents, clause[0])
        out.append(_record(found, line_no, line, anchor, clause, sentence, dates, hits, reg, None))
    return out


def draft_lines(lines: list[str], first: int, last: int, reg: Registry, source_date: str | None) -> list[dict]:
    """Candidates of lines first..last (1-based, inclusive) of a corpus file."""
    out = []
    for n in range(first, min(last, len(lines)) + 1):
        out += draft_line(lines[n - 1], n, reg, source_date)
    return out


def known_keys(facts) -> set[tuple[int, float | None]]:
    """(line, value) of existing facts: a candidate with the same is already covered."""
    return {(f.line, f.value) for f in facts}


def uncovered(drafts: list[dict], known: set[tuple[int, float | None]]) -> list[dict]:
    return [d for d in drafts if (d["line"], d.get("value")) not in known]
