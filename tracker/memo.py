"""A bounded, thread-safe memo shared by every session of the app process.

The pages' answers are keyed by plain Python tuples (a build, a question's name, its arguments), so a
dict lookup finds them. Streamlit's caches hash every argument's bytes on every call: on a cached rerun
that hashing was a tenth of a page's time (issue #14). Values are handed out as they are, never copied
or pickled, so callers must not change them in place (tracker.data hands each caller a shallow copy of
a frame). Two sessions asking for the same missing key at once compute it once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    """At most `max_entries` values, the least recently used dropped first."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value kept for `key`, or compute() kept for it. A key that cannot be hashed is a
        programming error (TypeError), never a silent cache miss."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            busy = self._computing.setdefault(key, threading.Lock())
        with busy:  # one computation per key; a second asker waits for it
            with self._lock:
                if key in self._values:
                    return self._values[key]
            try:
                value = compute()
            except BaseException:
                with self._lock:
                    self._computing.pop(key, None)
                raise
            with self._lock:
                self._values[key] = value
                self._computing.pop(key, None)
                while len(self._values) > self.max_entries:
                    self._values.popitem(last=False)
            return value

    def discard(self, key: Hashable) -> None:
        with self._lock:
            self._values.pop(key, None)

    def values(self) -> list[Any]:
        """A snapshot of the kept values (tests check nothing changes them in place)."""
        with self._lock:
            return list(self._values.values())

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)
