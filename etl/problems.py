"""A problem found in the annotations, said in plain words with where it is.

Most problems are errors: nothing is built until they are fixed. A few are warnings (`level`
"warning"): worth a look, but the build goes ahead (a claim only one fact uses, an entity id
that was merged into another)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# The files other records depend on, in the order they depend on each other (a rate names a unit
# and cites a source). A problem in one of them causes problems in the records that use it (a
# refused rate: every amount in its currency), so it is reported first: the cause, then what
# follows from it.
# what other records depend on: the unit list, the entity files, the rates (a source file holds its facts too)
FOUNDATIONS = ("units.yml", "entities", "rates.yml")


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    record_id: str | None
    field: str | None
    message: str
    level: str = "error"  # or "warning"

    @property
    def is_warning(self) -> bool:
        return self.level == "warning"

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where]
        if self.record_id:
            parts.append(f"record {self.record_id!r}")
        if self.field:
            parts.append(f"field {self.field!r}")
        return ", ".join(parts) + f": {self.message}"


def _rank(file: str) -> int:
    path = Path(file)
    for rank, name in enumerate(FOUNDATIONS):
        if path.name == name or path.parent.name == name:
            return rank
    return len(FOUNDATIONS)


def ordered(problems: Iterable[Problem]) -> list[Problem]:
    """Each problem once, causes first: the files others depend on (FOUNDATIONS), then the rest,
    each by file and line; problems at one place stay in the order they were found (reading,
    then checks across records, then evidence)."""
    return sorted(dict.fromkeys(problems), key=lambda p: (_rank(p.file), p.file, p.line or 0))


class AnnotationErrors(Exception):
    """Raised when the annotations cannot be built; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = ordered(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the annotations")
