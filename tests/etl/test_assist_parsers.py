"""The annotator's assistant's parsers (etl/assist, issue #11), each on short literal text:
money with currency and magnitude words, nm / layers / percent, dates with precision and hedge,
names in English and Chinese, and evidence spans cut from the line."""

from __future__ import annotations

import pytest

from etl.assist.dates_in_text import find_dates
from etl.assist.names import NameMatcher
from etl.assist.quantities import find_quantities
from etl.assist.spans import MAX_EVIDENCE, clauses, evidence


def _q(text):
    return [(q.value, q.value_high, q.unit, q.qualifier) for q in find_quantities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Big Fund III raised RMB 344 billion ($47.5 billion)",
            [(344e9, None, "CNY", None), (47.5e9, None, "USD", None)],
        ),
        ("invested nearly 200 million RMB (28M USD)", [(200e6, None, "CNY", "under"), (28e6, None, "USD", None)]),
        ("over $47 billion in late 2025", [(47e9, None, "USD", "over")]),
        (
            "at least US$10 billion, which is over NT$300 billion",
            [(10e9, None, "USD", "at_least"), (300e9, None, "TWD", "over")],
        ),
        ("大基金三期注册资本3440亿元人民币", [(344e9, None, "CNY", None)]),
        ("a 2万亿元 plan and 500万美元", [(2e12, None, "CNY", None), (5e6, None, "USD", None)]),
        ("about €2bn and 1 trillion won", [(2e9, None, "EUR", "about"), (1e12, None, "KRW", None)]),
        (
            "200-500 billion yuan, approximately $28-70 billion",
            [(200e9, 500e9, "CNY", None), (28e9, 70e9, "USD", None)],
        ),
        ("its quantum funding between 4 and 17 billion USD", [(4e9, 17e9, "USD", None)]),
    ],
)
def test_money_with_currency_and_magnitude(text, expected):
    assert _q(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("its 7nm N+2 process", [(7, None, "nm", None)]),
        ("an 18 nanometer half-pitch", [(18, None, "nm", None)]),
        ("placing it between 7nm and 5nm in terms of scaling", [(5, 7, "nm", None)]),
        ("advance to 3nm or 2nm chip production", [(2, 3, "nm", None)]),
        ("ships 232-layer NAND and 294 layers next", [(232, None, "layers", None), (294, None, "layers", None)]),
        (
            "a 35-42% improvement, about 30 percent of output",
            [(35, 42, "percent", None), (30, None, "percent", "about")],
        ),
        ("HBM3e now, HBM4 later, HBM manufacturing", [(3.5, None, "hbm_gen", None), (4, None, "hbm_gen", None)]),
        (
            "added 140 Chinese firms and around 10,000 NVIDIA A100 GPUs",
            [(140, None, "count", None), (10000, None, "count", "about")],
        ),
        ("in 2024 the 5m tower and Kirin 9030", []),
    ],
)
def test_nm_layers_percent_and_counts(text, expected):
    assert _q(text) == expected


def _d(text, source=None):
    return [(d.date, d.basis, d.qualifier) for d in find_dates(text, source)]


@pytest.mark.parametrize(
    ("text", "source", "expected"),
    [
        ("On December 2, 2024 the department", None, [("2024-12-02", "stated", None)]),
        ("on 17 December 2025 and 2025-11-10", None, [("2025-12-17", "stated", None), ("2025-11-10", "stated", None)]),
        ("Launched in late November 2025", None, [("2025-11", "stated", "late")]),
        (
            "by Q3 2025, with mass production slated for 2026",
            None,
            [("2025-Q3", "stated", "by"), ("2026", "stated", None)],
        ),
        ("in the third quarter of 2026", None, [("2026-Q3", "stated", None)]),
        ("in mid-2024 and by the end of 2025", None, [("2024", "stated", "mid"), ("2025", "stated", "by")]),
        (
            "early 2025, before 2020, after 2019, around 2030",
            None,
            [
                ("2025", "stated", "early"),
                ("2020", "stated", "before"),
                ("2019", "stated", "after"),
                ("2030", "stated", "around"),
            ],
        ),
        ("2024年5月发布, 2025年", None, [("2024-05", "stated", None), ("2025", "stated", None)]),
        ("on November 23-24, 2025", None, [("2025-11-23", "stated", None)]),
    ],
)
def test_dates_with_precision_and_qualifier(text, source, expected):
    assert _d(text, source) == expected


def test_relative_dates_only_where_the_source_date_makes_them_unambiguous():
    last_year = find_dates("shipped chips last year", "2024-12")
    assert [(d.date, d.basis) for d in last_year] == [("2023", "inferred")]
    assert "last year" in (last_year[0].note or "") and "2024-12" in (last_year[0].note or "")
    assert _d("shipped chips last year") == []  # no source date: left out rather than guessed
    assert _d("sales fell last month", "2024") == []  # a year-dated source cannot place a month
    assert _d("sales fell last month", "2024-12-03") == [("2024-11", "inferred", None)]
    assert _d("去年", "2025-06") == [("2024", "inferred", None)]
    assert _d("On October 18th, media reported", "2024-12") == [("2024-10-18", "inferred", None)]
    assert _d("On December 18th, media reported", "2024-06") == []  # after the source's date: which year?


REGISTRY = {
    "smic": ["Semiconductor Manufacturing International Corporation", "SMIC", "中芯国际", "0981.HK"],
    "smic-south": ["SMIC South"],
    "huawei": ["Huawei Technologies", "Huawei", "华为"],
    "us-bis": ["Bureau of Industry and Security", "BIS"],
    "resilience": ["Resilience"],
}


def test_names_in_english_and_chinese_by_every_alias():
    hits = NameMatcher(REGISTRY).find(
        "SMIC South and SMIC’s fab; 中芯国际与华为合作; Huawei's HuaweiCloud; bis vs BIS; the bureau of industry and security; "
        "0981.HK; remarkable resilience at Resilience"
    )
    assert [(h.name, h.entity_id) for h in hits] == [
        ("SMIC South", "smic-south"),  # the longest name wins
        ("SMIC", "smic"),
        ("中芯国际", "smic"),  # Chinese inside a sentence, no spaces
        ("华为", "huawei"),
        ("Huawei", "huawei"),  # possessive: a whole word; "HuaweiCloud" is not Huawei
        ("BIS", "us-bis"),  # an acronym only as written
        ("bureau of industry and security", "us-bis"),  # a long name in any case
        ("0981.HK", "smic"),
        ("Resilience", "resilience"),  # a one-word name only as written: "resilience" is a word
    ]


LONG = (
    "In a sweeping package that surprised many observers across the industry and in several capitals, "
    "the department said that Chinese champions together received more than $47.5 billion in state support "
    "over the period, a figure that analysts at several banks and consultancies had long suspected was understated."
)


def test_evidence_is_a_literal_span_cut_at_word_boundaries():
    for q in find_quantities(LONG):
        span = evidence(LONG, q.anchor, (0, len(LONG)))
        assert span in LONG and len(span) <= MAX_EVIDENCE
        assert "more than $47.5 billion" in span
        at = LONG.index(span)
        assert at == 0 or LONG[at - 1] == " "
        end = at + len(span)
        assert end == len(LONG) or LONG[end] in " ,."


def test_clauses_split_sentences_and_conjunctions_but_not_abbreviations():
    text = "The U.S. added 140 firms, while SMIC shipped 7nm chips. Then TSMC grew; Huawei 发布了新芯片。它很快"
    assert [text[s:e] for s, e in clauses(text)] == [
        "The U.S. added 140 firms",
        "while SMIC shipped 7nm chips.",
        "Then TSMC grew",
        "Huawei 发布了新芯片。",
        "它很快",
    ]
