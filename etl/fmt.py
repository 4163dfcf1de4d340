"""`python -m etl fmt [--check]`: every annotation file in one canonical YAML form.

One form means a diff shows only what an annotator changed, and two annotators' edits to
different records merge cleanly. The rules (data/ANNOTATING.md repeats them for annotators):

- keys in the order the model declares its fields (etl/models.py), with the citation (source,
  line, evidence) just before `note`; in a source's file the header comes first and `facts:` last;
  keys the model does not know (errors for `etl validate`) are kept, after the known ones;
- one value per line, never wrapped, so an evidence span can be found with grep;
- lists of plain values in flow style on one line (`[us-bis, smic]`), lists of records and
  mappings (a kind block) in block style, two spaces deep;
- text plain where YAML reads it back as the same text; otherwise in double quotes (single
  quotes when the text holds a double quote and no single one); dates, and text that starts or
  ends with a space of any kind, always in double quotes;
- whole numbers of five digits or more grouped by thousands (`47_000_000_000`);
- a comment block at the top of a file is kept; a comment anywhere else would be lost, so such
  a file is refused (put the remark in a `note:`).

The form changes layout only: every file is read back after formatting and must hold exactly
the same values, types and key set, or it is left alone and reported.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from etl.load import annotation_files, names_under, old_layout
from etl.models import KIND_BLOCKS, Entity, Fact, Rate, Source
from etl.problems import Problem
from etl.yamlio import parse_document, read_text

DATE_KEYS = {"date", "published", "announced", "effective"}
CITATION = ("source", "line", "evidence")
_STR, _INT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int"
_RESOLVER = yaml.resolver.Resolver()
_ANALYSER = yaml.emitter.Emitter(None, allow_unicode=True)  # type: ignore[arg-type]  # only its analyze_scalar is used
_FLOATS = yaml.representer.SafeRepresenter()  # only its represent_float is used


def field_order(model: type[BaseModel]) -> list[str]:
    """The model's fields in declaration order, the citation moved before `note` (pydantic puts a
    base class's fields first; a reader wants what, when and how much before where it is cited)."""
    names = list(model.model_fields)
    if "note" in names and all(c in names for c in CITATION):
        names = [n for n in names if n not in CITATION]
        at = names.index("note")
        names[at:at] = CITATION
    return names


# What each kind of mapping is, by where it stands: its key order and the order of what it holds.
class Shape:
    def __init__(self, order: list[str], children: dict[str, Shape] | None = None, items: Shape | None = None):
        self.order, self.children, self.items = order, children or {}, items


FACT = Shape(field_order(Fact), {kind: Shape(field_order(block)) for kind, block in KIND_BLOCKS.items()})
# a draft is a fact not yet accepted: `review: pending` last (etl/assist/drafts.py)
DRAFT = Shape([*field_order(Fact), "review"], FACT.children)
# a proposed source header says where its title and byline come from (stated or inferred)
PROPOSAL = [
    k for name in field_order(Source) for k in ((name, f"{name}_basis") if name in ("title", "authors") else (name,))
] + ["review", "facts"]
SHAPES = {
    "source": Shape([*field_order(Source), "facts"], {"facts": Shape([], items=FACT)}),
    "proposal": Shape(PROPOSAL, {"facts": Shape([], items=FACT)}),
    "drafts": Shape(["source", "facts"], {"facts": Shape([], items=DRAFT)}),
    "entity": Shape(field_order(Entity)),
    "rates": Shape([], items=Shape(field_order(Rate))),
    "units": Shape(["money", "measures"]),
}


# Work in review (etl/assist): proposed source headers and draft facts, formatted like the rest
# but never read into the package.
REVIEW_FOLDERS = {"review/sources": "proposal", "drafts": "drafts"}


def files_to_format(root: Path) -> list[tuple[Path, str]]:
    """Every annotation file under root with its shape name, the files in review included."""
    sources, entities = annotation_files(root)
    found = [(p, "source") for p in sources] + [(p, "entity") for p in entities]
    for folder, shape in REVIEW_FOLDERS.items():
        found += [(p, shape) for p in sorted((root / folder).glob("*.yml"))]
    found += [(root / name, name.removesuffix(".yml")) for name in ("rates.yml", "units.yml") if (root / name).exists()]
    return found


# ----------------------------------------------------------------------------- emitting


def _scalar(value, key, flow: bool) -> yaml.ScalarNode:
    if value is None:
        return yaml.ScalarNode("tag:yaml.org,2002:null", "null")
    if isinstance(value, bool):
        return yaml.ScalarNode("tag:yaml.org,2002:bool", "true" if value else "false")
    if isinstance(value, int):
        text = f"{value:_d}" if abs(value) >= 10_000 else str(value)
        return yaml.ScalarNode(_INT, text)
    if isinstance(value, float):
        return _FLOATS.represent_float(value)
    text = str(value)
    return yaml.ScalarNode(_STR, text, style=_style(text, flow, key in DATE_KEYS))


def _style(text: str, flow: bool, is_date: bool) -> str | None:
    """None (plain) where YAML reads the plain text back as the same string, else a quote."""
    if is_date or text != text.strip():  # leading or trailing space of any kind stays visible
        return '"'
    analysis = _ANALYSER.analyze_scalar(text)
    plain = (
        (analysis.allow_flow_plain if flow else analysis.allow_block_plain)
        and not analysis.multiline
        and not analysis.empty
        and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR
    )
    if plain:
        return None
    if '"' in text and "'" not in text and analysis.allow_single_quoted and not analysis.multiline:
        return "'"
    return '"'


def _node(value, shape: Shape | None, key=None, flow: bool = False) -> yaml.Node:
    if isinstance(value, dict):
        order = shape.order if shape else []
        keys = [k for k in order if k in value] + [k for k in value if k not in order]
        pairs = [(_scalar(k, None, False), _node(value[k], shape.children.get(k) if shape else None, k)) for k in keys]
        return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=not pairs)
    if isinstance(value, list):
        inline = all(not isinstance(v, (dict, list)) for v in value)
        items = [_node(v, shape.items if shape else None, key, inline) for v in value]
        return yaml.SequenceNode("tag:yaml.org,2002:seq", items, flow_style=inline)
    return _scalar(value, key, flow)


def emit(data, shape: str) -> str:
    """The canonical YAML text of `data` (no header comment)."""
    if data is None:
        return ""
    return yaml.serialize(
        _node(data, SHAPES.get(shape)),
        Dumper=yaml.SafeDumper,
        allow_unicode=True,
        width=10**9,
        indent=2,
        explicit_start=False,
    )


# ----------------------------------------------------------------------------- comments


def _comments(text: str) -> tuple[str, list[int]]:
    """The comment block at the top of the file, and the lines of every other comment."""
    lines = text.split("\n")
    top = 0
    while top < len(lines) and (not lines[top].strip() or lines[top].lstrip().startswith("#")):
        top += 1
    header = "".join(line.strip() + "\n" for line in lines[:top] if line.strip())
    inside = []  # spans of scalars, where a '#' is text
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        if isinstance(token, yaml.ScalarToken):
            inside.append((token.start_mark.index, token.end_mark.index))
    offset_of_line = [0]
    for line in lines:
        offset_of_line.append(offset_of_line[-1] + len(line) + 1)
    start = offset_of_line[top]
    others, span = [], 0
    for at in (i for i in range(start, len(text)) if text[i] == "#"):
        while span < len(inside) and inside[span][1] <= at:
            span += 1
        if span < len(inside) and inside[span][0] <= at:
            continue
        others.append(text.count("\n", 0, at) + 1)
    return header, sorted(set(others))


# ----------------------------------------------------------------------------- files


def _same(a, b) -> bool:
    """Equal values of equal types, key sets and key order aside."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b or (a != a and b != b)


def canonical(text: str, shape: str, name: str) -> tuple[str | None, list[Problem]]:
    """The canonical form of one file's text; None and the reasons when it cannot be formatted."""
    data, problems = parse_document(text, name)
    if problems:
        return None, problems
    try:
        header, others = _comments(text)
    except yaml.YAMLError as exc:  # parse_document accepted it, so this should not happen
        return None, [Problem(name, None, None, None, f"cannot scan for comments: {exc}")]
    if others:
        return None, [
            Problem(
                name,
                line,
                None,
                None,
                "a comment here would be lost by `etl fmt`; keep comments at the "
                "top of the file, or put the remark in a note:",
            )
            for line in others
        ]
    result = header + emit(data, shape)
    again, problems = parse_document(result, name)
    if problems or not _same(data, again):
        return None, [
            Problem(
                name,
                None,
                None,
                None,
                "etl fmt could not keep every value of this file as it is; left unchanged (please report this)",
            )
        ]
    return result, []


def _write(path: Path, text: str) -> None:
    """Replace the file in one step, keeping its mode."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def rewrite(path: Path, shape: str, change: Callable[[Any], None], name: str | None = None) -> list[Problem]:
    """Apply `change` to the parsed file and write it back in canonical form, keeping its top comment.
    Nothing is written when the file cannot be read or formatted; the problems say why."""
    name = name or str(path)
    text, problems = read_text(path, name)
    if text is None:
        return problems
    data, problems = parse_document(text, name)
    if problems:
        return problems
    change(data)
    return write_canonical(path, data, shape)


def write_canonical(path: Path, data, shape: str) -> list[Problem]:
    """Write `data` to path in the canonical form, keeping the comment block at the top of the file
    it replaces (etl/assist writes proposals, drafts and accepted facts through here)."""
    header = ""
    if path.exists():
        text, problems = read_text(path, str(path))
        if text is None:
            return problems
        header = _comments(text)[0] if text.strip() else ""
    result, problems = canonical(header + emit(data, shape), shape, str(path))
    if result is None:
        return problems
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(result, encoding="utf-8")
    else:
        _write(path, result)
    return []


def format_folder(root: Path, check: bool) -> tuple[list[str], list[Problem], int]:
    """Format (or with `check`, only inspect) every annotation file under root.
    Returns (files not in canonical form, problems, files looked at)."""
    root = Path(root)

    rel = names_under(root)

    problems = old_layout(root, rel)
    if problems:
        return [], problems, 0
    changed: list[str] = []
    files = files_to_format(root)
    for path, shape in files:
        name = rel(path)
        text, more = read_text(path, name)
        if text is None:
            problems += more
            continue
        result, more = canonical(text, shape, name)
        problems += more
        if result is not None and result != text:
            changed.append(name)
            if not check:
                _write(path, result)
    return changed, problems, len(files)
