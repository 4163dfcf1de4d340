"""A CSV made by a click survives the orphan passes that follow it (tracker/download_guard.py).

Driven through Streamlit's own MediaFileManager and in-memory store, as the server uses them: a button
drawn (add_deferred), clicked (execute_deferred), then the end of script runs (remove_orphaned_files)
while the browser has not yet fetched the file's URL."""

from __future__ import annotations

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.forward_msg_queue import ForwardMsgQueue
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_storage import MediaFileStorageError
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from tracker import download_guard

ROWS = b"id,title\nf1,A rule\n"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(download_guard, "_clock", clock)
    return clock


def _clicked(manager: MediaFileManager, storage: MemoryMediaFileStorage) -> tuple[str, str]:
    """Draw a button and click it: the callable's id and the stored file's id."""
    deferred = manager.add_deferred(lambda: ROWS, "text/csv", "coord-1", file_name="rows.csv")
    url = manager.execute_deferred(deferred)
    file_id = url.rsplit("/", 1)[-1].split(".")[0]
    assert storage.get_file(file_id).content == ROWS
    return deferred, file_id


def _redraw(manager: MediaFileManager) -> str:
    """A rerun draws the button again: a new callable id at the same place."""
    return manager.add_deferred(lambda: ROWS, "text/csv", "coord-1", file_name="rows.csv")


def test_without_the_grace_two_runs_delete_the_file_before_the_browser_fetches_it():
    """What Streamlit 1.67 does on its own (the reason for the module): a fresh manager class."""

    class Plain(MediaFileManager):
        _get_inactive_file_ids = download_guard._ORIGINAL_INACTIVE  # type: ignore[assignment]
        _remove_orphaned_deferred_callables = download_guard._ORIGINAL_CALLABLES  # type: ignore[assignment]

    storage = MemoryMediaFileStorage("/media")
    manager = Plain(storage)
    _, file_id = _clicked(manager, storage)
    manager.remove_orphaned_files()  # the click's rerun
    manager.remove_orphaned_files()  # another reader's run
    with pytest.raises(MediaFileStorageError):
        storage.get_file(file_id)


def test_a_clicked_file_and_its_callable_outlive_runs_within_the_grace(clock):
    download_guard.install()
    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)
    deferred, file_id = _clicked(manager, storage)
    _redraw(manager)  # the click's rerun drew the button again
    for _ in range(5):  # that run and four others end before the browser's GET
        manager.remove_orphaned_files()
        clock.now += 5
    assert storage.get_file(file_id).content == ROWS
    assert manager.execute_deferred(deferred)  # a request that came after the rerun still finds its rows


def test_after_the_grace_the_next_run_removes_them(clock):
    download_guard.install()
    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)
    deferred, file_id = _clicked(manager, storage)
    current = _redraw(manager)
    manager.remove_orphaned_files()
    clock.now += download_guard.GRACE_S
    manager.remove_orphaned_files()  # marked (Streamlit's own first pass)
    manager.remove_orphaned_files()  # deleted
    with pytest.raises(MediaFileStorageError):
        storage.get_file(file_id)
    with pytest.raises(MediaFileStorageError, match="not found"):
        manager.execute_deferred(deferred)
    assert manager.execute_deferred(current)  # the button on screen now still works


def test_install_twice_wraps_once():
    download_guard.install()
    wrapped = MediaFileManager._get_inactive_file_ids
    download_guard.install()
    assert MediaFileManager._get_inactive_file_ids is wrapped


def test_a_second_click_of_the_same_rows_gets_its_own_minute(clock):
    """The stored file's id is a hash of its bytes: the same rows clicked again 50 s later reuse it."""
    download_guard.install()
    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)
    deferred, file_id = _clicked(manager, storage)
    manager.remove_orphaned_files()
    clock.now += 50
    manager.remove_orphaned_files()
    assert manager.execute_deferred(deferred).endswith(file_id + ".csv")  # clicked again: the same file
    clock.now += 20  # 70 s after the first click, 20 s after the second
    manager.remove_orphaned_files()
    manager.remove_orphaned_files()
    assert storage.get_file(file_id).content == ROWS


def _reply(request_id: str) -> ForwardMsg:
    msg = ForwardMsg()
    msg.backend_operation_response.request_id = request_id
    msg.backend_operation_response.deferred_file.url = "/media/abc.csv"
    return msg


def _delta() -> ForwardMsg:
    msg = ForwardMsg()
    msg.delta.new_element.markdown.body = "old table"
    msg.metadata.delta_path[:] = [0, 0]
    return msg


def test_a_reruns_queue_clear_keeps_the_reply_the_browser_waits_for():
    """The click asked for the file and reran the page; the reply with the file's URL was queued, and the
    rerun's start cleared the queue before it was sent: the button spun for ever (4 of 30 clicks with a
    second reader browsing). The rerun's clear keeps the reply and still drops the stale elements."""
    download_guard.install()
    queue = ForwardMsgQueue()
    queue.enqueue(_delta())
    queue.enqueue(_reply("r7"))
    queue.clear(retain_lifecycle_msgs=True)
    sent = queue.flush()
    assert [m.WhichOneof("type") for m in sent] == ["backend_operation_response"]
    assert sent[0].backend_operation_response.request_id == "r7"


def test_a_plain_clear_still_drops_everything():
    download_guard.install()
    queue = ForwardMsgQueue()
    queue.enqueue(_reply("r7"))
    queue.clear()
    assert queue.is_empty()


def test_streamlit_alone_drops_the_reply():
    """Why the guard exists: Streamlit's own clear, as pinned."""
    queue = ForwardMsgQueue()
    queue.enqueue(_reply("r7"))
    download_guard._ORIGINAL_CLEAR(queue, retain_lifecycle_msgs=True)
    assert queue.is_empty()
