"""The real fact base: it verifies against the corpus and cannot silently shrink."""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from etl.build import build, validate
from etl.evidence import default_corpus_dir
from tests.conftest import ROOT

DATA = ROOT / "data"
CORPUS = default_corpus_dir(ROOT)
MINIMUM_BY_KIND = {"rule": 145, "event": 120, "threshold": 6, "chip_node": 70, "funding": 50,
                   "entity_action": 95, "statistic": 210}


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
    assert len(facts) >= 700
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
        for (a_start, a_end, a_id), (b_start, _, b_id) in zip(ranges, ranges[1:]):
            assert b_start > a_end, f"{a_id} and {b_id} overlap in {name}"
    assert len(by_file) == 3


def test_disputed_claims_are_recorded(real_package):
    facts = pq.read_table(real_package / "facts.parquet").to_pylist()
    disputed = {f["claim_id"] for f in facts if f["is_disputed"]}
    assert "claim-big-fund-iii-size" in disputed
    assert len(disputed) >= 10
