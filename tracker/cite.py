"""Ready citations: a fact, or a whole view, as one paragraph a reader can paste (pure functions)."""

from __future__ import annotations

import datetime as dt

TRACKER = "US–China Technology Policy Tracker"


def given(value) -> bool:
    """A field the fact has: not None, NaN, NaT, empty text or an empty list."""
    if value is None or isinstance(value, str):
        return bool(value)
    if hasattr(value, "__len__"):  # a list of countries or authors
        return len(value) > 0
    return value == value  # NaN and NaT are not equal to themselves


def fact_citation(fact: dict, build_id: str, link: str, today: dt.date) -> str:
    """Source title, publisher, date and line, the evidence, then the tracker's fact, build and link."""
    source = f"“{fact['source_title']}”, {fact['source_publisher']}"
    published = fact.get("source_published_label")
    source += f", {published}" if given(published) else ", undated"
    if given(fact.get("source_url")):
        source += f", {fact['source_url']}"
    where = (
        f"line {int(fact['source_line'])} of {fact['corpus_file']}"
        if given(fact.get("corpus_file"))
        else f"line {int(fact['source_line'])}"
    )
    return (
        f"{source}, {where}: “{fact['evidence']}”. "
        f"Via {TRACKER}, fact {fact['fact_id']} ({fact['title']}), build {build_id}, {link} "
        f"(accessed {today.isoformat()})."
    )


def view_citation(page_title: str, description: str, rows: int, build_id: str, link: str, today: dt.date) -> str:
    """The view as shown: its page, its filters, how many rows, the build and the link that reopens it."""
    what = "all rows" if description == "all" else description.replace("_", ", ")
    return (
        f"{TRACKER}, {page_title} ({what}; {rows:,} {'row' if rows == 1 else 'rows'}), build {build_id}, "
        f"{link} (accessed {today.isoformat()})."
    )
