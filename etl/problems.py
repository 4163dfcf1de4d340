"""A problem found in the annotations, said in plain words with where it is.

Most problems are errors: nothing is built until they are fixed. A few are warnings (`level`
"warning"): worth a look, but the build goes ahead (a claim only one fact uses, an entity id
that was merged into another)."""
from __future__ import annotations

from dataclasses import dataclass


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


class AnnotationErrors(Exception):
    """Raised when the annotations cannot be built; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.message))
        super().__init__(f"{len(self.problems)} problem(s) in the annotations")
