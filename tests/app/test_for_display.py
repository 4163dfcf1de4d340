"""Tables show an empty cell where the data has none, never None or NaN, and leave the data alone."""

from __future__ import annotations

import pandas as pd

from tracker.ui import for_display


def test_missing_text_is_shown_empty_and_numbers_and_the_source_frame_are_untouched():
    frame = pd.DataFrame(
        {
            "title": pd.array(["a", None, "c"], dtype="str"),
            "aliases": pd.Series([["x"], None, []], dtype=object),
            "note": pd.Series([None, "n", None], dtype=object),
            "value": [1.5, float("nan"), 3.0],
            "full": pd.array(["p", "q", "r"], dtype="str"),
        }
    )
    shown = for_display(frame)
    assert shown["title"].tolist() == ["a", "", "c"]
    assert shown["aliases"].tolist() == [["x"], "", []]
    assert shown["note"].tolist() == ["", "n", ""]
    assert shown["value"].isna().tolist() == [False, True, False]  # numbers keep their gaps (shown blank)
    assert shown["full"].tolist() == ["p", "q", "r"]
    assert frame["title"].isna().tolist() == [False, True, False]  # the cached frame is not changed
    assert frame["note"].isna().tolist() == [True, False, True]
