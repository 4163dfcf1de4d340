"""Entity names in prose: every canonical name and alias of the registry, in any script.

One alternation of all names, longest first, so "SMIC South" wins over "SMIC" and a match is
never counted twice. Latin names match as whole words (possessives included: "Huawei's"); an
acronym or short name only as written ("BIS" is not "bis"), a longer one in any case; a name in
Chinese or another script without spaces matches wherever it stands (中芯国际 inside a sentence).
pyahocorasick would do the same walk in C; at a few thousand names over a few thousand lines the
standard library's regex takes well under a second, so no new dependency (see the README).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class NameHit:
    start: int
    end: int
    entity_id: str
    name: str


def _piece(name: str) -> str:
    body = re.escape(name)
    if not re.search(r"[A-Za-z0-9]", name):
        return body  # CJK and other scripts: no word boundaries to ask for
    return rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])"


def _case_sensitive(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(name) <= 5 or (bool(letters) and all(c.isupper() for c in letters))


class NameMatcher:
    """Finds the entities of a registry (id -> names) in text."""

    def __init__(self, names: dict[str, list[str]]):
        exact: dict[str, str] = {}
        folded: dict[str, str] = {}
        for entity_id, spellings in names.items():
            for name in spellings:
                name = name.strip()
                if len(name) < 2:
                    continue
                if _case_sensitive(name):
                    exact.setdefault(name, entity_id)
                else:
                    folded.setdefault(name.casefold(), entity_id)
        self._exact, self._folded = exact, folded
        pieces = [(n, False) for n in exact] + [(n, True) for n in folded]
        pieces.sort(key=lambda p: len(p[0]), reverse=True)
        alternatives = [f"(?i:{_piece(n)})" if fold else _piece(n) for n, fold in pieces]
        self._pattern = re.compile("|".join(alternatives)) if alternatives else None

    def find(self, text: str) -> list[NameHit]:
        if self._pattern is None:
            return []
        hits = []
        for m in self._pattern.finditer(text):
            name = m.group()
            entity_id = self._exact.get(name) or self._folded.get(name.casefold())
            if entity_id:
                hits.append(NameHit(m.start(), m.end(), entity_id, name))
        return hits
