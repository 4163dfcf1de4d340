"""Read annotation YAML safely, keeping the line of every record and field.

Only plain YAML is accepted: no anchors or aliases, no explicit tags, no duplicate
keys. Every problem becomes a `Problem` naming the file and line instead of a traceback.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from etl.problems import Problem


@dataclass
class Record:
    """One mapping from a YAML list, with where it stands in its file."""

    data: dict
    file: str
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str | None) -> int:
        return self.key_lines.get(key, self.line) if key else self.line


_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}


class _Refused(Exception):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def _check_node(node: yaml.Node, anchors_seen: set[int]) -> None:
    """Walk a composed node tree and refuse unsafe or ambiguous constructs."""
    line = node.start_mark.line + 1
    if id(node) in anchors_seen:
        raise _Refused("anchors and aliases (&, *) are not allowed in annotations", line)
    anchors_seen.add(id(node))
    if node.tag not in _STANDARD_TAGS:
        raise _Refused(f"the YAML tag {node.tag!r} is not allowed", line)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            if key.tag == "tag:yaml.org,2002:merge" or key.value == "<<":
                raise _Refused("merge keys (<<) are not allowed in annotations", key.start_mark.line + 1)
            k = str(key.value)
            if k in seen:
                raise _Refused(f"duplicate key {k!r} (first at line {seen[k]})", key.start_mark.line + 1)
            seen[k] = key.start_mark.line + 1
            _check_node(key, anchors_seen)
            _check_node(value, anchors_seen)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_node(item, anchors_seen)


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is ~10x faster when present


class _NoTimestampLoader(_BaseLoader):
    """Safe loader that keeps dates as the strings the annotator wrote."""


_NoTimestampLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_records(path: Path, label: str | None = None) -> tuple[list[Record], list[Problem]]:
    """Read a YAML file holding a list of mappings. Returns records and problems."""
    name = label or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return [], [Problem(name, None, None, None, f"file is not valid UTF-8 ({exc.reason} at byte {exc.start})")]
    except OSError as exc:
        return [], [Problem(name, None, None, None, f"cannot read file: {exc.strerror}")]
    try:
        root = yaml.compose(text, Loader=_NoTimestampLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        return [], [Problem(name, line, None, None, f"YAML syntax error: {exc.problem or exc.context}")]
    except yaml.YAMLError as exc:
        return [], [Problem(name, None, None, None, f"YAML error: {exc}")]
    if root is None:
        return [], []
    try:
        _check_node(root, set())
    except _Refused as exc:
        return [], [Problem(name, exc.line, None, None, str(exc))]
    except RecursionError:
        return [], [Problem(name, None, None, None, "YAML nesting is too deep")]
    if not isinstance(root, yaml.SequenceNode):
        return [], [Problem(name, root.start_mark.line + 1, None, None, "expected a list of records (lines starting with '- ')")]
    loader = _NoTimestampLoader("")
    records, problems = [], []
    for item in root.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            problems.append(Problem(name, line, None, None, "each list item must be a mapping of key: value"))
            continue
        try:
            data = loader.construct_document(item)
        except (yaml.YAMLError, ValueError, TypeError) as exc:
            problems.append(Problem(name, line, None, None, f"cannot read record: {exc}"))
            continue
        key_lines = {str(k.value): k.start_mark.line + 1 for k, _ in item.value}
        records.append(Record(data=data, file=name, line=line, key_lines=key_lines))
    loader.dispose()
    return records, problems
