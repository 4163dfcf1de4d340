"""The filters a view carries, and how they travel through a URL.

URL parameters are untrusted: each is checked against what the package knows (entity
ids, kinds, ...) and dropped with a notice when it does not fit. Values only ever reach
SQL as bound parameters.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from contract import KINDS, STATUSES, TOPICS

MAX_PARAM_LENGTH = 200
MAX_LIST = 20
# The sidebar's date pickers accept only this range (tracker.ui.MIN_DATE / MAX_DATE); a date
# outside it would make the picker raise, so it is dropped here with a notice instead.
DATE_MIN = dt.date(1940, 1, 1)
DATE_MAX = dt.date(2040, 12, 31)


@dataclass(frozen=True)
class Filters:
    entity_ids: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kinds: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    search: str | None = None

    def sql_params(self) -> dict:
        """Bound parameters for the named queries: empty means no restriction (null)."""
        return {
            "entity_ids": list(self.entity_ids) or None,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "kinds": list(self.kinds) or None,
            "topics": list(self.topics) or None,
            "countries": list(self.countries) or None,
            "statuses": list(self.statuses) or None,
            "search": self.search or None,
        }

    def to_query_params(self) -> dict[str, str]:
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple) and value:
                out[_PARAM[f.name]] = ",".join(value)
            elif isinstance(value, dt.date):
                out[_PARAM[f.name]] = value.isoformat()
            elif isinstance(value, str) and value:
                out[_PARAM[f.name]] = value
        return out

    def describe(self) -> str:
        """Short text for file names: what the view holds."""
        parts = [f"{k}-{v.replace(',', '+')}" for k, v in self.to_query_params().items() if k != "q"]
        return "_".join(parts) or "all"


_PARAM = {
    "entity_ids": "entity",
    "date_from": "from",
    "date_to": "to",
    "kinds": "kind",
    "topics": "topic",
    "countries": "country",
    "statuses": "status",
    "search": "q",
}
PARAM_NAMES = tuple(_PARAM.values())
PARAM_OF = _PARAM  # Filters field -> URL parameter


# Control characters (C0, DEL and C1, which includes the 8-bit escape U+009B), lone
# surrogates and the Unicode line and paragraph separators never belong in a filter value.
_REFUSED_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}


def _clean(raw: str) -> str | None:
    if len(raw) > MAX_PARAM_LENGTH or any(unicodedata.category(c) in _REFUSED_CATEGORIES for c in raw):
        return None
    return raw.strip()


def _code(text: str) -> str:
    """Text as a Markdown code span: notices are rendered as Markdown, and a value from the
    URL must show as typed, never as a link, an image, emphasis or a Streamlit directive."""
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _shown(text: str, limit: int = 40) -> str:
    """A URL value for a notice: quoted, escapes for anything unprintable, cut to `limit`."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def as_code(text: str, limit: int = 40) -> str:
    """A value from the URL, safe to put in a Markdown notice: quoted, cut, shown as code."""
    return _code(_shown(text, limit))


def parse_query_params(
    params: Mapping[str, str | list[str]],
    known_entities: set[str],
    known_countries: set[str] | None = None,
    merged: Mapping[str, str] | None = None,
) -> tuple[Filters, list[str]]:
    """Read filters from URL parameters. Returns the filters and a notice per dropped value. `merged`:
    old entity id -> the entity it was merged into (a link made before the merge keeps its company)."""
    notices: list[str] = []
    values: dict = {}

    def drop(name: str, value: str, why: str) -> None:
        label = name if re.fullmatch(r"[a-z_]{1,20}", name) else _code(_shown(name, 20))
        notices.append(f"Ignored URL parameter {label}={_code(_shown(value))}: {why}.")

    for name, raw in params.items():
        if isinstance(raw, list):
            if len(raw) > 1:
                drop(name, ",".join(raw), "given more than once; using the first")
            raw = raw[0] if raw else ""
        if name not in PARAM_NAMES:
            continue  # other parameters (e.g. a page's own) are not ours to judge
        text = _clean(raw)
        if text is None:
            drop(name, raw, "too long or holds control characters")
            continue
        if not text:
            continue
        if name in ("from", "to"):
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                drop(name, text, "not a date (use YYYY-MM-DD)")
                continue
            if not DATE_MIN <= day <= DATE_MAX:
                drop(name, text, f"outside {DATE_MIN.isoformat()} – {DATE_MAX.isoformat()}")
                continue
            values["date_from" if name == "from" else "date_to"] = day
            continue
        if name == "q":
            values["search"] = text
            continue
        allowed = {
            "entity": known_entities,
            "kind": set(KINDS),
            "topic": set(TOPICS),
            "status": set(STATUSES),
            "country": known_countries,
        }[name]
        items = [i.strip() for i in text.split(",") if i.strip()][:MAX_LIST]
        if name == "entity" and merged:
            items = [merged.get(i, i) for i in items]
        good = [i for i in items if allowed is None or i in allowed]
        for bad in [i for i in items if i not in good]:
            drop(name, bad, "not a known value")
        field = {v: k for k, v in _PARAM.items()}[name]
        values[field] = tuple(dict.fromkeys(good))
    filters = Filters(**values)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        notices.append("Ignored the date range: 'from' is after 'to'.")
        filters = replace(filters, date_from=None, date_to=None)
    return filters, notices
