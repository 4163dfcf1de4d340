"""Entity names in prose: every canonical name and alias of the registry, in any script.

The text is cut into tokens (a run of ASCII letters and digits, or any other single character
but a space), and at each token the names that begin with it are looked up by their exact text,
longest first: a dictionary walk, linear in the text, the job an Aho–Corasick automaton does.
Latin names match only as whole words ("Huawei" in "Huawei's", not in "HuaweiCloud"), because
tokens are whole runs of letters; a name in Chinese or another script without spaces matches
wherever it stands (中芯国际 inside a sentence), since each of its characters is a token. An
acronym, a short name or a single word matches only as written ("BIS" is not "bis",
"Resilience" the company is not "resilience"); a name of several words in any case.

Why not pyahocorasick: it is not in the shared environment, and this walk over the real
registry (about 1,400 names) drafts the whole corpus in well under a second; see the README.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"[A-Za-z0-9]+|\S")


@dataclass(frozen=True)
class NameHit:
    start: int
    end: int
    entity_id: str
    name: str


def _case_sensitive(name: str) -> bool:
    """Short names, acronyms and single words match only as written: "Resilience" the company is
    not "resilience" the word. A name of several words matches in any case."""
    letters = [c for c in name if c.isalpha()]
    return len(name) <= 5 or " " not in name.strip() or (bool(letters) and all(c.isupper() for c in letters))


class NameMatcher:
    """Finds the entities of a registry (id -> names) in text."""

    def __init__(self, names: dict[str, list[str]]):
        self._exact: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        self._lengths: dict[str, set[int]] = {}  # first token, folded -> token counts of names starting with it
        for entity_id, spellings in names.items():
            for name in spellings:
                name = name.strip()
                tokens = _TOKEN.findall(name)
                if len(name) < 2 or not tokens:
                    continue
                if _case_sensitive(name):
                    self._exact.setdefault(name, entity_id)
                else:
                    self._folded.setdefault(name.casefold(), entity_id)
                self._lengths.setdefault(tokens[0].casefold(), set()).add(len(tokens))
        self._lengths_sorted = {k: sorted(v, reverse=True) for k, v in self._lengths.items()}

    def find(self, text: str) -> list[NameHit]:
        tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        hits: list[NameHit] = []
        i = 0
        while i < len(tokens):
            start = tokens[i][0]
            lengths = self._lengths_sorted.get(text[start : tokens[i][1]].casefold(), ())
            for k in lengths:
                if i + k > len(tokens):
                    continue
                name = text[start : tokens[i + k - 1][1]]
                entity_id = self._exact.get(name) or self._folded.get(name.casefold())
                if entity_id:
                    hits.append(NameHit(start, tokens[i + k - 1][1], entity_id, name))
                    i += k
                    break
            else:
                i += 1
        return hits
