"""`python -m etl fmt [--check]`: one canonical form, enforced on data/, that never changes a value."""

from __future__ import annotations

import json
import shutil
import string

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.cli import main
from etl.fmt import SHAPES, canonical, field_order
from etl.models import KIND_BLOCKS, Entity, Fact, Rate, Source
from etl.yamlio import parse_document
from tests.conftest import FIXTURE_DATA, ROOT

DATA = ROOT / "data"


def _fmt(data, capsys, *flags) -> tuple[int, str, str]:
    code = main(["--data", str(data), "fmt", *flags])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _texts(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.yml"))}


@pytest.mark.parametrize(
    "folder", [DATA, FIXTURE_DATA, FIXTURE_DATA.parent / "honest"], ids=["data", "fixture", "honest"]
)
def test_committed_annotations_are_in_canonical_form(folder, capsys, tmp_path):
    """CI runs this: a change to data/ that skipped `python -m etl fmt` fails here."""
    if folder.name == "honest":  # a source file to drop into the fixture's data folder
        shutil.copytree(FIXTURE_DATA, tmp_path / "data")
        for path in (folder / "sources").glob("*.yml"):
            shutil.copy(path, tmp_path / "data" / "sources" / path.name)
        folder = tmp_path / "data"
    code, out, err = _fmt(folder, capsys, "--check")
    assert code == 0, out + err
    assert "file(s) in canonical form" in out


def test_check_lists_what_is_not_canonical_and_changes_nothing(data_dir, capsys):
    path = data_dir / "sources" / "fx-later-report.yml"
    path.write_text(path.read_text().replace("entities: [smic, huawei]", "entities:\n  - smic\n  - 'huawei'"))
    (data_dir / "entities" / "tsmc.yml").write_text(
        "{id: tsmc, type: company, name: Taiwan Semiconductor Manufacturing "
        "Company, aliases: [TSMC, 台积电], country: TW}\n"
    )
    before = _texts(data_dir)
    code, out, _ = _fmt(data_dir, capsys, "--check")
    assert code == 1
    assert "not canonical: data/entities/tsmc.yml" in out and "not canonical: data/sources/fx-later-report.yml" in out
    assert "2 of 10 file(s) not in canonical form" in out
    assert _texts(data_dir) == before


def test_fmt_restores_the_canonical_form_and_is_idempotent(data_dir, capsys):
    canonical_texts = _texts(data_dir)
    path = data_dir / "sources" / "fx-later-report.yml"
    path.write_text(path.read_text().replace("entities: [smic, huawei]", "entities:\n  - smic\n  - 'huawei'"))
    tsmc = data_dir / "entities" / "tsmc.yml"
    tsmc.write_text(
        "{id: tsmc, type: company, name: 'Taiwan Semiconductor Manufacturing Company', "
        "aliases: [TSMC, 台积电], country: TW}\n"
    )
    code, out, _ = _fmt(data_dir, capsys)
    assert code == 0 and "2 of 10 file(s) reformatted" in out
    assert _texts(data_dir) == canonical_texts
    code, out, _ = _fmt(data_dir, capsys)
    assert code == 0 and "0 of 10 file(s) reformatted" in out
    assert _texts(data_dir) == canonical_texts


def test_a_comment_at_the_top_is_kept_and_one_elsewhere_is_refused(data_dir, capsys):
    path = data_dir / "sources" / "fx-later-report.yml"
    path.write_text("# Checked against the print edition.\n\n" + path.read_text())
    assert _fmt(data_dir, capsys)[0] == 0
    assert path.read_text().startswith("# Checked against the print edition.\nid: fx-later-report\n")
    text = path.read_text().replace("  line: 9\n", "  line: 9  # or 8?\n")
    path.write_text(text)
    code, _, err = _fmt(data_dir, capsys)
    assert code == 1
    assert "data/sources/fx-later-report.yml:" in err and "a comment here would be lost by `etl fmt`" in err
    assert path.read_text() == text
    assert _fmt(data_dir, capsys, "--check")[0] == 1


def test_unreadable_yaml_is_reported_and_left_alone(data_dir, capsys):
    path = data_dir / "entities" / "tsmc.yml"
    path.write_text("id: &a tsmc\nname: *a\n")
    code, _, err = _fmt(data_dir, capsys)
    assert code == 1 and "data/entities/tsmc.yml:1: anchors and aliases" in err
    assert path.read_text() == "id: &a tsmc\nname: *a\n"


def test_key_order_is_the_models_with_the_citation_before_the_note():
    for model in (Source, Entity, Fact, Rate, *KIND_BLOCKS.values()):
        assert sorted(field_order(model)) == sorted(model.model_fields), model.__name__
    order = field_order(Fact)
    assert order[:4] == ["id", "kind", "topic", "title"]
    assert order[order.index("claim") + 1 : order.index("note") + 1] == [
        "distinct_from",
        "source",
        "line",
        "evidence",
        "note",
    ]
    assert field_order(Rate)[:2] == ["currency", "usd_per_unit"]
    assert SHAPES["source"].order[-1] == "facts"


def test_the_canonical_rules():
    text = (
        "facts:\n- {evidence: '\"Hi\" there', title: It's 47 billion, value: 47000000000, id: fx-a-01, line: 3, "
        "date: 2024-12-02, kind: event, entities: [a, b], note: '#1: yes', rule: {name: x, authority: us-bis}}\n"
        "id: fx-a\nline_start: 1\n"
    )
    result, problems = canonical(text, "source", "t.yml")
    assert problems == []
    assert result == (
        "id: fx-a\nline_start: 1\nfacts:\n- id: fx-a-01\n  kind: event\n  title: It's 47 billion\n"
        '  date: "2024-12-02"\n  value: 47_000_000_000\n  entities: [a, b]\n  line: 3\n'
        '  evidence: \'"Hi" there\'\n  note: "#1: yes"\n  rule:\n    authority: us-bis\n    name: x\n'
    )


# --- the property: whatever an annotator writes, fmt keeps every value and is idempotent ----

text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(list("\t\n '\"#:-[]{},&*!|>%@`")), max_size=30
)
scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    text,
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["2024-12", "2024", "1e3", "0x1f", "yes", "~", "=", "<=", "null"]),
)
fact_keys = st.sampled_from([*field_order(Fact), "zz_unknown"])
block = st.dictionaries(
    st.sampled_from(["authority", "name", "announced", "controls", "parameter"]), scalar, max_size=4
)
fact = st.dictionaries(fact_keys, st.one_of(scalar, st.lists(scalar, max_size=4), block), min_size=1, max_size=10)
source = st.fixed_dictionaries(
    {"id": st.text(string.ascii_lowercase, min_size=1, max_size=8)},
    optional={
        "title": text,
        "authors": st.lists(text, max_size=3),
        "line_start": st.integers(1, 10**6),
        "facts": st.lists(fact, max_size=4),
    },
)


@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(record=source, style=st.sampled_from(["block", "flow", "mixed"]), width=st.sampled_from([20, 80, 10**6]))
def test_fmt_keeps_every_value_and_is_idempotent(record, style, width):
    written = yaml.safe_dump(
        record,
        allow_unicode=True,
        sort_keys=style == "mixed",
        width=width,
        default_flow_style={"block": False, "flow": True, "mixed": None}[style],
    )
    original, problems = parse_document(written, "t.yml")
    assert problems == []
    once, problems = canonical(written, "source", "t.yml")
    assert problems == [], problems
    again, _ = parse_document(once, "t.yml")
    assert json.dumps(again, sort_keys=True) == json.dumps(original, sort_keys=True)  # no value, key or type lost
    assert canonical(once, "source", "t.yml") == (once, [])  # idempotent
    assert all(line == line.rstrip() for line in once.splitlines())
    assert list(again) == [k for k in SHAPES["source"].order if k in again] + [
        k for k in again if k not in SHAPES["source"].order
    ]
