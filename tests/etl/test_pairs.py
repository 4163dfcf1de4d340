"""The claim pass: `etl pairs` lists facts that may state one thing, `etl link` and `etl distinct`
record each decision in the annotation files, and the list shrinks to zero. The package says of
every claim whether its sources agree."""

from __future__ import annotations

from pathlib import Path

import duckdb
import yaml

from contract import STORE
from tests.etl.helpers import run_etl as _run

DECEMBER = "sources/fx-december-rules.yml"
LATER = "sources/fx-later-report.yml"
# a second statement of SMIC's 7nm production, in the later report (its line 9 names SMIC)
RESTATED = """- id: fx-later-report-04
  kind: chip_node
  topic: chips
  title: SMIC has made 7nm chips since 2022
  date: "2022"
  date_basis: stated
  value: 7
  unit: nm
  status: mass_production
  entities: [smic]
  countries: [CN]
  line: 9
  evidence: SMIC reached
  chip_node:
    company: smic
    metric: logic_node
"""


def _facts(data_dir: Path, name: str) -> dict[str, dict]:
    return {f["id"]: f for f in yaml.safe_load((data_dir / name).read_text())["facts"]}


def _restate(data_dir: Path) -> None:
    path = data_dir / LATER
    path.write_text(path.read_text() + RESTATED)


def _claims(out: Path) -> dict[str, str]:
    con = duckdb.connect(str(out / STORE), read_only=True)
    try:
        return dict(con.execute("select claim_id, claim_label from claims").fetchall())
    finally:
        con.close()


def test_the_fixture_has_no_undecided_pair(data_dir, capsys):
    code, out, _ = _run(data_dir, capsys, "pairs", "--check")
    assert code == 0
    assert "0 undecided candidate pair(s); decided: 1 pair(s) linked in claims, 0 recorded as distinct." in out


def test_a_restatement_is_a_pair_until_recorded_as_distinct(data_dir, capsys):
    _restate(data_dir)
    code, out, _ = _run(data_dir, capsys, "pairs", "--check")
    assert code == 1
    assert "fx-december-rules-03  vs  fx-later-report-04   (close values, shared smic)" in out
    assert "fixture.txt:4  7 nm, 2022  SMIC in volume production at 7nm with DUV" in out
    assert "1 undecided candidate pair(s)" in out

    code, out, _ = _run(data_dir, capsys, "distinct", "fx-later-report-04", "fx-december-rules-03", "--why", "test")
    assert code == 0, out
    assert _facts(data_dir, LATER)["fx-later-report-04"]["distinct_from"] == {"fx-december-rules-03": "test"}
    code, out, _ = _run(data_dir, capsys, "pairs", "--check")
    assert code == 0
    assert "0 undecided candidate pair(s); decided: 1 pair(s) linked in claims, 1 recorded as distinct." in out
    # the decision is valid annotation in canonical form
    assert _run(data_dir, capsys, "validate")[0] == 0
    assert _run(data_dir, capsys, "fmt", "--check")[0] == 0


def test_linking_a_pair_makes_one_claim_and_the_package_says_the_sources_agree(data_dir, capsys, tmp_path):
    _restate(data_dir)
    code, out, err = _run(data_dir, capsys, "link", "fx-december-rules-03", "fx-later-report-04")
    assert code == 1
    assert "none of the facts has a claim yet: name one with --claim" in err
    code, out, _ = _run(
        data_dir, capsys, "link", "fx-december-rules-03", "fx-later-report-04", "--claim", "claim-smic-7nm"
    )
    assert code == 0
    assert out.strip() == "claim-smic-7nm: fx-december-rules-03, fx-later-report-04"
    assert _facts(data_dir, DECEMBER)["fx-december-rules-03"]["claim"] == "claim-smic-7nm"
    assert _run(data_dir, capsys, "pairs", "--check")[0] == 0
    out_dir = tmp_path / "out"
    assert _run(data_dir, capsys, "build", "--out", str(out_dir))[0] == 0
    labels = _claims(out_dir)
    assert labels["claim-smic-7nm"] == "2 sources agree"  # same value and date in two documents
    assert labels["claim-big-fund-iii-size"] == "2 sources disagree"  # CNY 344 B vs $50 B


def test_link_brings_the_facts_of_their_claims_and_asks_which_claim_when_they_differ(data_dir, capsys):
    _restate(data_dir)
    assert _run(data_dir, capsys, "link", "fx-december-rules-03", "fx-december-rules-04", "--claim", "claim-a")[0] == 0
    assert _run(data_dir, capsys, "link", "fx-later-report-04", "fx-later-report-02", "--claim", "claim-b")[0] == 0
    code, _, err = _run(data_dir, capsys, "link", "fx-december-rules-03", "fx-later-report-04")
    assert code == 1
    assert "the facts are in different claims (claim-a, claim-b): say which one they all join with --claim" in err
    code, out, _ = _run(data_dir, capsys, "link", "fx-december-rules-03", "fx-later-report-04", "--claim", "claim-a")
    assert code == 0
    members = "fx-december-rules-03, fx-december-rules-04, fx-later-report-02, fx-later-report-04"
    assert out.strip() == f"claim-a: {members}"
    claims = {i: f.get("claim") for i, f in (_facts(data_dir, DECEMBER) | _facts(data_dir, LATER)).items()}
    assert [i for i, c in sorted(claims.items()) if c == "claim-a"] == members.split(", ")
    assert "claim-b" not in claims.values()


def test_link_clears_an_earlier_distinct_decision_and_distinct_refuses_one_claim(data_dir, capsys):
    _restate(data_dir)
    assert _run(data_dir, capsys, "distinct", "fx-later-report-04", "fx-december-rules-03", "--why", "oops")[0] == 0
    assert _run(data_dir, capsys, "link", "fx-later-report-04", "fx-december-rules-03", "--claim", "claim-x")[0] == 0
    assert "distinct_from" not in _facts(data_dir, LATER)["fx-later-report-04"]
    code, _, err = _run(data_dir, capsys, "distinct", "fx-later-report-04", "fx-december-rules-03", "--why", "nope")
    assert code == 1
    assert "are one claim (claim-x); remove the claim from one of them first" in err
    code, _, err = _run(data_dir, capsys, "link", "fx-later-report-04", "fx-nowhere-01", "--claim", "claim-x")
    assert code == 1
    assert "unknown fact id(s): fx-nowhere-01" in err


def test_money_is_compared_in_usd(data_dir, capsys):
    """CNY 344 B ($47.5 B at the cited rate) and $50 B are close: unlinked, they are a pair."""
    path = data_dir / LATER
    path.write_text(path.read_text().replace("  claim: claim-big-fund-iii-size\n", "", 1))
    code, out, _ = _run(data_dir, capsys, "pairs")
    assert code == 0  # without --check the list is information
    assert "fx-december-rules-05  vs  fx-later-report-01   (close values, shared big-fund)" in out
    assert "344,000,000,000 CNY, 2024-05" in out and "50,000,000,000 USD, 2024" in out


def test_validate_refuses_a_decision_naming_an_unknown_fact_or_one_claim(data_dir, capsys):
    path = data_dir / LATER
    text = path.read_text()
    text = text.replace(
        "  claim: claim-big-fund-iii-size\n",
        "  claim: claim-big-fund-iii-size\n  distinct_from:\n    fx-december-rules-05: they differ\n"
        "    fx-december-rules-99: a typo\n",
        1,
    )
    path.write_text(text)
    code, _, err = _run(data_dir, capsys, "validate")
    assert code == 1
    assert (
        "record 'fx-later-report-01', field 'distinct_from': 'fx-december-rules-05' shares this fact's claim "
        "'claim-big-fund-iii-size'" in err
    )
    assert "field 'distinct_from': unknown fact 'fx-december-rules-99'; did you mean" in err


# --- when the statements of one claim disagree -----------------------------------------------


def _label_after(data_dir: Path, capsys, tmp_path: Path, *edits: tuple[str, str]) -> str:
    path = data_dir / LATER
    text = path.read_text()
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text)
    out_dir = tmp_path / "out"
    assert _run(data_dir, capsys, "build", "--out", str(out_dir))[0] == 0
    return _claims(out_dir)["claim-big-fund-iii-size"]


def test_the_same_amount_in_two_currencies_and_a_coarser_date_agree(data_dir, capsys, tmp_path):
    """CNY 344 B at the cited rate is $47.5 B; "2024" holds "2024-05": no dispute."""
    label = _label_after(
        data_dir, capsys, tmp_path, ("value: 50_000_000_000", "value: 47_500_000_000"), ('date: "2024"', 'date: "2024"')
    )
    assert label == "2 sources agree"


def test_a_missing_date_disagrees_with_nothing(data_dir, capsys, tmp_path):
    same = ("value: 50_000_000_000", "value: 47_500_000_000")
    undated = ('  date: "2024"\n  date_basis: inferred\n  date_note: launch year known from the other source\n', "")
    assert _label_after(data_dir, capsys, tmp_path, same, undated) == "2 sources agree"


def test_dates_whose_periods_do_not_meet_disagree(data_dir, capsys, tmp_path):
    label = _label_after(
        data_dir, capsys, tmp_path, ("value: 50_000_000_000", "value: 47_500_000_000"), ('date: "2024"', 'date: "2023"')
    )
    assert label == "2 sources disagree"
