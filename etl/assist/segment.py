"""`etl add-source`: where each document of a corpus file starts and ends, and what the text says
of it (title, byline, date), proposed for review.

Two shapes of corpus file are known: a list of articles, each opened by a bulleted title line
(a news site's tag page), and newsletter posts run together, each closed by the newsletter's
boilerplate. The line patterns are data (`boundaries` in lexicon.yml). Where neither shows, the
range is one document. Everything proposed says whether the text states it or it was inferred.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.assist.dates_in_text import find_dates
from etl.assist.lexicon import lexicon
from etl.assist.spans import title_from

# "Shanghai, China – December 17, 2025 – ..." : a dateline, the document's own date
_DATELINE = re.compile(r"^\s*[A-Z][\w .,'-]{1,40}\s[–—-]\s(?P<date>[A-Z][a-z]+\.? \d{1,2}, \d{4})\s[–—-]")
_AS_OF = re.compile(r"\bAs of (?P<date>[A-Z][a-z]+\.? \d{1,2}, \d{4})")
# "Mark Witzke is a China analyst", "a guest piece from Ray Wang, a ...", "By Jane Doe"
_NAME = r"[A-Z][\w’'.-]+(?: [A-Z][\w’'.-]+){1,2}"
_BYLINES = [
    re.compile(rf"^(?P<names>{_NAME}(?:(?:, | and ){_NAME})*) (?:is|are) (?:a|an|the|researchers|analysts)\b"),
    re.compile(rf"guest (?:piece|column|post|translation) (?:from|by) (?P<names>{_NAME})"),
    re.compile(rf"^By (?P<names>{_NAME}(?:(?:, | and ){_NAME})*)"),
]


@dataclass
class Proposal:
    line_start: int
    line_end: int
    title: str = ""
    title_basis: str = "inferred"
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    published_basis: str | None = None
    published_note: str | None = None


def _matches(patterns, text: str) -> bool:
    return any(re.match(p if p.startswith("^") else re.escape(p), text) for p in patterns)


def _trim(lines: list[str], start: int, end: int) -> tuple[int, int]:
    while start < end and not lines[start - 1].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return start, end


def boundaries(lines: list[str], first: int = 1, last: int | None = None) -> list[tuple[int, int]]:
    """(line_start, line_end) of each document in lines first..last (1-based, inclusive)."""
    rules = lexicon()["boundaries"]
    last = min(last or len(lines), len(lines))
    items = [n for n in range(first, last + 1) if re.match(rules["list_item"], lines[n - 1])]
    if len(items) >= 2:
        starts = items
    else:
        starts = [first]
        ends = [n for n in range(first, last + 1) if _matches(rules["post_end"], lines[n - 1])]
        for n in range(first, last + 1):
            text = lines[n - 1]
            if n in ends:
                nxt = n + 1
                while nxt <= last and (not lines[nxt - 1].strip() or _matches(rules["postscript"], lines[nxt - 1])):
                    nxt += 1
                later = [e for e in ends if n < e < n + rules["min_lines"]]
                if nxt <= last and not later:
                    starts.append(nxt)
            elif ends and _matches(rules["post_start"], text) and n - starts[-1] >= rules["min_lines"]:
                starts.append(n)
        starts = sorted(set(starts))
    spans = []
    for i, s in enumerate(starts):
        e = starts[i + 1] - 1 if i + 1 < len(starts) else last
        s2, e2 = _trim(lines, s, e)
        if e2 >= s2 and lines[s2 - 1].strip():
            spans.append((s2, e2))
    return spans


def _title(lines: list[str], start: int, end: int) -> tuple[str, str]:
    head = lines[start - 1].strip()
    bullet = re.match(lexicon()["boundaries"]["list_item"], lines[start - 1])
    if bullet:
        return re.sub(r"^[•·▪]\s+", "", head), "stated"
    for n in range(start, min(end, start + 3) + 1):
        text = lines[n - 1].strip()
        words = text.split()
        if 2 <= len(words) <= 12 and not text.endswith((".", ":", "?", "!", ",")) and text[:1].isupper():
            return text, "stated"
    return title_from(head, 120), "inferred"


def _authors(lines: list[str], start: int, end: int) -> list[str]:
    for n in range(start, min(end, start + 4) + 1):
        for pattern in _BYLINES:
            m = pattern.search(lines[n - 1].strip())
            if m:
                return [a.strip() for a in re.split(r", | and ", m.group("names")) if a.strip()]
    return []


def _published(lines: list[str], start: int, end: int) -> tuple[str | None, str | None, str | None]:
    for n in range(start, min(end, start + 6) + 1):
        m = _DATELINE.match(lines[n - 1])
        if m:
            found = find_dates(m.group("date"))
            if found:
                return found[0].date, "stated", None
    for n in range(start, end + 1):
        m = _AS_OF.search(lines[n - 1])
        if m:
            found = find_dates(m.group("date"))
            if found:
                return found[0].date, "inferred", f"no dateline; the text says 'As of {m.group('date')}' (line {n})"
    return None, None, None


def propose(lines: list[str], first: int = 1, last: int | None = None) -> list[Proposal]:
    out = []
    for start, end in boundaries(lines, first, last):
        title, basis = _title(lines, start, end)
        published, pbasis, note = _published(lines, start, end)
        out.append(Proposal(start, end, title, basis, _authors(lines, start, end), published, pbasis, note))
    return out


def slug(title: str, taken: set[str], prefix: str) -> str:
    """`c<corpus prefix>-<first words of the title>`, unique among taken."""
    words = re.findall(r"[a-z0-9]+", title.lower().replace("’", "").replace("'", ""))
    stop = {"the", "a", "an", "of", "and", "in", "on", "for", "to", "with", "is", "its", "s", "as", "at", "by"}
    kept = [w for w in words if w not in stop][:4] or ["document"]
    base = f"{prefix}-{'-'.join(kept)}"[:60].rstrip("-")
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name
