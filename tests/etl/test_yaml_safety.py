"""Unsafe or ambiguous YAML is refused with the file and line, never a traceback."""

from __future__ import annotations

import pytest

from etl.cli import main
from tests.conftest import FIXTURE_CORPUS

CASES = [  # (file, text, line, message)
    ("sources/zz_bad.yml", "id: zz_bad\nfacts:\n- &a {id: x}\n- *a\n", 3, "anchors and aliases"),
    ("sources/zz_bad.yml", "id: zz_bad\nfacts:\n- !!python/object/apply:os.system ['true']\n", 3, "YAML tag"),
    ("sources/zz_bad.yml", "id: fx-x\nid: fx-y\n", 2, "duplicate key 'id' (first at line 1)"),
    ("sources/zz_bad.yml", "id: zz_bad\nfacts:\n- id: [unclosed\n", 4, "YAML syntax error"),
    ("sources/zz_bad.yml", "- id: a-list\n", 1, "expected one record (lines of key: value), not a list"),
    ("sources/zz_bad.yml", "id: zz_bad\nfacts:\n- just a string\n", 3, "each list item must be a mapping"),
    ("sources/zz_bad.yml", "<<: {id: x}\n", 1, "merge keys"),
    ("entities/zz_bad.yml", "id: &a zz_bad\nname: *a\n", 1, "anchors and aliases"),
    ("entities/zz_bad.yml", "just a string\n", 1, "expected one record"),
    ("rates.yml", "currency: CNY\n", 1, "expected a list of records"),
]


@pytest.mark.parametrize("name, text, line, message", CASES)
def test_unsafe_yaml_is_refused(data_dir, capsys, name, text, line, message):
    (data_dir / name).write_text(text)
    code = main(["--data", str(data_dir), "--corpus", str(FIXTURE_CORPUS), "validate"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"data/{name}:{line}" in err
    assert message in err


def test_non_utf8_file_is_reported(data_dir, capsys):
    (data_dir / "sources" / "zz_bad.yml").write_bytes(b"id: caf\xe9\n")
    assert main(["--data", str(data_dir), "--corpus", str(FIXTURE_CORPUS), "validate"]) == 1
    assert "not valid UTF-8" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["money: [[USD]]\n", "measures: [[nm]]\n", b"money: [caf\xe9]\n"])
def test_unit_list_of_the_wrong_shape_is_reported(data_dir, capsys, text):
    path = data_dir / "units.yml"
    path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text)
    assert main(["--data", str(data_dir), "--corpus", str(FIXTURE_CORPUS), "validate"]) == 1
    err = capsys.readouterr().err
    assert "error: data/units.yml: " in err and ("cannot read the unit list" in err or "not valid UTF-8" in err)
