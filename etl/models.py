"""The annotation schema: what a source, entity, rate and fact record may hold.

Unknown fields are rejected. Checks that need more than one record (references,
evidence against the corpus) live in `etl.integrity` and `etl.evidence`.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from contract import (
    STATUS_BY_KIND,
    Action,
    Comparator,
    DateBasis,
    DateQualifier,
    DocType,
    EntityType,
    FundingType,
    Kind,
    Lithography,
    Metric,
    PublishedBasis,
    Status,
    Topic,
    ValueQualifier,
)
from etl.bounds import MAX_LINE, check_rate, check_value
from etl.dates import parse_date

ID = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=120)
# Numbers are strict: YAML reads `yes`, `on` and `true` as booleans, which a lax model would take as 1;
# and `.nan` / `.inf` are not amounts. Finite numbers are bounded too (etl/bounds.py).
COUNTRY = re.compile(r"^[A-Z]{2}$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _check_date(value: str | None) -> str | None:
    if value is not None:
        parse_date(value)
    return value


def _check_countries(values: list[str]) -> list[str]:
    for v in values:
        if not COUNTRY.match(v):
            raise ValueError(f"{v!r} is not a two-letter country code such as US, CN, NL")
    return values


class Source(Strict):
    id: str = ID
    title: str = Field(min_length=1, max_length=300)
    publisher: str = Field(min_length=1, max_length=200)
    url: str | None = Field(default=None, pattern=r"^https?://")
    published: str | None = None
    published_basis: PublishedBasis | None = None
    published_note: str | None = None
    authors: list[str] = []
    doc_type: DocType
    corpus_file: str = Field(pattern=r"^[\w.-]+\.txt$")
    line_start: int = Field(ge=1, le=MAX_LINE, strict=True)
    line_end: int = Field(ge=1, le=MAX_LINE, strict=True)

    _published = field_validator("published")(_check_date)

    @model_validator(mode="after")
    def _consistent(self) -> Source:
        if self.line_end < self.line_start:
            raise ValueError(f"line_end {self.line_end} is before line_start {self.line_start}")
        if self.published and not self.published_basis:
            raise ValueError("published needs published_basis (stated or inferred)")
        if self.published_basis == "inferred" and not self.published_note:
            raise ValueError("an inferred publication date needs published_note saying how")
        return self


class Entity(Strict):
    id: str = ID
    name: str = Field(min_length=1, max_length=200)
    type: EntityType
    country: str | None = None
    aliases: list[str] = []
    parent: str | None = None
    replaces: list[Annotated[str, ID]] = []  # ids of entities merged into this one: they keep resolving to it

    @field_validator("country")
    @classmethod
    def _country(cls, v: str | None) -> str | None:
        return _check_countries([v])[0] if v else v


class Citation(Strict):
    source: str
    line: int = Field(ge=1, le=MAX_LINE, strict=True)
    evidence: str = Field(min_length=2, max_length=100)


class Rate(Citation):
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    usd_per_unit: float = Field(strict=True, allow_inf_nan=False)
    # a rate may cite a source outside the corpus via note: its citation fields are optional
    source: str | None = None  # type: ignore[assignment]
    line: int | None = Field(default=None, ge=1, le=MAX_LINE, strict=True)  # type: ignore[assignment]
    evidence: str | None = Field(default=None, max_length=120)  # type: ignore[assignment]
    note: str | None = None

    _rate = field_validator("usd_per_unit")(check_rate)

    @property
    def id(self) -> str:
        """A rate's key is its currency: problems name it as the record."""
        return self.currency

    @model_validator(mode="after")
    def _cited(self) -> Rate:
        if self.source is None and not self.note:
            raise ValueError(
                "a rate needs a corpus citation (source, line, evidence) or a note naming where it comes from"
            )
        if self.source is not None and (self.line is None or not self.evidence):
            raise ValueError("a cited rate needs line and evidence")
        return self


class RuleFields(Strict):
    authority: str | None = None
    name: str | None = None
    announced: str | None = None
    effective: str | None = None
    controls: str | None = None

    _dates = field_validator("announced", "effective")(_check_date)


class ThresholdFields(Strict):
    parameter: Metric
    comparator: Comparator
    applies_to: str | None = None
    rule_fact: str | None = None


class ChipNodeFields(Strict):
    company: str | None = None  # None for national efforts no single company is named for
    product: str | None = None
    metric: Metric
    lithography: Lithography | None = None


class FundingFields(Strict):
    funder: str | None = None
    recipient: str | None = None
    vehicle: str | None = None
    funding_type: FundingType


class EntityActionFields(Strict):
    action: Action
    actor: str | None = None
    target: str | None = None


KIND_BLOCKS: dict[str, type[Strict]] = {
    "rule": RuleFields,
    "threshold": ThresholdFields,
    "chip_node": ChipNodeFields,
    "funding": FundingFields,
    "entity_action": EntityActionFields,
}
# The fields of each block that name an entity.
ENTITY_FIELDS = {
    kind: [
        name
        for name in ("authority", "company", "funder", "recipient", "actor", "target")
        if name in model.model_fields
    ]
    for kind, model in KIND_BLOCKS.items()
}
# Kinds whose facts are not useful without their block.
BLOCK_REQUIRED = {"threshold", "chip_node", "funding", "entity_action"}


class Fact(Citation):
    id: str = ID
    kind: Kind
    topic: Topic
    title: str = Field(min_length=3, max_length=200)
    date: str | None = None
    date_basis: DateBasis | None = None
    date_note: str | None = None
    date_qualifier: DateQualifier | None = None
    value: float | None = Field(default=None, strict=True, allow_inf_nan=False)
    value_high: float | None = Field(default=None, strict=True, allow_inf_nan=False)
    unit: str | None = None
    value_qualifier: ValueQualifier | None = None
    status: Status | None = None
    entities: list[str] = []
    countries: list[str] = []
    claim: str | None = Field(default=None, pattern=r"^claim-[a-z0-9-]+$")
    # a reviewer's decision that this fact and another, alike enough to be a candidate pair
    # (`etl pairs`), state different things: other fact id -> why
    distinct_from: dict[Annotated[str, ID], Annotated[str, Field(min_length=3, max_length=300)]] = {}
    note: str | None = None
    rule: RuleFields | None = None
    threshold: ThresholdFields | None = None
    chip_node: ChipNodeFields | None = None
    funding: FundingFields | None = None
    entity_action: EntityActionFields | None = None

    _date = field_validator("date")(_check_date)
    _countries = field_validator("countries")(_check_countries)
    _values = field_validator("value", "value_high")(check_value)

    @model_validator(mode="after")
    def _consistent(self) -> Fact:
        if self.date and not self.date_basis:
            raise ValueError("date needs date_basis (stated, dateline or inferred)")
        if self.date_basis == "inferred" and not self.date_note:
            raise ValueError("an inferred date needs date_note saying how it was worked out")
        if self.value_high is not None and self.value is None:
            raise ValueError("value_high needs value")
        if self.value_high is not None and self.value is not None and self.value_high < self.value:
            raise ValueError(f"range is not ordered: value {self.value:g} is above value_high {self.value_high:g}")
        if self.date_qualifier and not self.date:
            raise ValueError("date_qualifier needs date")
        if (
            self.date_qualifier in ("early", "mid", "late")
            and self.date
            and parse_date(self.date)[1] not in ("year", "quarter", "month")
        ):
            raise ValueError(f"date_qualifier {self.date_qualifier!r} needs a year, quarter or month date, not a day")
        if self.value_qualifier and self.value is None:
            raise ValueError("value_qualifier needs value")
        if self.value_qualifier and self.value_high is not None:
            raise ValueError("a range (value_high) already states its bounds; value_qualifier is for a single value")
        if self.value is not None and not self.unit:
            raise ValueError("value needs unit")
        for kind in KIND_BLOCKS:
            if getattr(self, kind) is not None and kind != self.kind:
                raise ValueError(f"has a {kind!r} block but kind is {self.kind!r}")
        if self.kind in BLOCK_REQUIRED and getattr(self, self.kind) is None:
            raise ValueError(f"a {self.kind} fact needs its {self.kind!r} block")
        allowed = STATUS_BY_KIND.get(self.kind)
        if allowed and self.status and self.status not in allowed:
            raise ValueError(
                f"status {self.status!r} does not fit a {self.kind}; use one of {', '.join(sorted(allowed))}"
            )
        return self

    def entity_refs(self) -> list[tuple[str, str]]:
        """(field path, entity id) for every entity this fact names."""
        refs = [("entities", e) for e in self.entities]
        block = getattr(self, self.kind, None) if self.kind in KIND_BLOCKS else None
        if block is not None:
            for name in ENTITY_FIELDS.get(self.kind, ()):
                value = getattr(block, name)
                if value:
                    refs.append((f"{self.kind}.{name}", value))
        return refs
