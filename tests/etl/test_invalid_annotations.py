"""One broken annotation per failure mode: each gives a clear message and exit code 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.cli import main
from tests.conftest import FIXTURE_CORPUS
from tests.etl.helpers import edit as _edit

DECEMBER = "sources/fx-december-rules.yml"  # a source's header and its facts
LATER = "sources/fx-later-report.yml"


def _validate(data_dir: Path, capsys) -> tuple[int, str]:
    code = main(["--data", str(data_dir), "--corpus", str(FIXTURE_CORPUS), "validate"])
    return code, capsys.readouterr().err


CASES = [
    pytest.param(
        DECEMBER,
        "  topic: chips\n",
        "  topic: chips\n  colour: red\n",
        ["data/sources/fx-december-rules.yml:49", "record 'fx-december-rules-03'", "field 'colour'", "unknown field"],
        id="unknown-field",
    ),
    pytest.param(
        LATER,
        "  line: 8\n",
        "  source: fx-december-rules\n  line: 8\n",
        [
            "data/sources/fx-later-report.yml:",
            "record 'fx-later-report-01'",
            "field 'source'",
            "a fact cites the source of the file it is in ('fx-later-report')",
        ],
        id="fact-names-a-source",
    ),
    pytest.param(
        LATER,
        "publisher: Fixture News\n",
        "publisher: Fixture News\nlanguage: en\n",
        ["data/sources/fx-later-report.yml:4", "record 'fx-later-report'", "field 'language'", "unknown field"],
        id="unknown-header-field",
    ),
    pytest.param(
        LATER,
        "id: fx-later-report\n",
        "id: fx-later-reports\n",
        [
            "data/sources/fx-later-report.yml:1",
            "record 'fx-later-reports'",
            "field 'id'",
            "must be named sources/fx-later-reports.yml",
        ],
        id="source-file-named-for-another-id",
    ),
    pytest.param(
        "entities/tsmc.yml",
        "id: tsmc\n",
        "id: tsmc-ltd\n",
        ["data/entities/tsmc.yml:1", "record 'tsmc-ltd'", "must be named entities/tsmc-ltd.yml"],
        id="entity-file-named-for-another-id",
    ),
    pytest.param(
        LATER,
        "facts:\n",
        "facts: fx-later-report-01\nother:\n",
        ["data/sources/fx-later-report.yml:12", "field 'facts'", "facts must be a list of records"],
        id="facts-not-a-list",
    ),
    pytest.param(
        DECEMBER,
        "  entities: [tsmc]\n",
        "  entities: [tsmcc]\n",
        ["record 'fx-december-rules-04'", "field 'entities'", "unknown entity 'tsmcc'", "did you mean 'tsmc'"],
        id="unknown-entity",
    ),
    pytest.param(
        DECEMBER,
        "- id: fx-december-rules-02\n",
        "- id: fx-december-rules-01\n",
        [
            "record 'fx-december-rules-01'",
            "field 'id'",
            "duplicate fact id (first defined at data/sources/fx-december-rules.yml:12)",
        ],
        id="duplicate-id",
    ),
    pytest.param(
        LATER,
        "- id: fx-later-report-03\n",
        "- id: fx-december-rules-01\n",
        [
            "data/sources/fx-later-report.yml",
            "record 'fx-december-rules-01'",
            "duplicate fact id (first defined at data/sources/fx-december-rules.yml:12)",
        ],
        id="duplicate-id-across-files",
    ),
    pytest.param(
        DECEMBER,
        'date: "2022-12"',
        'date: "2022-13"',
        ["record 'fx-december-rules-04'", "field 'date'", "'2022-13' is not a real date"],
        id="bad-date",
    ),
    pytest.param(
        DECEMBER,
        "evidence: 18 nanometer half-pitch",
        "evidence: 16 nanometer half-pitch",
        ["record 'fx-december-rules-02'", "field 'evidence'", "does not occur on line 3 of fixture.txt"],
        id="evidence-not-in-line",
    ),
    pytest.param(
        LATER,
        "  line: 9\n",
        "  line: 4\n",
        ["record 'fx-later-report-02'", "field 'line'", "line 4 is outside source 'fx-later-report' (lines 7-10"],
        id="line-outside-source",
    ),
    pytest.param(
        LATER,
        "  unit: USD\n",
        "  unit: XYZ\n",
        ["record 'fx-later-report-01'", "field 'unit'", "unknown unit 'XYZ'"],
        id="bad-currency",
    ),
    pytest.param(
        DECEMBER,
        "  unit: CNY\n",
        "  unit: GBP\n",
        ["record 'fx-december-rules-05'", "field 'unit'", "unknown unit 'GBP'"],
        id="currency-not-listed",
    ),
    pytest.param(
        "rates.yml",
        "currency: CNY",
        "currency: EUR",
        ["record 'fx-december-rules-05'", "currency 'CNY' has no rate in rates.yml"],
        id="currency-without-rate",
    ),
    pytest.param(
        LATER,
        "  value: 50_000_000_000\n",
        "  value: 50_000_000_000\n  value_high: 40_000_000_000\n",
        ["record 'fx-later-report-01'", "range is not ordered"],
        id="range-not-ordered",
    ),
    pytest.param(
        DECEMBER,
        "  status: mass_production\n  entities: [smic]\n",
        "  status: enacted\n  entities: [smic]\n",
        ["record 'fx-december-rules-03'", "status 'enacted' does not fit a chip_node"],
        id="status-for-kind",
    ),
    pytest.param(
        LATER,
        "  date_basis: inferred\n  date_note: launch year known from the other source\n",
        "  date_basis: inferred\n",
        ["record 'fx-later-report-01'", "an inferred date needs date_note"],
        id="inferred-date-without-note",
    ),
    # numbers: finite and within the bounds of etl/bounds.py (1.0e+308 used to build, and add up to inf)
    pytest.param(
        LATER,
        "  value: 50_000_000_000\n",
        "  value: 1.0e+308\n",
        [
            "data/sources/fx-later-report.yml:19, record 'fx-later-report-01', field 'value': 1e+308 is beyond any real value"
        ],
        id="value-absurd",
    ),
    pytest.param(
        LATER,
        "  value: 50_000_000_000\n",
        "  value: -1.0e+19\n",
        ["record 'fx-later-report-01'", "field 'value'", "-1e+19 is beyond any real value"],
        id="value-absurd-negative",
    ),
    pytest.param(
        LATER,
        "  value: 50_000_000_000\n",
        "  value: 50_000_000_000\n  value_high: 1.0e+300\n",
        ["record 'fx-later-report-01'", "field 'value_high'", "1e+300 is beyond any real value"],
        id="value-high-absurd",
    ),
    pytest.param(
        LATER,
        "  value: 50_000_000_000\n",
        "  value: .inf\n",
        ["record 'fx-later-report-01'", "field 'value'", "finite number"],
        id="value-inf",
    ),
    pytest.param(
        LATER,
        "  value: 50_000_000_000\n",
        "  value: 1\n  value_high: .nan\n",
        ["record 'fx-later-report-01'", "field 'value_high'", "finite number"],
        id="value-high-nan",
    ),
    pytest.param(
        LATER,
        "  value: 50_000_000_000\n",
        "  value: 2.0e+16\n",
        ["record 'fx-later-report-01'", "field 'value'", "2e+16 USD is beyond any real amount (at most 1e+15 USD)"],
        id="usd-amount-absurd",
    ),
    pytest.param(
        DECEMBER,
        "  value: 344_000_000_000\n",
        "  value: 9.0e+15\n",
        [
            "data/sources/fx-december-rules.yml:88, record 'fx-december-rules-05', field 'value': 9e+15 CNY is 1.24273e+15 USD",
            "beyond any real amount",
        ],
        id="converted-amount-absurd",
    ),
    pytest.param(
        "rates.yml",
        "usd_per_unit: 0.1380813953",
        "usd_per_unit: 1.0e+300",
        ["data/rates.yml:2, record 'CNY', field 'usd_per_unit': 1e+300 is not a usable rate"],
        id="rate-absurd",
    ),
    pytest.param(
        "rates.yml",
        "usd_per_unit: 0.1380813953",
        "usd_per_unit: .nan",
        ["data/rates.yml:2, record 'CNY', field 'usd_per_unit'", "finite number"],
        id="rate-nan",
    ),
    pytest.param(
        LATER,
        "line_end: 10",
        "line_end: 3000000000",
        ["record 'fx-later-report'", "field 'line_end'", "less than or equal to 10000000"],
        id="line-absurd",
    ),
]


@pytest.mark.parametrize("name, old, new, expected", CASES)
def test_broken_annotation_is_reported_with_its_place(data_dir, capsys, name, old, new, expected):
    _edit(data_dir, name, old, new)
    code, err = _validate(data_dir, capsys)
    assert code == 1
    for fragment in expected:
        assert fragment in err, f"{fragment!r} not in:\n{err}"
    assert "nothing was written" in err


def test_all_problems_are_reported_in_one_run(data_dir, capsys):
    _edit(data_dir, DECEMBER, "  entities: [smic]\n", "  entities: [smicc]\n")
    _edit(data_dir, DECEMBER, 'date: "2022-12"', 'date: "2022-13"')
    _edit(data_dir, DECEMBER, "evidence: 18 nanometer half-pitch", "evidence: 16 nanometer half-pitch")
    code, err = _validate(data_dir, capsys)
    assert code == 1
    assert "3 problem(s) found" in err


def test_valid_fixture_passes(data_dir, capsys):
    code = main(["--data", str(data_dir), "--corpus", str(FIXTURE_CORPUS), "validate"])
    assert code == 0
    assert "ok: 9 facts, 2 sources, 6 entities" in capsys.readouterr().out


def test_evidence_tolerates_whitespace_and_typographic_quotes(data_dir, capsys):
    # fixture line 10 has curly quotes and a run of spaces; the evidence uses straight quotes
    code, err = _validate(data_dir, capsys)
    assert code == 0, err


def test_evidence_tolerance_is_nothing_more(data_dir, capsys):
    _edit(
        data_dir,
        LATER,
        "evidence: SMIC reached 5nm with DUV multipatterning",
        "evidence: smic reached 5nm with DUV multipatterning",
    )
    code, err = _validate(data_dir, capsys)
    assert code == 1 and "does not occur on line 9" in err
