"""The filters a view carries, and how they travel through a URL.

URL parameters are untrusted: each is checked against what the package knows (entity
ids, kinds, ...) and dropped with a notice when it does not fit. Values only ever reach
SQL as bound parameters.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace

KINDS = ("rule", "event", "threshold", "chip_node", "funding", "entity_action", "statistic")
TOPICS = ("export_controls", "chips", "funding", "ai", "industrial_policy", "other_policy")
STATUSES = ("enacted", "proposed", "suggested", "rescinded", "mass_production", "prototype",
            "planned", "claimed", "reported", "estimated")
MAX_PARAM_LENGTH = 200
MAX_LIST = 20


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


_PARAM = {"entity_ids": "entity", "date_from": "from", "date_to": "to", "kinds": "kind",
          "topics": "topic", "countries": "country", "statuses": "status", "search": "q"}
PARAM_NAMES = tuple(_PARAM.values())


def _clean(raw: str) -> str | None:
    if len(raw) > MAX_PARAM_LENGTH or any(ord(c) < 32 or ord(c) == 127 for c in raw):
        return None
    return raw.strip()


def parse_query_params(params: dict[str, str | list[str]], known_entities: set[str],
                       known_countries: set[str] | None = None) -> tuple[Filters, list[str]]:
    """Read filters from URL parameters. Returns the filters and a notice per dropped value."""
    notices: list[str] = []
    values: dict = {}

    def drop(name: str, shown: str, why: str) -> None:
        shown = shown if len(shown) <= 40 else shown[:40] + "…"
        notices.append(f"Ignored URL parameter {name}={shown!r}: {why}.")

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
                values["date_from" if name == "from" else "date_to"] = dt.date.fromisoformat(text)
            except ValueError:
                drop(name, text, "not a date (use YYYY-MM-DD)")
            continue
        if name == "q":
            values["search"] = text
            continue
        allowed = {"entity": known_entities, "kind": set(KINDS), "topic": set(TOPICS),
                   "status": set(STATUSES), "country": known_countries}[name]
        items = [i.strip() for i in text.split(",") if i.strip()][:MAX_LIST]
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
