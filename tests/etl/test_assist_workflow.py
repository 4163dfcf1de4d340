"""The annotator's assistant end to end on a small fixture document (tests/fixtures/assist):
add-source proposes headers, draft writes reviewable candidates whose evidence always verifies,
drafts never enter the package, accept moves them in with stable ids in canonical form, and
reanchor repairs citations after lines are inserted above them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from etl.assist.draft import draft_lines, registry_from
from etl.build import build
from etl.cli import main
from etl.load import load_annotations
from tests.conftest import FIXTURE_CORPUS, FIXTURE_DATA, FIXTURES

ASSIST = FIXTURES / "assist"


@pytest.fixture
def env(tmp_path: Path) -> tuple[Path, Path]:
    """A writable fixture data folder with the assist brief registered (no facts yet), and its corpus."""
    data, corpus = tmp_path / "data", tmp_path / "corpus"
    shutil.copytree(FIXTURE_DATA, data)
    shutil.copytree(FIXTURE_CORPUS, corpus)
    shutil.copy(ASSIST / "assist.txt", corpus / "assist.txt")
    shutil.copy(ASSIST / "sources" / "fx-assist.yml", data / "sources" / "fx-assist.yml")
    return data, corpus


def etl(env, *args, capsys) -> tuple[int, str, str]:
    data, corpus = env
    code = main(["--data", str(data), "--corpus", str(corpus), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _drafts(data: Path, source: str = "fx-assist") -> list[dict]:
    return yaml.safe_load((data / "drafts" / f"{source}.yml").read_text())["facts"]


def _facts(data: Path, source: str) -> list[dict]:
    return yaml.safe_load((data / "sources" / f"{source}.yml").read_text()).get("facts", [])


def test_draft_writes_one_candidate_per_fact_bearing_clause(env, capsys):
    code, out, _ = etl(env, "draft", "fx-assist", capsys=capsys)
    assert code == 0, out
    drafts = _drafts(env[0])
    by_line: dict[int, list[dict]] = {}
    for d in drafts:
        assert d["review"] == "pending" and d["id"].startswith("fx-assist-d")
        by_line.setdefault(d["line"], []).append(d)
    entity_list = by_line[3][0]
    assert (entity_list["value"], entity_list["unit"], entity_list["date"]) == (140, "count", "2024-12-02")
    assert entity_list["entities"] == ["us-bis"]
    # line 4 holds two nodes, line 5 two amounts and a claim: one candidate each
    assert sorted((d["value"], d["kind"]) for d in by_line[4]) == [(3, "chip_node"), (7, "chip_node")]
    nodes = {d["value"]: d for d in by_line[4]}
    assert nodes[7]["chip_node"] == {"company": "smic", "metric": "logic_node"} and nodes[7]["date"] == "2022"
    assert (nodes[3]["date"], nodes[3]["date_qualifier"], nodes[3]["entities"]) == ("2022", "late", ["tsmc"])
    line5 = {(d.get("value"), d.get("unit")): d for d in by_line[5]}
    assert line5[(5, "nm")]["entities"] == ["smic", "huawei"]  # 中芯国际 and 华为
    assert (line5[(5, "nm")]["date"], line5[(5, "nm")]["date_basis"]) == ("2023", "inferred")  # "last year", 2024-12
    assert line5[(344_000_000_000, "CNY")]["kind"] == "funding"
    assert line5[(344_000_000_000, "CNY")]["funding"]["funding_type"] == "raised"
    assert line5[(47_500_000_000, "USD")]["date"] == "2024-05"


def test_each_value_takes_the_date_nearest_to_it(env):
    ann, _ = load_annotations(env[0])
    line = "The company has HBM2 in mass production and has outlined plans for HBM3 in 2026 and HBM3E in 2027."
    drafts = draft_lines([line], 1, 1, registry_from(ann), None)
    dated = {d["value"]: d.get("date") for d in drafts}
    assert (dated[3], dated[3.5]) == ("2026", "2027")  # HBM2's "currently" is no date: the reviewer drops it


def test_every_drafted_evidence_span_verifies(env):
    data, corpus = env
    ann, _ = load_annotations(data)
    lines = (corpus / "assist.txt").read_text().split("\n") + [
        "x" * 30 + " " + "word " * 40 + "over $3.2 billion" + " more" * 40,  # a long line: the span is cut
        "没有空格的中文句子里有一个数字：投资了3440亿元人民币用于建设新的晶圆厂并且计划在2026年开始量产芯片。" * 3,
    ]
    drafts = draft_lines(lines, 1, len(lines), registry_from(ann), "2024-12")
    assert len(drafts) >= 10
    for d in drafts:
        line = lines[d["line"] - 1]
        assert d["evidence"] in line and 2 <= len(d["evidence"]) <= 100, d
        at = line.index(d["evidence"])
        if line.isascii():
            assert at == 0 or line[at - 1] == " ", d  # cut at word boundaries
            end = at + len(d["evidence"])
            assert end == len(line) or line[end] in " ,.;:", d


def test_drafts_are_validated_apart_and_never_built(env, capsys, tmp_path):
    data, corpus = env
    assert etl(env, "draft", "fx-assist", capsys=capsys)[0] == 0
    path = data / "drafts" / "fx-assist.yml"
    path.write_text(path.read_text().replace("entities: [us-bis]", "entities: [us-bys]", 1))
    code, out, err = etl(env, "validate", capsys=capsys)
    assert code == 0, err  # a draft's problem does not fail the fact base
    assert "draft error: data/drafts/fx-assist.yml" in err and "unknown entity 'us-bys'" in err
    assert "in review (not built):" in out and "1 draft problem(s)" in out
    manifest = build(data, tmp_path / "build", corpus)
    assert manifest["row_counts"]["facts"] == len(load_annotations(FIXTURE_DATA)[0].facts)


def test_draft_a_corpus_file_by_line_range(env, capsys):
    code, out, _ = etl(env, "draft", "assist.txt", "--lines", "3-3", capsys=capsys)
    assert code == 0 and "fx-assist: 1 draft(s)" in out
    assert [d["line"] for d in _drafts(env[0])] == [3]
    code, _, err = etl(env, "draft", "nowhere.txt", capsys=capsys)
    assert code == 1 and "neither a source id nor a corpus file" in err


def test_without_include_known_existing_facts_are_left_out(env, capsys):
    code, out, _ = etl(env, "draft", "fx-december-rules", capsys=capsys)
    assert code == 0 and "left out: an existing fact has the same line and value" in out
    values = {(d["line"], d.get("value")) for d in _drafts(env[0], "fx-december-rules")}
    assert (2, 140) not in values and (6, 344_000_000_000) not in values
    etl(env, "draft", "fx-december-rules", "--include-known", "--out", str(env[0] / "all"), capsys=capsys)
    everything = yaml.safe_load((env[0] / "all" / "fx-december-rules.yml").read_text())["facts"]
    assert (2, 140) in {(d["line"], d.get("value")) for d in everything}


def test_accept_moves_drafts_in_with_stable_ids_in_canonical_form(env, capsys, tmp_path):
    data, corpus = env
    etl(env, "draft", "fx-assist", capsys=capsys)
    drafts = _drafts(data)
    first, second = drafts[0]["id"], drafts[1]["id"]
    code, out, err = etl(env, "accept", first, capsys=capsys)
    assert code == 0, err
    assert f"accepted {first} -> fx-assist-01" in out
    facts = _facts(data, "fx-assist")
    assert [f["id"] for f in facts] == ["fx-assist-01"] and "review" not in facts[0]
    assert first not in {d["id"] for d in _drafts(data)}
    # the reviewer edits a draft and removes `review: pending`: a bare `accept` takes it
    path = data / "drafts" / "fx-assist.yml"
    text = path.read_text()
    at = text.index(f"id: {second}")
    tail = text[at:].replace("  review: pending\n", "", 1)
    path.write_text(text[:at] + tail)
    code, out, _ = etl(env, "accept", capsys=capsys)
    assert code == 0 and f"accepted {second} -> fx-assist-02" in out
    assert [f["id"] for f in _facts(data, "fx-assist")] == ["fx-assist-01", "fx-assist-02"]
    assert etl(env, "fmt", "--check", capsys=capsys)[0] == 0
    assert etl(env, "validate", capsys=capsys)[0] == 0
    manifest = build(data, tmp_path / "build", corpus)
    assert manifest["row_counts"]["facts"] == len(load_annotations(FIXTURE_DATA)[0].facts) + 2


def test_accept_refuses_a_draft_that_does_not_validate(env, capsys):
    data, _ = env
    etl(env, "draft", "fx-assist", capsys=capsys)
    draft = _drafts(data)[0]
    path = data / "drafts" / "fx-assist.yml"
    path.write_text(path.read_text().replace(f"line: {draft['line']}\n", "line: 12\n", 1))
    code, _, err = etl(env, "accept", draft["id"], "no-such-draft", capsys=capsys)
    assert code == 1
    assert "outside the range" in err or "does not occur on line 12" in err
    assert "no draft or proposal has this id" in err
    assert _facts(data, "fx-assist") == [] and draft["id"] in {d["id"] for d in _drafts(data)}


def test_add_source_proposes_headers_for_review(env, capsys):
    data, _ = env
    (data / "sources" / "fx-assist.yml").unlink()  # the brief as if new
    code, out, _ = etl(env, "add-source", "assist.txt", capsys=capsys)
    assert code == 0, out
    proposals = sorted((data / "review" / "sources").glob("*.yml"))
    headers = [yaml.safe_load(p.read_text()) for p in proposals]
    spans = sorted((h["line_start"], h["line_end"]) for h in headers)
    assert spans == [(1, 7), (8, 16)]
    first = next(h for h in headers if h["line_start"] == 1)
    assert (first["title"], first["title_basis"], first["authors"]) == ("Weekly Chip Brief", "stated", ["Mark Witzke"])
    assert first["review"] == "pending" and first["corpus_file"] == "assist.txt"
    assert etl(env, "validate", capsys=capsys)[0] == 0  # a proposal is not a source yet
    assert first["id"] not in {s.model.id for s in load_annotations(data)[0].sources}
    code, out, _ = etl(env, "accept", first["id"], capsys=capsys)
    assert code == 0 and (data / "sources" / f"{first['id']}.yml").exists()
    assert "review" not in yaml.safe_load((data / "sources" / f"{first['id']}.yml").read_text())
    assert etl(env, "validate", capsys=capsys)[0] == 0
    assert etl(env, "fmt", "--check", capsys=capsys)[0] == 0


def test_reanchor_after_lines_are_inserted(env, capsys):
    data, corpus = env
    text = (corpus / "fixture.txt").read_text()
    lines = text.split("\n")
    # three lines above everything; one evidence span edited away; one made ambiguous
    lines = ["Editor's note.", "A correction.", "", *lines]
    lines[5 - 1 + 3] = lines[5 - 1 + 3].replace("mass production of 3nm chips", "volume output of 3nm chips")
    lines.append("Another outlet put Big Fund III at $50 billion when it launched.")
    (corpus / "fixture.txt").write_text("\n".join(lines))
    code, _, err = etl(env, "validate", capsys=capsys)
    assert code == 1 and "does not occur on line" in err
    code, out, err = etl(env, "reanchor", capsys=capsys)
    assert code == 1  # something is missing: listed, not guessed
    assert "fx-december-rules-01 moved from line 2 to 5" in out
    assert "source fx-december-rules: lines 1-6 -> 4-9" in out
    assert "source fx-later-report: lines 7-10 -> 10-13" in out
    assert "missing: data/sources/fx-december-rules.yml: fx-december-rules-04" in err
    # the $50 billion span is now on two lines; its neighbours moved by 3, so it follows them
    later = {f["id"]: f["line"] for f in _facts(data, "fx-later-report")}
    assert later and all(line >= 10 for line in later.values())
    rates = yaml.safe_load((data / "rates.yml").read_text())
    assert all(r.get("line", 0) != 6 for r in rates if r.get("source") == "fx-december-rules")
    assert etl(env, "fmt", "--check", capsys=capsys)[0] == 0
    # fix the one missing fact's evidence by hand; everything else already verifies
    path = data / "sources" / "fx-december-rules.yml"
    path.write_text(path.read_text().replace("evidence: mass production of 3nm", "evidence: volume output of 3nm"))
    code, out, err = etl(env, "reanchor", capsys=capsys)
    assert code == 0, err
    assert "fx-december-rules-04 moved from line 5 to 8" in out and "1 citation(s) moved, 1 file(s) rewritten" in out
    assert etl(env, "validate", capsys=capsys)[0] == 0
    code, out, _ = etl(env, "reanchor", capsys=capsys)
    assert code == 0 and "0 citation(s) moved, 0 file(s) rewritten" in out  # only what moved is rewritten


def test_reanchor_follows_neighbours_and_lists_an_ambiguous_span(env, capsys):
    data, corpus = env
    original = (corpus / "fixture.txt").read_text().split("\n")
    # one line inserted above line 3, and line 3's text repeated at the end: the neighbours' shift decides
    lines = [original[0], original[1], "x", *original[2:], original[2]]
    (corpus / "fixture.txt").write_text("\n".join(lines))
    code, out, err = etl(env, "reanchor", "--dry-run", capsys=capsys)
    assert code == 0, err
    assert "fx-december-rules-02 would move from line 3 to 4" in out
    assert (
        "source fx-december-rules: lines 1-6 -> 1-7" in out and "data/rates.yml: CNY would move from line 6 to 7" in out
    )
    # line 3's text now stands only at two new places and no neighbour moved: listed, never guessed
    lines = [*original[:2], "x", *original[3:], original[2], original[2]]
    (corpus / "fixture.txt").write_text("\n".join(lines))
    before = (data / "sources" / "fx-december-rules.yml").read_text()
    code, out, err = etl(env, "reanchor", capsys=capsys)
    assert code == 1
    assert (
        "ambiguous: data/sources/fx-december-rules.yml: fx-december-rules-02 (line 3): evidence on lines [12, 13]"
        in err
    )
    assert (data / "sources" / "fx-december-rules.yml").read_text() == before
