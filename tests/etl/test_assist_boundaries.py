"""`etl add-source` on the real corpus: the proposed document boundaries against the 42 source
files people wrote (issue #11). The one assistant test that reads the corpus; skipped without it.

The news site's tag page (002) and the report (001) are found exactly. The newsletter file (000)
runs about thirty posts together with no separator; its posts are found where the newsletter's
boilerplate closes one, and missed where a post ends without it or the boilerplate stands mid-post.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.assist.segment import boundaries
from etl.evidence import Corpus, default_corpus_dir
from etl.load import load_annotations
from tests.conftest import ROOT

CORPUS = default_corpus_dir(ROOT)


def _compare() -> dict[str, tuple[int, int, int]]:
    assert CORPUS is not None
    ann, _ = load_annotations(ROOT / "data")
    corpus = Corpus(CORPUS)
    truth: dict[str, list[tuple[int, int]]] = {}
    for s in ann.sources:
        truth.setdefault(s.model.corpus_file, []).append((s.model.line_start, s.model.line_end))
    result = {}
    for name, spans in sorted(truth.items()):
        lines = corpus.lines(name)
        assert lines is not None
        found = boundaries(lines)
        exact = sum(span in found for span in spans)
        near = sum(any(abs(a - c) <= 2 and abs(b - d) <= 2 for c, d in found) for a, b in spans)
        result[name] = (len(spans), exact, near)
    return result


@pytest.mark.skipif(CORPUS is None or not Path(CORPUS).is_dir(), reason="no corpus (TRACKER_CORPUS_DIR)")
def test_proposed_boundaries_match_the_registered_sources():
    result = _compare()
    total = sum(n for n, _, _ in result.values())
    exact = sum(e for _, e, _ in result.values())
    near = sum(w for _, _, w in result.values())
    print(f"\nadd-source boundaries: {exact} of {total} exact, {near} within 2 lines; per file {result}")
    assert total == 42
    assert result["002_ed0c05dbb33a5eaf.txt"][1] == 10  # every article of the tag page
    assert result["001_5092bbc2f2a99dea.txt"][1] == 1  # the report is one document
    assert exact >= 18 and near >= exact  # the newsletter: where its boilerplate closes a post
