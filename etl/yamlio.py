"""Read annotation YAML safely, keeping the line of every record and field.

Only plain YAML is accepted: no anchors or aliases, no explicit tags, no duplicate
keys. Every problem becomes a `Problem` naming the file and line instead of a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from etl import files
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


_STANDARD_TAGS = {"tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


class _Refused(Exception):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is ~10x faster when present


class _NoTimestampLoader(_BaseLoader):  # type: ignore[valid-type,misc]  # chosen at import time
    """Safe loader that keeps dates as the strings the annotator wrote."""


_NoTimestampLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_text(path: Path, label: str | None = None) -> tuple[str | None, list[Problem]]:
    """The text of an annotation file, or a problem. Every annotation file is read here."""
    name = label or str(path)
    try:
        return files.read_text(path), []  # only regular files inside data/, never past the size limit
    except files.UnsafeFile as exc:
        return None, [Problem(name, None, None, None, str(exc))]
    except UnicodeDecodeError as exc:
        return None, [Problem(name, None, None, None, f"file is not valid UTF-8 ({exc.reason} at byte {exc.start})")]
    except OSError as exc:
        return None, [Problem(name, None, None, None, f"cannot read file: {exc.strerror}")]


def read_records(path: Path, label: str | None = None) -> tuple[list[Record], list[Problem]]:
    """Read a YAML file holding a list of mappings (rates.yml). Returns records and problems."""
    name = label or str(path)
    text, problems = read_text(path, name)
    if text is None:
        return [], problems
    root, problems = _parse(text, name, _record_list)
    return root or [], problems


def read_record(
    path: Path, label: str | None = None, list_key: str | None = None
) -> tuple[Record | None, list[Record], list[Problem]]:
    """Read a YAML file holding one mapping (a source's or an entity's file).

    With `list_key` ("facts"), that key's value is read as a list of records of its own, kept
    out of the returned record. Returns (the record, the listed records, problems)."""
    name = label or str(path)
    text, problems = read_text(path, name)
    if text is None:
        return None, [], problems
    root, problems = _parse(text, name, lambda start, events, n: _one_record(start, events, n, list_key))
    record, listed = root or (None, [])
    return record, listed, problems


def read_document(path: Path, label: str | None = None) -> tuple[object, list[Problem]]:
    """Read any YAML file under the same rules (units.yml, `etl fmt`): plain dicts, lists and scalars."""
    name = label or str(path)
    text, problems = read_text(path, name)
    if text is None:
        return None, problems
    return parse_document(text, name)


def parse_document(text: str, name: str) -> tuple[object, list[Problem]]:
    """YAML text read under the annotation rules into plain values; None and problems if refused."""
    return _parse(text, name, lambda start, events, n: (_value(start, events), []))


def _parse(text: str, name: str, read_root):
    """Run `read_root(first event, events, name) -> (value, problems)` over one YAML document."""
    try:
        return _document(yaml.parse(text, Loader=_NoTimestampLoader), name, read_root)
    except _Refused as exc:
        return None, [Problem(name, exc.line, None, None, str(exc))]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        return None, [Problem(name, line, None, None, f"YAML syntax error: {exc.problem or exc.context}")]
    except yaml.YAMLError as exc:
        # a ReaderError (a control character, say) knows the offset but not the line
        position = getattr(exc, "position", None)
        line = text.count("\n", 0, position) + 1 if isinstance(position, int) else None
        return None, [Problem(name, line, None, None, f"YAML error: {str(exc).splitlines()[0]}")]
    except RecursionError:
        return None, [Problem(name, None, None, None, "YAML nesting is too deep")]


# Reading straight from parser events: libyaml parses, and one pass here checks every
# construct and builds plain dicts and lists. It is several times faster than composing a
# node tree and constructing it, which matters at 100k facts.


def _line(event) -> int:
    return event.start_mark.line + 1


def _document(events, name: str, read_root):
    event = next(events)  # StreamStart
    event = next(events)
    if isinstance(event, yaml.StreamEndEvent):
        return None, []
    event = next(events)  # the root node, after DocumentStart
    root, problems = read_root(event, events, name)
    if not isinstance(next(events), yaml.DocumentEndEvent):
        raise _Refused("only one YAML document is allowed per file", _line(event))
    if isinstance(next(events), yaml.DocumentStartEvent):
        raise _Refused("only one YAML document is allowed per file", _line(event))
    return root, problems


def _record_list(event, events, name: str) -> tuple[list[Record], list[Problem]]:
    if not isinstance(event, yaml.SequenceStartEvent):
        _value(event, events)  # reads (and checks) the whole root
        return [], [Problem(name, _line(event), None, None, "expected a list of records (lines starting with '- ')")]
    _check(event)
    records, problems = [], []
    for item in events:
        if type(item) is yaml.SequenceEndEvent:
            break
        if not isinstance(item, yaml.MappingStartEvent):
            _value(item, events)
            problems.append(Problem(name, _line(item), None, None, "each list item must be a mapping of key: value"))
            continue
        data, key_lines = _mapping(item, events)
        records.append(Record(data=data, file=name, line=_line(item), key_lines=key_lines))
    return records, problems


def _one_record(event, events, name: str, list_key: str | None):
    """The root mapping as a record; the value of `list_key` read as a list of records apart."""
    if not isinstance(event, yaml.MappingStartEvent):
        _value(event, events)  # reads (and checks) the whole root
        shape = "a list" if isinstance(event, yaml.SequenceStartEvent) else "a single value"
        return None, [
            Problem(name, _line(event), None, None, f"expected one record (lines of key: value), not {shape}")
        ]
    listed: list[Record] = []
    problems: list[Problem] = []

    def read_value(key, value_event):
        if key != list_key:
            return _value(value_event, events)
        if isinstance(value_event, yaml.SequenceStartEvent):
            records, more = _record_list(value_event, events, name)
            listed.extend(records)
            problems.extend(more)
        elif _value(value_event, events) is not None:  # `facts:` with nothing under it is no records yet
            problems.append(
                Problem(
                    name,
                    _line(value_event),
                    None,
                    list_key,
                    f"{list_key} must be a list of records (lines starting with '- ')",
                )
            )
        return None

    data, key_lines = _mapping(event, events, read_value)
    data.pop(list_key, None)
    return (Record(data=data, file=name, line=_line(event), key_lines=key_lines), listed), problems


def _check(event) -> None:
    if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
        raise _Refused("anchors and aliases (&, *) are not allowed in annotations", _line(event))
    if event.tag is not None and event.tag not in _STANDARD_TAGS:
        raise _Refused(f"the YAML tag {event.tag!r} is not allowed", _line(event))


def _mapping(start, events, read_value=None) -> tuple[dict, dict[str, int]]:
    _check(start)
    data: dict = {}
    lines: dict[str, int] = {}
    for key_event in events:
        if type(key_event) is _MAP_END:
            return data, lines
        key = _value(key_event, events)
        line = _line(key_event)
        if key == "<<" or key_event.tag == "tag:yaml.org,2002:merge":
            raise _Refused("merge keys (<<) are not allowed in annotations", line)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise _Refused("a key must be a plain value, not a list or mapping", line)
        k = str(key)
        if k in lines:
            raise _Refused(f"duplicate key {k!r} (first at line {lines[k]})", line)
        lines[k] = line
        data[key] = read_value(key, next(events)) if read_value else _value(next(events), events)
    return data, lines


_MAP_END, _SEQ_END, _SCALAR = yaml.MappingEndEvent, yaml.SequenceEndEvent, yaml.ScalarEvent


# Annotations are plain text: tabs and newlines, but no other control character (NUL, ESC,
# CR, C1...). Only a double-quoted escape ("\0", "\e", "\x1b") can put one in a value.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _text(event) -> str:
    found = _CONTROL.search(event.value)
    if found:
        raise _Refused(
            f"control character {found.group()!r} in text (only tabs and newlines are allowed)", _line(event)
        )
    return event.value


def _value(event, events):
    if type(event) is _SCALAR and event.anchor is None and event.tag is None:  # the common case, fast
        if not event.implicit[0]:
            return _text(event)
        return _scalar(event)
    _check(event)
    if isinstance(event, yaml.ScalarEvent):
        return _scalar(event)
    if isinstance(event, yaml.SequenceStartEvent):
        items: list = []
        for item in events:
            if type(item) is _SEQ_END:
                return items
            items.append(_value(item, events))
    if isinstance(event, yaml.MappingStartEvent):
        return _mapping(event, events)[0]
    raise _Refused(f"unexpected YAML event {type(event).__name__}", _line(event))


_STR = "tag:yaml.org,2002:str"
_RESOLVERS = _NoTimestampLoader.yaml_implicit_resolvers
_CONSTRUCTOR = _NoTimestampLoader("")


def _scalar(event):
    tag = event.tag
    if tag is None:
        if not event.implicit[0]:  # quoted: always a string
            return _text(event)
        tag = _STR
        for candidate, pattern in _RESOLVERS.get(event.value[:1], ()):
            if pattern.match(event.value):
                tag = candidate
                break
    if tag == _STR:
        return _text(event) if event.style else event.value  # a plain scalar cannot hold a control character
    if tag == "tag:yaml.org,2002:merge":
        raise _Refused("merge keys (<<) are not allowed in annotations", _line(event))
    if tag in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
        raise _Refused(f"the YAML tag {tag!r} does not fit a plain value", _line(event))
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
    try:
        return _CONSTRUCTOR.construct_object(node, deep=True)
    except Exception as exc:
        # PyYAML's scalar constructors fail in many ways on a hostile explicit tag: `!!bool x`
        # is a KeyError, `!!int ""` an IndexError, `!!timestamp x` an AttributeError.
        why = f": {exc}" if isinstance(exc, ValueError) else ""
        raise _Refused(
            f"cannot read value {event.value[:40]!r} as {tag.rsplit(':', 1)[-1]}{why}", _line(event)
        ) from None
