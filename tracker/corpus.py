"""The cited line of a source document, shown with the evidence span highlighted.

The corpus is optional for the app: without it the Sources page shows evidence spans only.
Everything from the corpus is HTML-escaped before it is shown.
"""

from __future__ import annotations

import html
import os
import re
from functools import lru_cache
from pathlib import Path

from tracker.db import PROJECT

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def corpus_dir() -> Path | None:
    env = os.environ.get("TRACKER_CORPUS_DIR")
    path = Path(env) if env else PROJECT.parent / "shared" / "corpus"
    return path if path.is_dir() else None


@lru_cache(maxsize=8)
def _lines(path: str, mtime: float) -> tuple[str, ...]:
    return tuple(Path(path).read_text(encoding="utf-8", errors="replace").split("\n"))


def cited_line(corpus_file: str, line: int) -> str | None:
    directory = corpus_dir()
    if directory is None or "/" in corpus_file or corpus_file.startswith("."):
        return None
    path = directory / corpus_file
    if not path.is_file():
        return None
    lines = _lines(str(path), path.stat().st_mtime)
    return lines[line - 1] if 1 <= line <= len(lines) else None


def context(corpus_file: str, line: int, around: int = 2) -> list[tuple[int, str]]:
    """The cited line and `around` lines either side, as (line number, text); empty without a corpus."""
    found = []
    for number in range(max(1, line - around), line + around + 1):
        text = cited_line(corpus_file, number)
        if text is not None:
            found.append((number, text))
    return found


def highlight(text: str, evidence: str) -> str:
    """Escaped HTML of text with the evidence span (matched loosely on quotes/space) in <mark>."""
    pattern = r"\s+".join(re.escape(part) for part in evidence.translate(_QUOTES).split())
    match = re.search(pattern, text.translate(_QUOTES)) if pattern else None
    if not match:
        return html.escape(text)
    a, b = match.span()
    return f"{html.escape(text[:a])}<mark>{html.escape(text[a:b])}</mark>{html.escape(text[b:])}"
