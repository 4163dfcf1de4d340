"""A clicked download reaches the browser: two fixes to Streamlit 1.67's deferred downloads.

A deferred `st.download_button` (a callable, run on the click) lost about one download in ten while
another reader was browsing, with no message: the button spun and no file came. Two causes, both
reproduced with the server's debug log (one page downloading 30 times while another page reruns):

1. The reply is dropped. The click reruns the page (on_click="rerun", which download.py needs) and
   asks for the file; the reply that carries the file's URL is queued for the browser, and the
   rerun's start clears that queue, keeping only lifecycle messages (as Streamlit once did to toasts,
   its issue #7740). The browser waits for an answer that never comes. `clear` now keeps replies
   to backend operations as well.
2. The file is deleted before it is fetched. The file is stored unmapped to any session, and every
   script run of any session ends with an orphan pass: the first marks it, the second deletes it.
   The click's own rerun and another reader's run are enough, ~100 ms after "Adding media file"
   and before the browser's GET. The same pass drops a button's callable once a newer run has
   drawn the button again, which a click's request that arrives after that run cannot survive.
   Now a download file or callable is removed only after it has been unreferenced for GRACE_S
   seconds (on the first orphan pass after that).

`install()` replaces three private methods (Streamlit is pinned); tests/app/test_download_guard.py
drives Streamlit's own MediaFileManager and ForwardMsgQueue through each case, and fails without it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.forward_msg_queue import ForwardMsgQueue
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_storage import MediaFileKind

log = logging.getLogger(__name__)

GRACE_S = 60.0
_clock = time.monotonic  # tests set a fake clock here
_ORIGINAL_INACTIVE = MediaFileManager._get_inactive_file_ids
_ORIGINAL_CALLABLES = MediaFileManager._remove_orphaned_deferred_callables
_ORIGINAL_CLEAR = ForwardMsgQueue.clear
REPLY = "backend_operation_response"


def _clear_keeping_replies(
    self: ForwardMsgQueue, retain_lifecycle_msgs: bool = False, fragment_ids_this_run: list[str] | None = None
) -> None:
    """ForwardMsgQueue.clear, but a rerun's clear keeps the replies to backend operations (a download's
    URL): the browser is waiting for each. A clear that keeps nothing (a session ending) drops them."""
    queue: list[ForwardMsg] = self._queue
    replies = [m for m in queue if m.WhichOneof("type") == REPLY] if retain_lifecycle_msgs else []
    _ORIGINAL_CLEAR(self, retain_lifecycle_msgs, fragment_ids_this_run)
    kept = [m for m in replies if not any(m is q for q in self._queue)]
    if kept:
        log.debug("Kept %d backend operation replies a rerun's queue clear would have dropped", len(kept))
        self._queue.extend(kept)


def _expired(manager: MediaFileManager, pass_name: str, orphaned: Mapping[str, object]) -> set[str]:
    """The ids in `orphaned` that have been orphaned, pass after pass, for GRACE_S seconds or more.
    `orphaned` maps an id to what it names now (a click that makes the same file again stores new
    metadata under the same id: its minute starts over). Each pass keeps its own record on the manager;
    an id referenced again starts over."""
    since: dict[tuple[str, int], float] = manager.__dict__.setdefault(f"_tracker_orphaned_since_{pass_name}", {})
    now = _clock()
    keys = {(i, id(what)) for i, what in orphaned.items()}
    for key in [k for k in since if k not in keys]:
        del since[key]
    return {i for i, key_id in keys if now - since.setdefault((i, key_id), now) >= GRACE_S}


def _referenced(manager: MediaFileManager) -> set[str]:
    ids: set[str] = set()
    for by_coordinates in manager._files_by_session_and_coord.values():
        ids.update(by_coordinates.values())
    return ids


def _get_inactive_file_ids(self: MediaFileManager) -> set[str]:
    """Streamlit's inactive files, less the downloads orphaned for under GRACE_S seconds."""
    inactive = _ORIGINAL_INACTIVE(self)
    downloads = {
        i: self._file_metadata[i] for i in inactive if self._file_metadata[i].kind == MediaFileKind.DOWNLOADABLE
    }
    return (inactive - downloads.keys()) | _expired(self, "files", downloads)


def _remove_orphaned_deferred_callables(self: MediaFileManager) -> None:
    """Drop the download callables no session draws, once they have been orphaned for GRACE_S seconds."""
    referenced = _referenced(self)
    orphaned = {i: entry for i, entry in self._deferred_callables.items() if i not in referenced}
    for file_id in _expired(self, "callables", orphaned):
        self._drop_deferred_id(file_id)


def install() -> None:
    """Keep download replies through a rerun's queue clear, and give orphaned downloads and download
    callables GRACE_S seconds (idempotent)."""
    if MediaFileManager.__dict__.get("_tracker_download_guard"):
        return
    MediaFileManager._get_inactive_file_ids = _get_inactive_file_ids  # type: ignore[method-assign]
    MediaFileManager._remove_orphaned_deferred_callables = _remove_orphaned_deferred_callables  # type: ignore[method-assign]
    ForwardMsgQueue.clear = _clear_keeping_replies  # type: ignore[method-assign]
    MediaFileManager._tracker_download_guard = True  # type: ignore[attr-defined]
