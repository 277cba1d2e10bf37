"""Loading codebook YAML safely: no aliases, bounded nesting, and a line number for every code.

PyYAML's `safe_load` still expands aliases (a 1.7 KB "billion laughs" file grows without end,
and an alias cycle recurses until RecursionError), recurses once per nesting level, and happily
accepts an unclosed quote that swallows the fields after it. This module scans the event stream
first (iteratively, so depth costs nothing) and refuses all of that with the line it happened
on; then it builds the data with mappings that remember their line, so the codebook reader can
name the line of a code it refuses.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from coder.errors import UserError
from coder.vocab.codebook_limits import MAX_CODE_DEPTH, too_deep

# root mapping > codes list > code mapping > children list > code mapping ... > keywords list
_MAX_EVENT_DEPTH = 2 * MAX_CODE_DEPTH + 2
_KEY_COLUMN = re.compile(r"^[ -]*")


class YamlShapeError(UserError):
    """A codebook YAML problem found before building the data (one line, with its line)."""


class LineDict(dict[Any, Any]):
    """A YAML mapping that knows the line it starts on (1-based)."""

    line: int = 0


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> Any:
    data = LineDict()
    data.line = node.start_mark.line + 1
    yield data
    data.update(loader.construct_mapping(node))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)


def _scan(text: str) -> None:
    lines = text.splitlines()
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        assert event.start_mark is not None and event.end_mark is not None
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlShapeError(f"line {line}: anchors and aliases (& and *) are not allowed")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > _MAX_EVENT_DEPTH:
                raise YamlShapeError(f"line {line}: {too_deep(depth)}")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent) and event.style in ('"', "'"):
            # YAML wants the continuation lines of a quoted text indented past its key; PyYAML
            # does not check, so an unclosed quote silently swallows the fields that follow.
            first = event.start_mark.line
            key_column = _KEY_COLUMN.match(lines[first]).end()  # type: ignore[union-attr]
            inner = [row for row in lines[first + 1 : event.end_mark.line + 1] if row.strip()]
            if any(len(row) - len(row.lstrip(" ")) <= key_column for row in inner):
                raise YamlShapeError(
                    f"line {line}: the quote opened on this line is not closed on it"
                )


def load_yaml(text: str) -> Any:
    """The data in `text`, or YamlShapeError / yaml.YAMLError naming the line."""
    _scan(text)
    return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
