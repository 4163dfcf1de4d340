"""Issue #12: the cause is reported first, and what follows from it says so.

A rate of 0 used to be printed after the 18 facts it made unconvertible, each saying the currency
"has no rate in rates.yml". Problems in the files other records depend on (units, sources,
entities, rates) now come first; a reference to a refused record names it; every affected record
is still listed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from etl.build import validate
from etl.cli import main
from etl.evidence import default_corpus_dir
from tests.conftest import FIXTURE_CORPUS, ROOT
from tests.etl.helpers import edit as _edit

FACTS = "sources/fx-december-rules.yml"


def _errors(data_dir: Path, capsys) -> list[str]:
    assert (
        main(["--data", str(data_dir), "--corpus", str(FIXTURE_CORPUS), "build", "--out", str(data_dir.parent / "out")])
        == 1
    )
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("error: ")]


def test_a_refused_rate_comes_before_the_amounts_it_leaves_unconverted(data_dir, capsys):
    _edit(data_dir, "rates.yml", "usd_per_unit: 0.1380813953", "usd_per_unit: 0")
    errors = _errors(data_dir, capsys)
    assert errors[0].startswith("error: data/rates.yml:2, record 'CNY', field 'usd_per_unit': 0 is not a usable rate")
    assert errors[1:] == [
        (
            "error: data/sources/fx-december-rules.yml:89, record 'fx-december-rules-05', field 'unit': currency 'CNY' "
            "cannot be converted to USD: its rate is refused at data/rates.yml:1 (see the problem reported there)"
        )
    ]


def test_a_missing_rate_is_reported_once_on_rates_before_each_amount(data_dir, capsys):
    (data_dir / "rates.yml").write_text("[]\n")
    errors = _errors(data_dir, capsys)
    assert errors[0] == (
        "error: data/rates.yml: currency 'CNY' has no rate, but 1 fact(s) give amounts in it "
        "(the first at data/sources/fx-december-rules.yml:89); add a cited rate for it"
    )
    assert errors[1:] == [
        (
            "error: data/sources/fx-december-rules.yml:89, record 'fx-december-rules-05', field 'unit': "
            "currency 'CNY' has no rate in rates.yml, so it cannot be converted to USD"
        )
    ]


def test_the_files_others_depend_on_come_first(data_dir, capsys):
    """A broken unit list comes before the unknown units it causes, though 'facts/' sorts before 'units.yml'."""
    (data_dir / "units.yml").write_text("money: [USD\n")  # a YAML syntax error
    errors = _errors(data_dir, capsys)
    assert errors[0].startswith("error: data/units.yml")
    assert not any(e.startswith("error: data/units.yml") for e in errors[1:]) and len(errors) > 5


def test_a_zero_rate_on_the_real_base_is_reported_first(tmp_path):
    corpus = default_corpus_dir(ROOT)
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("build"))
    rates = data / "rates.yml"
    if "usd_per_unit: 0.14\n" not in rates.read_text():
        pytest.skip("the real CNY rate changed; update this test")
    rates.write_text(rates.read_text().replace("usd_per_unit: 0.14\n", "usd_per_unit: 0\n"))
    problems = validate(data, corpus).problems
    assert (problems[0].file, problems[0].record_id, problems[0].field) == ("data/rates.yml", "CNY", "usd_per_unit")
    knock_on = problems[1:]
    assert len(knock_on) >= 10 and all(
        "currency 'CNY' cannot be converted to USD: its rate is refused at data/rates.yml" in p.message and p.record_id
        for p in knock_on
    )
