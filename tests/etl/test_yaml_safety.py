"""Unsafe or ambiguous YAML is refused with the file and line, never a traceback."""
from __future__ import annotations

import pytest

from etl.cli import main
from tests.conftest import FIXTURE_CORPUS

CASES = [
    ("- &a {id: x}\n- *a\n", 1, "anchors and aliases"),
    ("- !!python/object/apply:os.system ['true']\n", 1, "YAML tag"),
    ("- id: fx-x\n  id: fx-y\n", 2, "duplicate key 'id' (first at line 1)"),
    ("- id: [unclosed\n", 2, "YAML syntax error"),
    ("id: not-a-list\n", 1, "expected a list of records"),
    ("- just a string\n", 1, "each list item must be a mapping"),
    ("- <<: {id: x}\n", 1, "merge keys"),
]


@pytest.mark.parametrize("text, line, message", CASES)
def test_unsafe_yaml_is_refused(data_dir, capsys, text, line, message):
    (data_dir / "facts" / "zz_bad.yml").write_text(text)
    code = main(["--data", str(data_dir), "--corpus", str(FIXTURE_CORPUS), "validate"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"data/facts/zz_bad.yml:{line}" in err
    assert message in err


def test_non_utf8_file_is_reported(data_dir, capsys):
    (data_dir / "facts" / "zz_bad.yml").write_bytes(b"- id: caf\xe9\n")
    assert main(["--data", str(data_dir), "--corpus", str(FIXTURE_CORPUS), "validate"]) == 1
    assert "not valid UTF-8" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["money: [[USD]]\n", "measures: [[nm]]\n", b"money: [caf\xe9]\n"])
def test_unit_list_of_the_wrong_shape_is_reported(data_dir, capsys, text):
    path = data_dir / "units.yml"
    path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text)
    assert main(["--data", str(data_dir), "--corpus", str(FIXTURE_CORPUS), "validate"]) == 1
    assert "error: data/units.yml: cannot read the unit list" in capsys.readouterr().err
