"""Issue #5, hostile input: fuzz the annotation loader through `python -m etl build`.

Every case starts from a package built from the fixture annotations, changes the annotations
(a record with hostile fields inserted into the facts file, raw YAML text, raw bytes) and
builds again to the same --out. Whatever the input:

- `main()` returns 0 or 1; no exception escapes and no traceback is printed;
- exit 0 means a complete package that passes `etl check`;
- exit 1 means every stderr line is an `error: <file>[:line]...` problem (or the summary), and
  the previous package is untouched: same link target, same build_id, same bytes;
- no staging, trash or link leftovers appear beside the versions.

Examples are derandomised so a failure reproduces in CI; the file takes ~20 s of CPU.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import string
import traceback
import unicodedata
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from etl.checks import check_package
from etl.cli import main
from etl.schema import TABLES
from tests.conftest import FIXTURE_CORPUS, FIXTURE_DATA

FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI stays reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    print_blob=True,
)

# A line of stderr is an error naming its file (and line), the overflow line, or the summary.
ERROR_LINE = re.compile(r"^error: data/((sources|entities)/)?[\w.-]+\.yml(:\d+)?[:,] \S")
WARNING_LINE = re.compile(r"^warning: data/((sources|entities)/)?[\w.-]+\.yml(:\d+)?[:,] \S")  # reported; no failure
OTHER_LINES = re.compile(r"^(\.\.\. and \d+ more|\d+ problem\(s\) found; nothing was written\.)$")


# --- the workspace: fixture annotations, built once, rebuilt by every example --------------


class Workspace:
    def __init__(self, root: Path):
        self.data = root / "data"
        shutil.copytree(FIXTURE_DATA, self.data)
        self.facts = self.data / "sources" / "fx-later-report.yml"  # its header, then its facts
        self.extra = self.data / "sources" / "zz_fuzz.yml"
        self.base_text = self.facts.read_text(encoding="utf-8")
        self.out = root / "build"
        self.versions = root / ".build.versions"
        code, _, err = self.run()
        assert code == 0, err

    def run(self) -> tuple[int, str, str]:
        """`python -m etl build` in this process; an escaping exception fails the test with its traceback."""
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(
                    ["--data", str(self.data), "--corpus", str(FIXTURE_CORPUS), "build", "--out", str(self.out)]
                )
        except BaseException:
            pytest.fail(f"an exception escaped the CLI:\n{traceback.format_exc()}\nstderr:\n{err.getvalue()[:2000]}")
        return code, out.getvalue(), err.getvalue()

    def restore(self) -> None:
        self.facts.write_text(self.base_text, encoding="utf-8")
        self.extra.unlink(missing_ok=True)

    def snapshot(self) -> dict:
        target = self.out.resolve()
        files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(target.iterdir())}
        build_id = json.loads((target / "manifest.json").read_text())["build_id"]
        return {"link": os.readlink(self.out), "build_id": build_id, "files": files}

    def leftovers(self) -> list[str]:
        return sorted(p.name for p in self.versions.iterdir() if p.name.startswith((".staging-", ".trash-", ".link-")))


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("fuzz"))


def build_and_check(ws: Workspace, change) -> tuple[int, str]:
    """Apply `change` to the annotations, build, assert the properties, put the annotations back."""
    before = ws.snapshot()
    try:
        change(ws)
        code, stdout, stderr = ws.run()
    finally:
        ws.restore()
    assert "Traceback" not in stdout + stderr
    assert code in (0, 1), (code, stderr[-2000:])
    with contextlib.suppress(InvalidArgument):  # outside @given (the parametrized tests) there is no statistics
        event(f"exit {code}")
    assert ws.leftovers() == []
    assert not any(unicodedata.category(c) == "Cc" and c != "\n" for c in stderr), (
        f"raw control characters reached the terminal: {stderr[:500]!r}"
    )
    if code == 0:
        assert "error:" not in stderr
        assert {f"{name}.parquet" for name in TABLES} | {"manifest.json"} <= set(ws.snapshot()["files"])
        assert check_package(ws.out) == []
        for name in ("facts", "sources", "entities"):
            for row in pq.read_table(ws.out / f"{name}.parquet").to_pylist():
                texts = [v for v in row.values() if isinstance(v, str)]
                assert not any(_is_control(t) for t in texts), f"control character published in {name}: {row}"
    else:
        lines = stderr.splitlines()
        assert any(ERROR_LINE.match(line) for line in lines), stderr[:2000]
        bad = [
            line
            for line in lines
            if not (ERROR_LINE.match(line) or WARNING_LINE.match(line) or OTHER_LINES.match(line))
        ]
        assert bad == [], f"stderr lines that are not problems: {bad[:5]}"
        assert lines[-1].endswith("nothing was written."), lines[-1]
        assert ws.snapshot() == before, "a failed build changed the published package"
    return code, stderr


# --- hostile values ---------------------------------------------------------------------

ODD_CHARS = [
    "\x00",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\x9b",
    "\r",
    "\r\n",
    "\t",
    "\u2028",
    "\u2029",  # controls, separators
    "\u200f",
    "\u200e",
    "\u202e",
    "\u2066",
    "\u061c",  # RTL marks and bidi overrides
    "\u200b",
    "\u200c",
    "\u200d",
    "\ufeff",
    "\u2060",  # zero-width characters
    "😀",
    "👩‍🔬",
    "🇨🇳",
    "\U0001f9ea",  # emoji, ZWJ sequence, flag
    "e\u0301",
    "\u0301",
    "a" + "\u0300" * 50,
    "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",  # combining marks, zalgo
    "中芯国际",
    "ﷺ",
    "\uffff",
    "\U0010ffff",
    "\ue000",  # CJK, ligature, non-characters, private use
    "'",
    '"',
    "\\",
    ": ",
    " #",
    "- ",
    "&a",
    "*a",
    "!!python/object",
    "<<",
    "{",
    "}",
    "[",
    "]",
    "%",
    "@",
    "`",
]
odd_text = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(st.sampled_from(ODD_CHARS), st.text(string.ascii_letters + " -", max_size=5)), max_size=8).map(
        "".join
    ),
    st.sampled_from(["", " ", "   \t ", "x" * 100_000, "中" * 100_000, "\u0301" * 10_000, "\x00" * 1000]),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63 - 2, max_value=2**63 + 2),
    st.just(10**200),
    st.just(-(10**4000)),
    st.floats(),
    st.sampled_from([float("nan"), float("inf"), float("-inf"), 0.0, -0.0, 1e308, 5e-324]),
    odd_text,
)
hostile_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(odd_text, st.integers()), inner, max_size=4)
    ),
    max_leaves=12,
)

FACT_FIELDS = [
    "id",
    "kind",
    "topic",
    "title",
    "date",
    "date_basis",
    "date_note",
    "value",
    "value_high",
    "unit",
    "status",
    "entities",
    "countries",
    "claim",
    "source",
    "line",
    "evidence",
    "note",  # source: refused in a source's file
    "rule",
    "threshold",
    "chip_node",
    "funding",
    "entity_action",
]
REQUIRED = ["id", "kind", "topic", "title", "line", "evidence"]
BLOCK_FIELDS = [
    "authority",
    "name",
    "announced",
    "effective",
    "controls",
    "parameter",
    "comparator",
    "applies_to",
    "rule_fact",
    "company",
    "product",
    "metric",
    "lithography",
    "funder",
    "recipient",
    "vehicle",
    "funding_type",
    "action",
    "actor",
    "target",
]
BASE_RECORDS = [
    fact
    for path in sorted((FIXTURE_DATA / "sources").glob("*.yml"))
    for fact in yaml.safe_load(path.read_text(encoding="utf-8"))["facts"]
]


@st.composite
def hostile_records(draw) -> dict:
    """A fixture record under a new id, with a few fields set to hostile values, dropped or added."""
    record = json.loads(json.dumps(draw(st.sampled_from(BASE_RECORDS))))
    record["id"] = f"fx-later-report-{draw(st.integers(90, 99))}"
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["set", "set", "drop", "unknown", "block"]))
        if action == "set":
            record[draw(st.sampled_from(FACT_FIELDS))] = draw(hostile_values)
        elif action == "drop":
            record.pop(draw(st.sampled_from(REQUIRED)), None)
        elif action == "unknown":
            record[draw(st.one_of(odd_text.filter(lambda k: k not in FACT_FIELDS), st.integers()))] = draw(
                hostile_values
            )
        else:
            block = record.get(record.get("kind")) if isinstance(record.get("kind"), str) else None
            if isinstance(block, dict):
                block[draw(st.sampled_from(BLOCK_FIELDS))] = draw(hostile_values)
    return record


def _is_control(text: str) -> bool:
    return any(unicodedata.category(c) == "Cc" and c not in "\t\n" for c in text)


# Odd but allowed text (everything but control characters) where the format takes free text: these build.
PRINTABLE_ODD = [c for c in ODD_CHARS if not _is_control(c)]
free_text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
    st.lists(st.sampled_from(PRINTABLE_ODD + ["Title", " ", "\t", "\n"]), max_size=8).map("".join),
    st.sampled_from(["x" * 100_000, "中" * 100_000, "\u0301" * 10_000, "😀" * 10_000]),
)


@st.composite
def odd_but_valid_records(draw) -> dict:
    record = {
        "id": f"fx-later-report-{draw(st.integers(90, 99))}",
        "kind": "event",
        "topic": "other_policy",
        "title": draw(
            st.lists(st.sampled_from([c for c in PRINTABLE_ODD if c.strip()] + ["Title"]), min_size=3, max_size=8)
            .map("".join)
            .filter(lambda t: 3 <= len(t.strip()) <= 200)
        ),
        "line": 10,
        "evidence": "appears on this line",
    }
    if draw(st.booleans()):
        record["note"] = draw(free_text)
    if draw(st.booleans()):
        # values beyond etl/bounds.py are refused (tested apart)
        record["value"], record["unit"] = draw(st.floats(min_value=-1e17, max_value=1e17)), "count"
    return record


def dump(record: dict, flow: bool, unicode: bool) -> str:
    """The record as one item of a block list: `- key: value` lines, or `- {key: value, ...}`."""
    if flow:
        return "- " + yaml.safe_dump(
            record, default_flow_style=True, allow_unicode=unicode, width=10**9, sort_keys=False
        )
    return yaml.safe_dump([record], default_flow_style=False, allow_unicode=unicode, width=10**9, sort_keys=False)


def insert(text: str, where: str, addition: str) -> str:
    """Put `addition` before the first fact, between two facts, or at the end."""
    if not addition.endswith("\n"):
        addition += "\n"
    starts = [m.start() for m in re.finditer(r"^- ", text, re.M)]
    at = {"start": starts[0], "middle": starts[len(starts) // 2], "end": len(text)}[where]
    return text[:at] + addition + text[at:]


# --- the properties -----------------------------------------------------------------------


@pytest.mark.fuzz
@FUZZ
@given(
    record=hostile_records(), where=st.sampled_from(["start", "middle", "end"]), flow=st.booleans(), uni=st.booleans()
)
def test_hostile_record_is_refused_cleanly_or_built(ws, record, where, flow, uni):
    text = dump(record, flow, uni)
    build_and_check(ws, lambda w: w.facts.write_text(insert(w.base_text, where, text), encoding="utf-8"))


@pytest.mark.fuzz
@settings(FUZZ, max_examples=40)
@given(record=odd_but_valid_records(), flow=st.booleans(), uni=st.booleans())
def test_odd_unicode_in_free_text_builds_and_keeps_its_text(ws, record, flow, uni):
    code, stderr = build_and_check(
        ws, lambda w: w.facts.write_text(w.base_text + dump(record, flow, uni), encoding="utf-8")
    )
    assert code == 0, stderr
    facts = {r["fact_id"]: r for r in pq.read_table(ws.out / "facts.parquet").to_pylist()}
    assert len(facts) == len(BASE_RECORDS) + 1
    row = facts[record["id"]]
    assert row["title"] == record["title"].strip()  # kept as written, only trimmed
    if "note" in record:
        assert row["note"] == record["note"].strip()


@pytest.mark.parametrize(
    "field, value",
    [
        ("value", True),
        ("value", "yes"),
        ("value", float("nan")),
        ("value", float("inf")),
        ("line", True),
        ("line", "10"),
        ("line", 10.0),
        ("line", 0),
        ("line", 2**70),
        ("title", 12345),
        ("title", ["a", "b"]),
        ("title", None),
        ("title", True),
        ("entities", "smic"),
        ("entities", [1, 2]),
        ("countries", [True]),
        ("date", 2024),
        ("date", "２０２４"),
        ("date", "٢٠٢٤-١٢"),
        ("date", "2024-02-30"),
        ("kind", ["rule"]),
        ("kind", {"a": 1}),
        ("evidence", "x" * 100_000),
    ],
)
def test_wrong_types_are_problems_on_the_field(ws, field, value):
    record = {
        "id": "fx-later-report-95",
        "kind": "event",
        "topic": "other_policy",
        "title": "An event",
        "line": 10,
        "evidence": "appears on this line",
        field: value,
    }
    if field == "date":
        record["date_basis"] = "stated"
    code, stderr = build_and_check(
        ws, lambda w: w.facts.write_text(w.base_text + dump(record, False, True), encoding="utf-8")
    )
    assert code == 1
    assert f"record 'fx-later-report-95', field '{field}'" in stderr, stderr


@pytest.mark.parametrize("missing", REQUIRED)
def test_each_missing_required_field_is_named(ws, missing):
    record = {
        "id": "fx-later-report-95",
        "kind": "event",
        "topic": "other_policy",
        "title": "An event",
        "line": 10,
        "evidence": "appears on this line",
    }
    del record[missing]
    code, stderr = build_and_check(
        ws, lambda w: w.facts.write_text(w.base_text + dump(record, False, True), encoding="utf-8")
    )
    assert code == 1
    assert f"field '{missing}': required field is missing" in stderr, stderr


# Raw YAML: random text, and random mixtures of the syntax an attacker would reach for.
TOKENS = [
    "- ",
    "id: ",
    "title: ",
    "x",
    "1",
    "~",
    "null",
    "yes",
    ".nan",
    "0x1f",
    "2024-01-01",
    "\n",
    "\n  ",
    "  ",
    "\t",
    ": ",
    ", ",
    "{",
    "}",
    "[",
    "]",
    "'",
    '"',
    "\\",
    "#",
    "|",
    ">",
    "? ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "<<: ",
    "<<: *a",
    "!!python/object/apply:os.system ['true']",
    "!!python/name:os.system",
    "!custom ",
    "!<tag:x> ",
    "!!str ",
    "!!binary aGk=",
    "!!set ",
    "!!omap ",
    "!!timestamp ",
    "!!bool ",
    "!!int ",
    "!!float ",
    "!!null ",
    "!!map ",
    "!!seq ",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "%TAG ! tag:yaml.org,2002:python/\n",
    "%TAG !e! tag:example.com:\n",
    "\ufeff",
    "\x00",
    "\x1b",
    "\x85",
    "\u2028",
    "é",
    "中",
    "😀",
    "\u202e",
]
token_soup = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)


@st.composite
def deep_nesting(draw) -> str:
    depth = draw(st.one_of(st.integers(1, 10_000), st.sampled_from([900, 950, 980, 990, 1000, 1100, 3000, 10_000])))
    kind = draw(st.sampled_from(["flow-seq", "flow-map", "block-seq", "mixed"]))
    if kind == "flow-seq":
        body = "[" * depth + "]" * depth
    elif kind == "flow-map":
        body = "{a: " * depth + "1" + "}" * depth
    elif kind == "block-seq":
        return "- " * min(depth, 2000) + "x\n"
    else:
        body = "[{a: " * (depth // 2) + "1" + "}]" * (depth // 2)
    return draw(
        st.sampled_from(
            [f"- {body}\n", f"- note: {body}\n", f"- id: fx-later-report-97\n  note: {body}\n", body + "\n"]
        )
    )


TAGS = [
    "!!bool",
    "!!int",
    "!!float",
    "!!null",
    "!!str",
    "!!timestamp",
    "!!map",
    "!!seq",
    "!!merge",
    "!!binary",
    "!!set",
    "!!omap",
    "!!pairs",
    "!!value",
    "!!yaml",
    "!!python/none",
    "!!python/object/apply:os.system",
    "!custom",
    "!",
    "!<tag:yaml.org,2002:int>",
    "!<!>",
]
SCALARS = [
    "",
    "x",
    "maybe",
    "yes",
    "NO",
    "0x",
    "0x1g",
    "0b",
    "0o9",
    "_",
    "-",
    "+",
    "1:2:x",
    "1_000",
    ".nan",
    ".inf",
    "1e999",
    "-1e999",
    "2024-13-45",
    "2024-01-01 25:61:61",
    "~",
    "null",
    "9" * 5000,
    "1." * 50,
]


@st.composite
def tagged_scalars(draw) -> str:
    """An explicit tag on a scalar that may not fit it: `!!bool maybe`, `!!int ""`, `!!timestamp x`."""
    tag = draw(st.sampled_from(TAGS))
    value = draw(st.one_of(st.sampled_from(SCALARS), st.text(max_size=10)))
    style = draw(st.sampled_from(["plain", "double", "single"]))
    node = {
        "plain": f"{tag} {value}",
        "double": f"{tag} {json.dumps(value)}",
        "single": f"{tag} '" + value.replace("'", "''") + "'",
    }[style]
    return draw(st.sampled_from([f"- {node}\n", f"- id: {node}\n", f"- {node}: x\n", f"- id: fx-a\n  line: {node}\n"]))


multiple_documents = st.lists(
    st.sampled_from(["- id: a\n", "[]\n", "~\n", "", "- {id: b}\n"]), min_size=2, max_size=4
).map(lambda docs: "---\n" + "---\n".join(docs))
RAW_YAML = {  # each family gets its own examples: mixed in one strategy the rare ones were hardly drawn
    "random-text": (st.text(max_size=200), 60),
    "token-soup": (token_soup, 100),
    "tagged-scalar": (tagged_scalars(), 100),
    "deep-nesting": (deep_nesting(), 30),
    "documents": (multiple_documents, 20),
}


@pytest.mark.fuzz
@pytest.mark.parametrize("family", RAW_YAML)
def test_raw_yaml_is_refused_cleanly_or_built(ws, family):
    strategy, examples = RAW_YAML[family]

    @settings(FUZZ, max_examples=examples)
    @given(text=strategy, mode=st.sampled_from(["own-file", "append"]))
    def check(text, mode):
        def change(w: Workspace) -> None:
            if mode == "own-file":
                w.extra.write_text(text, encoding="utf-8")
            else:
                w.facts.write_text(w.base_text + text, encoding="utf-8")

        build_and_check(ws, change)

    check()


@pytest.mark.parametrize(
    "text",
    [
        "- " + "[" * 10_000 + "]" * 10_000 + "\n",
        "- note: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n",
        "- " * 5_000 + "x\n",
        "- !!bool maybe\n",
        '- a: !!int ""\n',
        "- a: !!timestamp soon\n",
    ],
)
def test_raw_yaml_known_cases(ws, text):
    assert build_and_check(ws, lambda w: w.extra.write_text(text, encoding="utf-8"))[0] == 1


@pytest.mark.fuzz
@settings(FUZZ, max_examples=80)
@example(blob=b"- id: caf\xe9\n", at=0)
@example(blob=b"\xed\xa0\x80", at=200)  # a UTF-8-encoded lone surrogate
@example(blob=b"\xff\xfe", at=0)  # a UTF-16 byte-order mark
@given(blob=st.binary(min_size=1, max_size=64), at=st.integers(0, 10_000))
def test_raw_bytes_are_refused_cleanly(ws, blob, at):
    def change(w: Workspace) -> None:
        raw = w.base_text.encode("utf-8")
        w.facts.write_bytes(raw[:at] + blob + raw[at:])

    code, stderr = build_and_check(ws, change)
    raw = ws.base_text.encode("utf-8")
    try:
        (raw[:at] + blob + raw[at:]).decode("utf-8")
    except UnicodeDecodeError:
        assert code == 1 and "not valid UTF-8" in stderr


# --- unsafe constructs, one by one: refused with a message, never constructed ---------------

CANARY: list[str] = []


def _canary(*args) -> str:  # what a python/object tag would call if the loader were unsafe
    CANARY.append("called")
    return "constructed"


UNSAFE = [
    pytest.param(f"- !!python/object/apply:{__name__}._canary ['x']\n", "YAML tag", id="python-apply"),
    pytest.param(f"- id: !!python/object/new:{__name__}.Workspace []\n", "YAML tag", id="python-new"),
    pytest.param(f"- id: !!python/name:{__name__}._canary\n", "YAML tag", id="python-name"),
    pytest.param(
        f"- id: !<tag:yaml.org,2002:python/object/apply:{__name__}._canary> []\n", "YAML tag", id="verbatim-tag"
    ),
    pytest.param(
        f"%TAG !p! tag:yaml.org,2002:python/\n---\n- id: !p!object/apply:{__name__}._canary []\n",
        "YAML tag",
        id="tag-directive",
    ),
    pytest.param("- id: !custom x\n", "YAML tag", id="custom-tag"),
    pytest.param("- id: ! x\n", "YAML tag", id="non-specific-tag"),
    pytest.param("- id: !!binary aGVsbG8=\n", "YAML tag", id="binary"),
    pytest.param("- id: !!set {a, b}\n", "YAML tag", id="set"),
    pytest.param("- &r {id: fx-a}\n- *r\n", "anchors and aliases", id="alias"),
    pytest.param("- id: &x fx-a\n", "anchors and aliases", id="anchor-alone"),
    pytest.param("- a: &a [x, x]\n  b: &b [*a, *a]\n  c: &c [*b, *b]\n", "anchors and aliases", id="billion-laughs"),
    pytest.param("- <<: {id: fx-a}\n", "merge keys", id="merge"),
    pytest.param("- !!merge <<: {id: fx-a}\n", "merge", id="tagged-merge"),
    pytest.param('- "<<": {id: fx-a}\n', "merge keys", id="quoted-merge"),
    pytest.param("- id: fx-a\n  ID: x\n  id: fx-b\n", "duplicate key 'id'", id="duplicate-key"),
    pytest.param("- {1: a, '1': b}\n", "duplicate key '1'", id="duplicate-key-types"),
    pytest.param("- ? [a, b]\n  : x\n", "a key must be a plain value", id="complex-key"),
    pytest.param("- id: a\n---\n- id: b\n", "only one YAML document", id="two-documents"),
    pytest.param("- !!bool maybe\n", "cannot read value 'maybe' as bool", id="bad-bool"),
    pytest.param('- id: !!int ""\n', "cannot read value '' as int", id="empty-int"),
    pytest.param("- id: !!timestamp someday\n", "cannot read value 'someday' as timestamp", id="bad-timestamp"),
    pytest.param("- id: !!float 1.5.5\n", "cannot read value '1.5.5' as float", id="bad-float"),
]


@pytest.mark.parametrize("text, message", UNSAFE)
def test_unsafe_construct_is_refused_with_a_message(ws, text, message):
    CANARY.clear()
    code, stderr = build_and_check(ws, lambda w: w.extra.write_text(text, encoding="utf-8"))
    assert code == 1
    assert message in stderr, stderr
    assert re.search(r"^error: data/sources/zz_fuzz\.yml:\d+: ", stderr, re.M), stderr
    assert CANARY == [], "a python tag was constructed"


@pytest.mark.parametrize("escape", ["\\0", "\\a", "\\e[31m", "\\x7f", "\\x9b", "\\r", "\\N", "\\x1f"])
def test_control_characters_in_text_are_refused_with_their_line(ws, escape):
    """NUL, ESC and the like only arrive through double-quoted escapes; the published text never holds them."""
    text = f'- id: fx-later-report-96\n  kind: event\n  topic: other_policy\n  title: "bell {escape} here"\n'
    code, stderr = build_and_check(ws, lambda w: w.extra.write_text(text, encoding="utf-8"))
    assert code == 1
    assert "error: data/sources/zz_fuzz.yml:4: control character" in stderr, stderr


def test_control_character_problem_names_its_line(ws):
    text = "- id: fx-later-report-96\n  title: bell \x07 here\n"
    code, stderr = build_and_check(ws, lambda w: w.extra.write_text(text, encoding="utf-8"))
    assert code == 1
    assert "error: data/sources/zz_fuzz.yml:2: YAML error: unacceptable character #x0007" in stderr, stderr


def test_big_facts_files_are_read_in_parallel_and_still_refused_cleanly(ws, monkeypatch):
    """Over etl.load.PARALLEL_BYTES the fact files are read in worker processes: the same properties hold."""
    import etl.load

    monkeypatch.setattr(etl.load, "PARALLEL_BYTES", 1)
    for text in [
        "- !!bool maybe\n",
        "- " + "[" * 5000 + "]" * 5000 + "\n",
        f"- !!python/object/apply:{__name__}._canary []\n",
    ]:
        CANARY.clear()
        code, stderr = build_and_check(ws, lambda w, t=text: w.extra.write_text(t, encoding="utf-8"))
        assert code == 1 and "zz_fuzz.yml" in stderr and CANARY == []


def test_good_rebuild_after_the_fuzzing_still_works(ws):
    code, _, err = ws.run()
    assert code == 0, err
    assert check_package(ws.out) == []
    assert len([p for p in ws.versions.iterdir() if not p.name.startswith(".")]) <= 3  # old versions are pruned
