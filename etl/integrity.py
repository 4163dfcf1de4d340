"""Checks across records: unique ids, references, merged entity ids, units, rates, line ranges, claims."""

from __future__ import annotations

import difflib
from collections import defaultdict
from pathlib import Path

from etl.bounds import usd_problem
from etl.load import Annotations, Loaded
from etl.problems import Problem
from etl.yamlio import Record


def _suggest(value: str, known: list[str]) -> str:
    close = difflib.get_close_matches(value, known, n=3, cutoff=0.5)
    return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def _problem(item: Loaded, field: str, message: str, level: str = "error") -> Problem:
    top = field.split(".")[0]
    return Problem(item.record.file, item.record.line_of(top), getattr(item.model, "id", None), field, message, level)


def replaced_ids(ann: Annotations) -> dict[str, str]:
    """Old entity id -> the entity that replaces it (its `replaces:` list)."""
    return {old: item.model.id for item in ann.entities for old in item.model.replaces}


def _replacements(ann: Annotations, entity_set: set[str]) -> list[Problem]:
    """An old id names one entity that is gone: not a live entity, not replaced twice, not itself."""
    problems = []
    first: dict[str, Loaded] = {}
    for item in ann.entities:
        for old in item.model.replaces:
            if old == item.model.id:
                problems.append(_problem(item, "replaces", "an entity cannot replace itself"))
            elif old in entity_set:
                problems.append(
                    _problem(
                        item,
                        "replaces",
                        f"{old!r} is still an entity (entities/{old}.yml): merge it by "
                        "deleting its file, or take it out of replaces",
                    )
                )
            elif old in first and first[old] is not item:
                problems.append(
                    _problem(
                        item,
                        "replaces",
                        f"{old!r} is already replaced by {first[old].model.id!r} "
                        f"({first[old].record.file}); an old id resolves to one entity",
                    )
                )
            first.setdefault(old, item)
    return problems


def _refused(ann: Annotations, name: str, key: str = "id") -> dict[str, Record]:
    """Records of a file that failed validation, by id: a reference to one is not 'unknown'."""
    return {str(r.data.get(key)): r for r in reversed(ann.refused.get(name, []))}


def _refused_ref(what: str, ref: str, rec: Record) -> str:
    return f"{what} {ref!r} is refused at {rec.file}:{rec.line} (see the problem reported there)"


def _unique(items: list[Loaded], what: str) -> list[Problem]:
    first: dict[str, Loaded] = {}
    problems = []
    for item in items:
        key = item.model.id
        if key in first:
            prev = first[key].record
            problems.append(_problem(item, "id", f"duplicate {what} id (first defined at {prev.file}:{prev.line})"))
        else:
            first[key] = item
    return problems


def check_integrity(ann: Annotations) -> list[Problem]:
    problems: list[Problem] = []
    problems += _unique(ann.sources, "source")
    problems += _unique(ann.entities, "entity")
    problems += _unique(ann.facts, "fact")

    sources = {s.model.id: s.model for s in ann.sources}
    entity_ids = sorted(e.model.id for e in ann.entities)
    entity_set = set(entity_ids)
    fact_ids = {f.model.id for f in ann.facts}
    usd_per = {r.model.currency: r.model.usd_per_unit for r in ann.rates} | {"USD": 1.0}
    rated = set(usd_per)
    refused_sources, refused_entities = _refused(ann, "sources.yml"), _refused(ann, "entities.yml")
    refused_rates = _refused(ann, "rates.yml", "currency")
    unrated: dict[str, list[Loaded]] = defaultdict(list)

    replaced = replaced_ids(ann)
    problems += _replacements(ann, entity_set)

    def check_entity(item: Loaded, field: str, ref: str) -> None:
        if ref in replaced and ref not in entity_set:
            problems.append(
                _problem(
                    item,
                    field,
                    f"entity {ref!r} was merged into {replaced[ref]!r} (which lists it under "
                    f"replaces); it resolves there, but write {replaced[ref]!r}",
                    "warning",
                )
            )
        elif ref not in entity_set:
            problems.append(_problem(item, field, f"unknown entity {ref!r}{_suggest(ref, entity_ids)}"))

    owners: dict[str, str] = {}
    for item in ann.entities:
        ent = item.model
        if ent.parent:
            check_entity(item, "parent", ent.parent)
        if ent.parent and replaced.get(ent.parent, ent.parent) == ent.id:
            problems.append(_problem(item, "parent", "an entity cannot be its own parent"))
        for name in [ent.name, *ent.aliases]:
            key = name.casefold()
            if key in owners and owners[key] != ent.id:
                problems.append(
                    _problem(
                        item,
                        "aliases",
                        f"name {name!r} is already used by entity {owners[key]!r}; an alias must point to one entity",
                    )
                )
            owners.setdefault(key, ent.id)

    def check_citation(item: Loaded) -> None:
        m = item.model
        if m.source is None:
            return
        src = sources.get(m.source)
        if src is None and m.source in refused_sources:
            problems.append(_problem(item, "source", _refused_ref("source", m.source, refused_sources[m.source])))
        elif src is None:
            problems.append(
                _problem(item, "source", f"unknown source {m.source!r}{_suggest(m.source, sorted(sources))}")
            )
        elif not src.line_start <= m.line <= src.line_end:
            problems.append(
                _problem(
                    item,
                    "line",
                    f"line {m.line} is outside source {src.id!r} (lines {src.line_start}-{src.line_end} of {src.corpus_file})",
                )
            )

    for item in ann.rates:
        if item.model.currency not in ann.money_units:
            problems.append(
                _problem(item, "currency", f"{item.model.currency!r} is not a currency listed in units.yml")
            )
        check_citation(item)

    for item in ann.facts:
        f = item.model
        check_citation(item)
        for field, ref in f.entity_refs():
            if ref in refused_entities and ref not in entity_set:
                problems.append(_problem(item, field, _refused_ref("entity", ref, refused_entities[ref])))
            else:
                check_entity(item, field, ref)
        if f.unit is not None:
            if f.unit not in ann.units:
                known = sorted(ann.units)
                problems.append(
                    _problem(
                        item,
                        "unit",
                        f"unknown unit {f.unit!r}{_suggest(f.unit, known)} (units are listed in data/units.yml)",
                    )
                )
            elif f.unit in ann.money_units and f.unit in refused_rates and f.unit not in rated:
                rate = refused_rates[f.unit]
                problems.append(
                    _problem(
                        item,
                        "unit",
                        f"currency {f.unit!r} cannot be converted to USD: its rate is refused "
                        f"at {rate.file}:{rate.line} (see the problem reported there)",
                    )
                )
            elif f.unit in ann.money_units and f.unit not in rated:
                problems.append(
                    _problem(
                        item, "unit", f"currency {f.unit!r} has no rate in rates.yml, so it cannot be converted to USD"
                    )
                )
                unrated[f.unit].append(item)
            elif f.unit in ann.money_units:
                for field in ("value", "value_high"):
                    number = getattr(f, field)
                    why = usd_problem(number, f.unit, usd_per[f.unit]) if number is not None else None
                    if why:
                        problems.append(_problem(item, field, why))
        if f.kind == "funding" and f.unit is not None and f.unit not in ann.money_units:
            problems.append(_problem(item, "unit", f"a funding amount needs a currency unit, not {f.unit!r}"))
        if f.threshold and f.threshold.rule_fact and f.threshold.rule_fact not in fact_ids:
            problems.append(
                _problem(
                    item,
                    "threshold.rule_fact",
                    f"unknown fact {f.threshold.rule_fact!r}{_suggest(f.threshold.rule_fact, sorted(fact_ids))}",
                )
            )
    # the cause, reported on rates.yml before the facts it affects (unless rates.yml could not be read at all:
    # that problem says it)
    for currency, items in unrated.items() if "rates.yml" in ann.refused else ():
        first = items[0].record
        problems.append(
            Problem(
                str(Path(ann.root.name) / "rates.yml"),
                None,
                None,
                None,
                f"currency {currency!r} has no rate, but {len(items)} fact(s) give amounts in it (the first at "
                f"{first.file}:{first.line_of('unit')}); add a cited rate for it",
            )
        )
    problems += _claims(ann)
    return problems


def _claims(ann: Annotations) -> list[Problem]:
    """Facts linked as one claim must state the same kind of quantity; a claim links two facts or more."""
    by_claim: dict[str, list[Loaded]] = defaultdict(list)
    for item in ann.facts:
        if item.model.claim:
            by_claim[item.model.claim].append(item)
    problems = []
    for claim, items in by_claim.items():
        if len(items) == 1:
            problems.append(
                _problem(
                    items[0],
                    "claim",
                    f"claim {claim!r} is used by this fact only: a claim links facts "
                    "stating the same thing (give the other fact the same claim, or "
                    "remove it)",
                    "warning",
                )
            )
        units = {i.model.unit in ann.money_units if i.model.unit else None for i in items if i.model.value is not None}
        if len(units) > 1:
            problems.append(_problem(items[-1], "claim", f"claim {claim!r} links money and non-money values"))
    return problems + _distinct(ann)


def _distinct(ann: Annotations) -> list[Problem]:
    """A decision that two facts differ names a real other fact, and never two facts of one claim."""
    claims = {item.model.id: item.model.claim for item in ann.facts}
    known = sorted(claims)
    problems = []
    for item in ann.facts:
        f = item.model
        for other in f.distinct_from:
            if other == f.id:
                problems.append(_problem(item, "distinct_from", "a fact cannot be distinct from itself"))
            elif other not in claims:
                problems.append(_problem(item, "distinct_from", f"unknown fact {other!r}{_suggest(other, known)}"))
            elif f.claim and claims[other] == f.claim:
                problems.append(
                    _problem(
                        item,
                        "distinct_from",
                        f"{other!r} shares this fact's claim {f.claim!r}: the facts are either one claim or "
                        "distinct (remove the claim from one, or this entry)",
                    )
                )
    return problems
