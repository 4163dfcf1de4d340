"""Synthetic fact bases of any size, shaped like the real one, for benchmarks and load tests.

`records(n)` makes annotation records (the same dicts a YAML file holds): skewed entity
frequencies (Zipf), every kind, status and topic, 25 countries, long titles, entity lists,
disputed claims, twenty years of dates at mixed precision, money in four currencies.

Two ways out:
- `write_annotations` writes a data folder in the annotators' layout (sources/<id>.yml with
  each source's facts, entities/<id>.yml, rates.yml, units.yml) and a corpus whose lines hold
  every evidence span, for timing the real ETL;
- `write_package` turns the records into package rows with the ETL's own `build_rows`
  (models constructed without validation) and publishes them, for the read side at
  sizes where YAML would only time the YAML parser.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import yaml

from etl.build import publish_rows
from etl.models import KIND_BLOCKS, Entity, Fact, Rate, Source
from etl.store import code_digest
from etl.tables import build_rows

GENERATOR_VERSION = 1
KINDS = {"statistic": 30, "rule": 20, "event": 17, "entity_action": 14, "chip_node": 10, "funding": 7, "threshold": 2}
TOPICS = {"chips": 25, "ai": 20, "export_controls": 20, "other_policy": 15, "industrial_policy": 12, "funding": 8}
COUNTRIES = {
    "CN": 40,
    "US": 30,
    "TW": 6,
    "NL": 4,
    "JP": 4,
    "KR": 4,
    "DE": 2,
    "GB": 2,
    "FR": 1,
    "IN": 1,
    "SG": 1,
    "MY": 1,
    "VN": 1,
    "IL": 1,
    "AE": 1,
    "SA": 1,
    "CA": 1,
    "AU": 1,
    "RU": 1,
    "BE": 1,
    "IT": 1,
    "ES": 1,
    "SE": 1,
    "CH": 1,
    "HK": 1,
}
ENTITY_TYPES = {
    "company": 60,
    "person": 10,
    "agency": 8,
    "university": 6,
    "fund": 5,
    "lab": 5,
    "government": 3,
    "industry_body": 3,
}
MEASURES = {
    "percent": 30,
    "count": 30,
    "nm": 10,
    "GW": 5,
    "parameters": 5,
    "years": 5,
    "TOPS": 5,
    "wafers/month": 5,
    "MW": 5,
}
CURRENCIES = {"USD": 60, "CNY": 30, "TWD": 5, "EUR": 5}
RATES = {"CNY": 0.14, "TWD": 0.0333, "EUR": 1.08}
CHIP_METRICS = {
    "logic_node": ("nm", 28.0, 0.86),
    "dram_half_pitch": ("nm", 25.0, 0.95),
    "nand_layers": ("layers", 32.0, 1.18),
    "hbm_generation": ("hbm_gen", 1.0, 1.1),
}
STATUSES = {
    "rule": ["enacted", "proposed", "suggested", "rescinded"],
    "chip_node": ["mass_production", "prototype", "planned", "claimed"],
}
OTHER_STATUSES = ["reported", "estimated", "claimed", "enacted", "planned", None]
WORDS = [
    "export",
    "control",
    "licence",
    "wafer",
    "fab",
    "lithography",
    "subsidy",
    "fund",
    "tariff",
    "rule",
    "entity",
    "list",
    "memory",
    "logic",
    "foundry",
    "packaging",
    "accelerator",
    "cluster",
    "datacenter",
    "model",
    "training",
    "inference",
    "supply",
    "chain",
    "equipment",
    "etch",
    "deposition",
    "metrology",
    "photoresist",
    "gallium",
    "germanium",
    "rare",
    "earth",
    "talent",
    "visa",
    "procurement",
    "standard",
    "security",
    "review",
    "investment",
    "screening",
    "outbound",
    "capital",
    "market",
    "listing",
    "delisting",
    "sanction",
    "waiver",
    "exemption",
    "threshold",
    "density",
    "bandwidth",
    "performance",
    "yield",
    "capacity",
    "roadmap",
    "node",
    "prototype",
    "tape-out",
]
PUBLISHERS = [
    "ChinaTalk",
    "Federal Register",
    "Reuters",
    "Caixin",
    "Nikkei Asia",
    "SemiAnalysis",
    "CSIS",
    "CSET",
    "MOFCOM",
    "BIS press office",
    "TrendForce",
    "DigiTimes",
    "South China Morning Post",
    "Bloomberg",
]
DOC_TYPES = ["newsletter_post", "interview_transcript", "report", "news_article", "other"]
CJK = "中国芯片半导体集团科技有限公司国家投资基金研究院工业信息部长江存储华微电子"


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class Zipf:
    """Draw indexes 0..n-1 with probability proportional to 1/(rank+1)^s: a few are everywhere."""

    def __init__(self, n: int, s: float = 1.1):
        self.cum = list(itertools.accumulate(1.0 / (k + 1) ** s for k in range(n)))

    def __call__(self, rng: random.Random) -> int:
        return bisect.bisect_left(self.cum, rng.random() * self.cum[-1])


@dataclass
class Synthetic:
    sources: list[dict]
    entities: list[dict]
    rates: list[dict]
    facts: list[dict]
    corpus: dict[str, list[str]]  # file name -> lines


def _words(rng: random.Random, k: int) -> str:
    return " ".join(rng.choices(WORDS, k=k))


def _entities(rng: random.Random, n: int) -> list[dict]:
    out = []
    for i in range(n):
        kind = _pick(rng, ENTITY_TYPES)
        country = _pick(rng, COUNTRIES)
        name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {kind.replace('_', ' ').title()} {i}"
        aliases = []
        if rng.random() < 0.5:
            aliases.append(f"{''.join(rng.choices('ABCDEFGHJKLMNPRSTUVWXYZ', k=3))}{i}")
        if country == "CN" and rng.random() < 0.6:
            aliases.append("".join(rng.choices(CJK, k=4)) + str(i))
        if rng.random() < 0.15:
            aliases.append(f"Former {name}")
        record = {"id": f"syn-e{i:06d}", "name": name, "type": kind, "country": country, "aliases": aliases}
        if i > 10 and rng.random() < 0.1:
            record["parent"] = f"syn-e{rng.randrange(0, min(i, 50)):06d}"
        out.append(record)
    return out


def _date(rng: random.Random) -> str | None:
    if rng.random() < 0.35:
        return None
    year, month, day = rng.randint(2006, 2026), rng.randint(1, 12), rng.randint(1, 28)
    r = rng.random()
    if r < 0.5:
        return f"{year}-{month:02d}-{day:02d}"
    if r < 0.75:
        return f"{year}-{month:02d}"
    if r < 0.8:
        return f"{year}-Q{(month - 1) // 3 + 1}"
    return str(year)


def records(n_facts: int, seed: int = 7) -> Synthetic:
    """A synthetic fact base of n_facts facts (about n/40 entities and n/250 sources)."""
    rng = random.Random(seed)
    entities = _entities(rng, max(200, n_facts // 40))
    agencies = [e["id"] for e in entities if e["type"] in ("agency", "government")]
    companies = [e["id"] for e in entities if e["type"] == "company"]
    by_id = {e["id"]: e for e in entities}
    pick_entity, pick_agency, pick_company = Zipf(len(entities)), Zipf(len(agencies)), Zipf(len(companies))
    n_sources = max(20, n_facts // 250)
    pick_source = Zipf(n_sources, 0.6)

    facts = []
    claim_pool: list[tuple[str, dict]] = []
    for i in range(n_facts):
        kind = _pick(rng, KINDS)
        named = list(dict.fromkeys(entities[pick_entity(rng)]["id"] for _ in range(rng.randint(1, 6))))
        date = _date(rng)
        f: dict = {"id": f"syn-f{i:07d}", "kind": kind, "topic": _pick(rng, TOPICS), "_source": pick_source(rng)}
        lead = by_id[named[0]]["name"]
        f["title"] = f"{lead} {_words(rng, rng.randint(6, 24))}"[:200]
        if date:
            f["date"] = date
            f["date_basis"] = rng.choice(["stated", "stated", "dateline", "inferred"])
            if f["date_basis"] == "inferred":
                f["date_note"] = f"synthetic: inferred from the {_words(rng, 3)}"
        f["status"] = rng.choice(STATUSES.get(kind, OTHER_STATUSES))
        if f["status"] is None:
            del f["status"]
        f["entities"] = named
        f["countries"] = sorted({by_id[e]["country"] for e in named[:3]} | {_pick(rng, COUNTRIES)})
        if kind == "rule":
            f["rule"] = {
                "authority": agencies[pick_agency(rng)],
                "name": f"Rule on {_words(rng, 3)} {i}",
                "announced": date if date and len(date) == 10 else None,
                "controls": _words(rng, rng.randint(3, 10)),
            }
        elif kind == "entity_action":
            f["entity_action"] = {
                "action": rng.choice(
                    [
                        "added_to_entity_list",
                        "sanctioned",
                        "export_ban",
                        "listed",
                        "investigated",
                        "stockpiled",
                        "acquired",
                        "other",
                    ]
                ),
                "actor": agencies[pick_agency(rng)],
                "target": companies[pick_company(rng)],
            }
        elif kind in ("chip_node", "threshold"):
            metric = rng.choice(list(CHIP_METRICS))
            unit, start, step = CHIP_METRICS[metric]
            year = int(date[:4]) if date else rng.randint(2006, 2026)
            f["value"], f["unit"] = round(start * step ** ((year - 2006) / 2 + rng.random()), 1), unit
            if kind == "chip_node":
                f["chip_node"] = {
                    "company": companies[pick_company(rng)],
                    "metric": metric,
                    "product": f"Part {rng.randint(100, 999)}",
                    "lithography": rng.choice(["DUV", "EUV", None]),
                }
            else:
                f["status"] = "enacted"
                f["threshold"] = {
                    "parameter": metric,
                    "comparator": rng.choice(["<", "<=", ">="]),
                    "applies_to": _words(rng, 3),
                }
        elif kind == "funding":
            f["value"] = round(10 ** rng.uniform(6, 11), -3)
            f["unit"] = _pick(rng, CURRENCIES)
            if rng.random() < 0.2:
                f["value_high"] = round(f["value"] * rng.uniform(1.1, 2), -3)
            f["funding"] = {
                "funder": entities[pick_entity(rng)]["id"],
                "recipient": companies[pick_company(rng)],
                "vehicle": f"Fund {rng.randint(1, 99)}",
                "funding_type": rng.choice(
                    ["committed", "raised", "subsidy", "plan", "capex", "loan", "valuation", "revenue", "other"]
                ),
            }
        elif kind == "statistic" and rng.random() < 0.7:
            f["value"], f["unit"] = round(rng.uniform(0, 1000), 2), _pick(rng, MEASURES)
        for block, fields in list(f.items()):
            if block in KIND_BLOCKS:
                f[block] = {k: v for k, v in fields.items() if v is not None}
        if f.get("rule") == {}:
            del f["rule"]
        if rng.random() < 0.03:  # a claim: another source states the same quantity, often differently
            claim_pool.append((f"claim-syn-{i}", f))
        facts.append(f)
    by_kind: dict[str, list[int]] = {}
    for i, f in enumerate(facts):
        by_kind.setdefault(f["kind"], []).append(i)
    for claim, first in claim_pool:
        first["claim"] = claim
        for _ in range(rng.randint(1, 2)):
            twin = facts[rng.choice(by_kind[first["kind"]])]
            if "claim" in twin or twin["kind"] != first["kind"] or twin["kind"] in ("threshold", "rule"):
                continue
            twin["claim"] = claim
            for key in ("value", "unit", "date", "date_basis", "date_note"):
                twin.pop(key, None)
                if key in first:
                    twin[key] = first[key]
            twin.pop("value_high", None)
            if "value" in twin and rng.random() < 0.5:
                twin["value"] = round(twin["value"] * rng.uniform(0.8, 1.25), 1)

    sources, corpus = _sources_and_lines(rng, facts, n_sources)
    rates = [{"currency": c, "usd_per_unit": r, "note": "synthetic rate"} for c, r in RATES.items()]
    return Synthetic(sources, entities, rates, facts, corpus)


def _sources_and_lines(rng: random.Random, facts: list[dict], n_sources: int):
    """Give each fact a line of its source holding its evidence; sources are contiguous runs of lines."""
    by_source: dict[int, list[dict]] = {}
    for f in facts:
        by_source.setdefault(f.pop("_source"), []).append(f)
    sources, corpus = [], {}
    for j in range(n_sources):
        file = f"syn_{j // 400:04d}.txt"
        lines = corpus.setdefault(file, [])
        start = len(lines) + 1
        title = f"{_words(rng, rng.randint(3, 12)).capitalize()} ({j})"
        lines.append(f"# {title}")
        for f in by_source.get(j, []):
            evidence = f"{f['title'][: rng.randint(20, 90)].strip()}"
            f["evidence"] = evidence
            f["source"] = f"syn-s{j:05d}"
            lines.append(f"{_words(rng, rng.randint(2, 12))} {evidence} {_words(rng, rng.randint(2, 20))}.")
            f["line"] = len(lines)
        source = {
            "id": f"syn-s{j:05d}",
            "title": title,
            "publisher": rng.choice(PUBLISHERS),
            "doc_type": rng.choice(DOC_TYPES),
            "corpus_file": file,
            "line_start": start,
            "line_end": len(lines),
        }
        published = _date(rng)
        if published:
            source |= {"published": published, "published_basis": "stated"}
        sources.append(source)
    return sources, corpus


def write_annotations(syn: Synthetic, data_dir: Path, corpus_dir: Path) -> None:
    """A data folder and corpus the real ETL reads, as annotators would leave them: one file per
    source holding its header and its facts, one file per entity (data/ANNOTATING.md)."""
    for d in (data_dir, corpus_dir):
        if d.exists():
            shutil.rmtree(d)
    for d in (data_dir / "sources", data_dir / "entities", corpus_dir):
        d.mkdir(parents=True)
    dump = lambda obj: yaml.dump(obj, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=120)  # noqa: E731
    facts_of: dict[str, list[dict]] = {}
    for f in syn.facts:  # a fact's source is the file it is in
        facts_of.setdefault(f["source"], []).append({k: v for k, v in f.items() if k != "source"})
    for source in syn.sources:
        facts = facts_of.get(source["id"])
        (data_dir / "sources" / f"{source['id']}.yml").write_text(dump(source | ({"facts": facts} if facts else {})))
    for entity in syn.entities:
        (data_dir / "entities" / f"{entity['id']}.yml").write_text(dump(entity))
    (data_dir / "rates.yml").write_text(dump(syn.rates))
    shutil.copy(Path(__file__).resolve().parent.parent / "data" / "units.yml", data_dir / "units.yml")
    for name, lines in syn.corpus.items():
        (corpus_dir / name).write_text("\n".join(lines) + "\n")


def _construct(model, record: dict):
    blocks = {k: KIND_BLOCKS[k].model_construct(**v) for k, v in record.items() if k in KIND_BLOCKS}
    return SimpleNamespace(model=model.model_construct(**(record | blocks)))


def write_package(syn: Synthetic, out: Path, seed_label: str) -> dict:
    """Publish the records as a data package, through the ETL's own row building."""
    ann = SimpleNamespace(
        sources=[_construct(Source, r) for r in syn.sources],
        entities=[_construct(Entity, r) for r in syn.entities],
        rates=[_construct(Rate, r) for r in syn.rates],
        facts=[_construct(Fact, r) for r in syn.facts],
        money_units=set(CURRENCIES),
    )
    build_id = hashlib.sha256(json.dumps([GENERATOR_VERSION, code_digest(), seed_label]).encode()).hexdigest()[:16]
    return publish_rows(
        build_rows(ann), out, build_id, {"synthetic": seed_label}, {"verified": False, "directory": None, "files": {}}
    )
