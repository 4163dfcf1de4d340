"""Where a fact's words are on its line: sentences and clauses with their offsets, and evidence
spans cut from the line itself, so that a drafted span is always a literal substring of it."""

from __future__ import annotations

import re

MAX_EVIDENCE = 100  # data/ANNOTATING.md: at most 100 characters

# A sentence ends at . ! ? (before a space and a capital, a quote or a bracket), or at 。！？；
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z“\"‘(\[0-9])|(?<=[。！？；])")
# A clause ends at ; or at a comma before a conjunction that starts a new statement
_CLAUSE_END = re.compile(r";\s+|,\s+(?=(?:and|but|while|whereas|with|which|after|before|as|although|though)\s)|，|；")
_ABBREVIATIONS = re.compile(r"(?:\b(?:U\.S|U\.K|Mr|Ms|Dr|Inc|Co|Corp|Ltd|No|vs|e\.g|i\.e|Jr|St)|\b[A-Z])\.$")


def _pieces(text: str, start: int, end: int, splitter: re.Pattern[str], check_abbrev: bool) -> list[tuple[int, int]]:
    out, at = [], start
    for m in splitter.finditer(text, start, end):
        if check_abbrev and _ABBREVIATIONS.search(text[at : m.start() + 1].rstrip('"”’) ')):
            continue
        if m.start() > at:
            out.append((at, m.start()))
        at = m.end()
    if at < end:
        out.append((at, end))
    return [(s, e) for s, e in (_trim(text, s, e) for s, e in out) if e > s]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentences(text: str) -> list[tuple[int, int]]:
    return _pieces(text, 0, len(text), _SENTENCE_END, True)


def clauses(text: str) -> list[tuple[int, int]]:
    """The clauses of every sentence of text, as (start, end) offsets into text."""
    out = []
    for s, e in sentences(text):
        out += _pieces(text, s, e, _CLAUSE_END, False)
    return out


def containing(spans: list[tuple[int, int]], at: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= at < e:
            return s, e
    return (0, 0)


def _word_starts(text: str, lo: int, hi: int) -> list[int]:
    return [i for i in range(lo, hi + 1) if i == lo or (text[i - 1].isspace() and not text[i].isspace())]


def evidence(line: str, anchor: tuple[int, int], within: tuple[int, int], limit: int = MAX_EVIDENCE) -> str:
    """A span of `line` holding `anchor`, inside `within` where it fits, at most `limit` characters,
    cut at spaces (never inside a word, unless one word is longer than the limit)."""
    a, b = anchor
    lo, hi = within if within[1] > within[0] else (0, len(line))
    lo, hi = min(lo, a), max(hi, b)
    lo, hi = _trim(line, lo, hi)
    if hi - lo <= limit:
        return _strip_punct(line[lo:hi])
    if b - a > limit:  # the anchor alone is too long: cut it at a space
        cut = line.rfind(" ", a, a + limit)
        return line[a : cut if cut > a else a + limit].strip()
    start, end = a, b
    # widen word by word, alternately right and left, while the span fits
    grew = True
    while grew:
        grew = False
        right = line.find(" ", end + 1, hi)
        right = hi if right == -1 else right
        if right > end and right - start <= limit:
            end, grew = right, True
        left = line.rfind(" ", lo, max(lo, start - 1))
        left = lo if left == -1 else left + 1
        if left < start and end - left <= limit:
            start, grew = left, True
    return _strip_punct(line[start:end].strip())


def _strip_punct(span: str) -> str:
    """Drop a trailing comma or full stop; the span stays a substring of the line."""
    while len(span) > 2 and span[-1] in ",;:." and not span.endswith(("U.S.", "U.K.")):
        span = span[:-1].rstrip()
    return span


def title_from(text: str, limit: int = 160) -> str:
    """A title from the clause: the text itself, cut at a space to fit (the reviewer rewrites it)."""
    text = " ".join(text.split()).rstrip(",;:")
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[: cut if cut > 0 else limit - 1].rstrip(",;:") + "…"
