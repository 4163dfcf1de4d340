"""The lookups of `lexicon.yml`, read once, with the regular expressions built from them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LEXICON = Path(__file__).with_name("lexicon.yml")


def alternation(words, flags: int = 0) -> re.Pattern[str]:
    """One pattern matching any of `words`, longest first (so "billion" wins over "b")."""
    ordered = sorted({str(w) for w in words}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered), flags)


def folded(mapping: dict) -> dict[str, Any]:
    return {str(k).casefold(): v for k, v in mapping.items()}


@dataclass(frozen=True)
class Lexicon:
    raw: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.raw[key]

    def lookup(self, table: str, word: str) -> Any:
        """The value `word` stands for in `table`, case-insensitively."""
        return folded(self.raw[table]).get(word.casefold())

    def first_group(self, table: str, text: str) -> str | None:
        """The first group of `table` (a mapping of name -> words) one of whose words occurs in text."""
        for name, words in self.raw[table].items():
            if word_pattern(tuple(str(w) for w in words)).search(text):
                return str(name)
        return None

    def any_word(self, table: str, text: str) -> bool:
        """Whether one of the words listed under `table` occurs in text."""
        return bool(word_pattern(tuple(str(w) for w in self.raw[table])).search(text))


@cache
def word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Lower-case words match any case at the start of a word (a prefix: "subsid" finds "Subsidies");
    a word with a capital letter only as written and whole ("AI" is not in "aim"); CJK anywhere."""
    parts = []
    for w in sorted(words, key=len, reverse=True):
        if not w.isascii():
            parts.append(re.escape(w))
        elif w != w.lower():
            parts.append(rf"(?<![A-Za-z0-9]){re.escape(w)}(?![A-Za-z0-9])")
        else:
            parts.append(rf"(?i:(?<![A-Za-z0-9]){re.escape(w)})")
    return re.compile("|".join(parts))


@cache
def lexicon() -> Lexicon:
    return Lexicon(yaml.safe_load(LEXICON.read_text(encoding="utf-8")))
