"""Verify every evidence span against the line of the corpus it cites."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from etl.load import Annotations, Loaded
from etl.problems import Problem

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
    }
)
_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Fold whitespace and typographic quotes; nothing else."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


def default_corpus_dir(project_root: Path) -> Path | None:
    """TRACKER_CORPUS_DIR, else ../shared/corpus beside the project when it exists."""
    env = os.environ.get("TRACKER_CORPUS_DIR")
    if env:
        return Path(env)
    candidate = project_root.parent / "shared" / "corpus"
    return candidate if candidate.is_dir() else None


class Corpus:
    """Lines of the corpus files, read once each. Lines are 1-based, split on newline."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._lines: dict[str, list[str] | None] = {}
        self.hashes: dict[str, str] = {}

    def lines(self, name: str) -> list[str] | None:
        if name not in self._lines:
            path = self.directory / name
            if path.is_file():
                raw = path.read_bytes()
                self.hashes[name] = hashlib.sha256(raw).hexdigest()
                self._lines[name] = raw.decode("utf-8", errors="replace").split("\n")
            else:
                self._lines[name] = None
        return self._lines[name]


def _where(item: Loaded, field: str, message: str) -> Problem:
    return Problem(item.record.file, item.record.line_of(field), getattr(item.model, "id", None), field, message)


def verify_evidence(ann: Annotations, corpus: Corpus) -> list[Problem]:
    problems: list[Problem] = []
    sources = {s.model.id: s.model for s in ann.sources}
    for item in ann.sources:
        src = item.model
        lines = corpus.lines(src.corpus_file)
        if lines is None:
            problems.append(
                _where(item, "corpus_file", f"corpus file {src.corpus_file!r} not found in {corpus.directory}")
            )
        elif src.line_end > len(lines):
            problems.append(
                _where(
                    item, "line_end", f"line {src.line_end} is past the end of {src.corpus_file} ({len(lines)} lines)"
                )
            )
    for item in [*ann.facts, *ann.rates]:
        m = item.model
        src = sources.get(m.source) if m.source else None
        if src is None:
            continue  # unknown sources are reported by the integrity check
        lines = corpus.lines(src.corpus_file)
        if lines is None:
            continue
        if m.line > len(lines):
            problems.append(
                _where(item, "line", f"line {m.line} is past the end of {src.corpus_file} ({len(lines)} lines)")
            )
            continue
        line = lines[m.line - 1]
        if m.evidence not in line and normalise_text(m.evidence) not in normalise_text(line):  # verbatim: fast path
            shown = lines[m.line - 1][:80]
            problems.append(
                _where(
                    item,
                    "evidence",
                    f"evidence {m.evidence!r} does not occur on line {m.line} of {src.corpus_file} (which begins {shown!r})",
                )
            )
    return problems
