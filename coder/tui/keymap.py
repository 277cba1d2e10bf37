"""Every key binding of the workspace, in one place: the table in keymap.yaml.

The widgets and screens take their BINDINGS from here, the help screen prints these groups,
and the command palette offers every action listed here, so the three can never disagree.
Each binding has an id (so a researcher's keymap can rebind it) and a tooltip. The table is
data rather than code so that adding a key is adding a line.
"""

from __future__ import annotations

from dataclasses import replace
from importlib.resources import files
from typing import Any

import yaml
from textual.binding import Binding, BindingType


def _load() -> dict[str, list[Binding]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    table: dict[str, list[dict[str, Any]]] = yaml.load(
        files("coder.tui").joinpath("keymap.yaml").read_text(encoding="utf-8"), Loader=loader
    )
    return {
        group: [
            Binding(
                row["key"],
                row["action"],
                row["description"],
                show=row.get("show", True),
                key_display=row.get("key_display"),
                id=row["id"],
                tooltip=row["tooltip"],
            )
            for row in rows
        ]
        for group, rows in table.items()
    }


_TABLE = _load()
(
    GLOBAL, WORKSPACE, TRANSCRIPT, CODEBOOK, SOURCES, RETRIEVAL,
    SEARCH, SUGGESTIONS, REVIEW, DIALOG, EXPORT, EXPORT_COLUMNS, MEMOS,
) = (
    _TABLE[group] for group in (
        "global", "workspace", "transcript", "codebook", "sources", "retrieval",
        "search", "suggestions", "review", "dialog", "export", "export_columns", "memos",
    )
)  # fmt: skip
MATRIX, COOCCUR, QUERY, WORDS, DRILL, CHART = (
    _TABLE[g] for g in ("matrix", "cooccur", "query", "words", "drill", "chart")
)
FRAMEWORK = _TABLE["framework"]
SEARCH_HITS = _TABLE["search_hits"]

GROUPS: list[tuple[str, list[Binding]]] = [
    ("Everywhere", GLOBAL),
    ("Workspace", WORKSPACE),
    ("Transcript", TRANSCRIPT),
    ("Codebook tree", CODEBOOK),
    ("Sources list", SOURCES),
    ("Passages of a code", RETRIEVAL),
    ("Search", SEARCH),
    ("Search hits", SEARCH_HITS),
    ("Suggestions list (s)", SUGGESTIONS),
    ("Reviewing suggestions (R)", REVIEW),
    ("Memo and code dialogs", DIALOG),
    ("Memos (F12)", MEMOS),
    ("Export dialog (Ctrl+E)", [*EXPORT, *EXPORT_COLUMNS]),
]
GROUPS += [
    ("Code matrix (F7)", MATRIX),
    ("Co-occurrence (F8)", COOCCUR),
    ("Coding query (F9)", QUERY),
    ("Word frequency (F10)", WORDS),
    ("Framework matrix (F11)", FRAMEWORK),
    ("Passages of a cell", DRILL),
    ("Charts", CHART),
]


def keys(bindings: list[Binding]) -> list[BindingType]:
    """A group as a widget's BINDINGS."""
    out: list[BindingType] = [*bindings]
    return out


def on_screen(bindings: list[Binding]) -> list[BindingType]:
    """The same bindings, with actions run by the screen (for widgets inside it)."""
    return keys([replace(b, action=f"screen.{b.action}") for b in bindings])


# Team coding (issue 11): its workspace keys act in the workspace, and its screens have theirs.
TEAM, AGREEMENT, DISAGREEMENTS = (_TABLE[g] for g in ("team", "agreement", "disagreements"))
WORKSPACE.extend(TEAM)
GROUPS.extend([("Agreement (K)", AGREEMENT), ("Disagreements (D)", DISAGREEMENTS)])
