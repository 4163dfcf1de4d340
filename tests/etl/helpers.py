"""What the ETL tests share: editing a fixture file in place, and running `python -m etl` on it."""

from __future__ import annotations

from pathlib import Path

from etl.cli import main
from tests.conftest import FIXTURE_CORPUS


def edit(data_dir: Path, name: str, old: str, new: str) -> None:
    """Replace the first `old` in data_dir/name by `new`; the fixture must still hold `old`."""
    path = data_dir / name
    text = path.read_text()
    assert old in text, f"fixture no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1))


def run_etl(data_dir: Path, capsys, *command: str) -> tuple[int, str, str]:
    """`python -m etl --data data_dir --corpus <fixture corpus> command...`: (exit code, stdout, stderr)."""
    code = main(["--data", str(data_dir), "--corpus", str(FIXTURE_CORPUS), *command])
    captured = capsys.readouterr()
    return code, captured.out, captured.err
