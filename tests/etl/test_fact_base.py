"""The real fact base: it verifies against the corpus and cannot silently shrink."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from etl.build import build, validate
from etl.evidence import default_corpus_dir
from tests.conftest import ROOT

DATA = ROOT / "data"
CORPUS = default_corpus_dir(ROOT)
MINIMUM_BY_KIND = {  # the base as of 2026-12-03 (807 facts): it may grow, never shrink
    "rule": 168,
    "event": 149,
    "threshold": 12,
    "chip_node": 76,
    "funding": 56,
    "entity_action": 109,
    "statistic": 237,
}


def _corpus_or_skip() -> Path:
    if CORPUS is None:
        if os.environ.get("CI"):
            pytest.fail("CI must verify the fact base against the corpus (../shared/corpus or TRACKER_CORPUS_DIR)")
        pytest.skip("no corpus beside the project")
    return CORPUS


def test_every_evidence_span_verifies_against_the_corpus():
    result = validate(DATA, _corpus_or_skip())
    assert [str(p) for p in result.problems] == []


@pytest.fixture(scope="module")
def real_package(tmp_path_factory):
    out = tmp_path_factory.mktemp("real") / "build"
    build(DATA, out, _corpus_or_skip())
    return out


def test_minimum_counts(real_package):
    facts = pq.read_table(real_package / "facts.parquet").to_pylist()
    assert len(facts) >= 807
    by_kind = Counter(f["kind"] for f in facts)
    for kind, minimum in MINIMUM_BY_KIND.items():
        assert by_kind[kind] >= minimum, f"{kind}: {by_kind[kind]} < {minimum}"
    assert pq.read_metadata(real_package / "sources.parquet").num_rows >= 40
    assert pq.read_metadata(real_package / "entities.parquet").num_rows >= 150


def test_every_corpus_line_belongs_to_at_most_one_source(real_package):
    sources = pq.read_table(real_package / "sources.parquet").to_pylist()
    by_file: dict[str, list] = {}
    for s in sources:
        by_file.setdefault(s["corpus_file"], []).append((s["line_start"], s["line_end"], s["source_id"]))
    for name, ranges in by_file.items():
        ranges.sort()
        for (_a_start, a_end, a_id), (b_start, _, b_id) in zip(ranges, ranges[1:]):
            assert b_start > a_end, f"{a_id} and {b_id} overlap in {name}"
    assert len(by_file) == 3


def test_disputed_and_corroborated_claims_are_recorded(real_package):
    facts = pq.read_table(real_package / "facts.parquet").to_pylist()
    disputed = {f["claim_id"] for f in facts if f["is_disputed"]}
    assert "claim-big-fund-iii-size" in disputed
    assert len(disputed) >= 21
    per_claim = Counter(f["claim_id"] for f in facts if f["claim_id"])
    corroborated = {c for c, n in per_claim.items() if n > 1 and c not in disputed}
    assert len(corroborated) >= 65
    assert all(n > 1 for n in per_claim.values()), "a claim links two facts or more"


def test_every_candidate_pair_is_decided(capsys):
    """`etl pairs` lists facts that may state one thing; each is linked as one claim or recorded as
    distinct (data/ANNOTATING.md, "Disagreements and corroboration"), so a new fact that looks like an
    old one is decided before it lands."""
    from etl.cli import main

    code = main(["--data", str(DATA), "pairs", "--check"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.startswith("0 undecided candidate pair(s)")


# --- honest display on the real base (the cases an analyst hit) -------------------------------

HEDGES = re.compile(
    r"\b(approximately|roughly|more than|at least|as many as|as much as|exceeding|nearly|almost)\b\s*"
    r"[$¥€]?\s*\d",
    re.I,
)


@pytest.fixture(scope="module")
def real_facts(real_package):
    return {f["fact_id"]: f for f in pq.read_table(real_package / "facts.parquet").to_pylist()}


def test_hedges_are_data_not_lost(real_facts):
    facts = real_facts.values()
    assert sum(f["value_qualifier"] is not None for f in facts) >= 85
    assert sum(f["date_qualifier"] is not None for f in facts) >= 75
    # a number the evidence hedges right before it carries the hedge (or is a range)
    unhedged = [
        f["fact_id"]
        for f in facts
        if f["value"] is not None
        and HEDGES.search(f["evidence"])
        and f["value_qualifier"] is None
        and f["value_high"] is None
    ]
    assert unhedged == []
    fund = [f for f in facts if "with over $47 billion" in f["evidence"]]
    assert [(f["value"], f["value_qualifier"], f["value_label"]) for f in fund] == [(47e9, "over", "over $47.0 B")]


def test_no_year_reads_as_a_day(real_facts):
    for f in real_facts.values():
        if f["date_precision"] and f["date_precision"] != "day":
            assert not re.fullmatch(r".*\d{4}-\d{2}-\d{2}", f["date_label"]), f["fact_id"]


def test_every_actor_sits_in_its_own_countrys_lane(real_package, real_facts):
    country = {e["entity_id"]: e["country"] for e in pq.read_table(real_package / "entities.parquet").to_pylist()}
    for f in real_facts.values():
        if f["lane_entity_id"] and country.get(f["lane_entity_id"]):
            assert f["lane_country"] == country[f["lane_entity_id"]], f["fact_id"]
    us_rules = [
        f
        for f in real_facts.values()
        if f["kind"] in ("rule", "threshold") and country.get(f["lane_entity_id"]) == "US"
    ]
    assert len(us_rules) >= 90 and {f["lane_country"] for f in us_rules} == {"US"}
    bis_thresholds = [f for f in real_facts.values() if f["kind"] == "threshold" and f["lane_entity_id"] == "us-bis"]
    assert len(bis_thresholds) >= 4 and {f["lane_country"] for f in bis_thresholds} == {"US"}


def test_chip_statuses_follow_the_text(real_facts):
    cxmt = real_facts["c002-cxmt-ddr5-03"]  # "reportedly", mass production "still requires real-world validation"
    assert cxmt["status"] == "claimed"
    kirin = [f for f in real_facts.values() if "between 7nm and 5nm" in f["evidence"]]
    assert [(f["value"], f["value_high"], f["value_label"]) for f in kirin] == [(5.0, 7.0, "5–7 nm")]
    for f in real_facts.values():
        if f["status"] == "mass_production":
            assert not re.search(r"\breportedly\b|\bis said to\b", f["evidence"], re.I), f["fact_id"]


def test_a_gap_on_the_real_base_rests_on_dates_the_text_gives(real_package):
    from tracker import db
    from tracker.compare import gaps
    from tracker.filters import Filters
    from tracker.read import Reader

    read = Reader(db.connect(db.current_package(real_package).directory))
    track = read.chip_gap_facts(Filters(), "logic_node", "nm", ("smic", "tsmc"))
    gap = gaps(track, "logic_node", ["SMIC", "TSMC"])
    assert not gap.empty
    used = track.set_index("fact_id").loc[list(gap["fact_id"]) + list(gap["ahead_fact_id"])]
    assert set(used["date_basis"]) <= {"stated", "inferred"}
    assert (gap["years_low"] <= gap["years_high"]).all()
