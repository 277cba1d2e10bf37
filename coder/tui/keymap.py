"""Every key binding of the workspace, in one place.

The widgets and screens take their BINDINGS from here, the help screen prints these groups,
and the command palette offers every action listed here, so the three can never disagree.
Each binding has an id (so a researcher's keymap can rebind it) and a tooltip.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingType

# fmt: off
GLOBAL: list[Binding] = [
    Binding("q,ctrl+q", "quit", "Quit", id="app.quit", tooltip="Quit coder (everything is saved)"),
    Binding("f1,question_mark", "help", "Help", id="app.help",
            tooltip="Show every key and what it does"),
    Binding("ctrl+z", "undo", "Undo", id="app.undo", show=False,
            tooltip="Undo the last coding or codebook action"),
    Binding("ctrl+y", "redo", "Redo", id="app.redo", show=False,
            tooltip="Redo the action just undone"),
    Binding("f5,ctrl+r", "refresh", "Refresh", id="app.refresh", show=False,
            tooltip="Reload from the project (see another coder's changes)"),
    Binding("ctrl+t", "change_theme", "Theme", id="app.theme", show=False,
            tooltip="Choose a colour theme"),
]

WORKSPACE: list[Binding] = [
    Binding("1", "quick_code(1)", "Code", key_display="1-9", id="workspace.quick_1",
            tooltip="Apply quick code 1 (shown in the bar above the status line)"),
    *[Binding(str(n), f"quick_code({n})", f"Quick code {n}", show=False,
              id=f"workspace.quick_{n}", tooltip=f"Apply quick code {n} to the selection")
      for n in range(2, 10)],
    Binding("c", "find_code", "Find code", id="workspace.find_code",
            tooltip="Type part of a code's name and apply it to the selection"),
    Binding("x,delete", "uncode", "Uncode", id="workspace.uncode",
            tooltip="Remove a code from the selected passage"),
    Binding("m", "coding_memo", "Memo", id="workspace.coding_memo",
            tooltip="Write a memo on the coding under the cursor"),
    Binding("e", "exemplar", "Exemplar", id="workspace.exemplar", show=False,
            tooltip="Mark or unmark the coding under the cursor as an exemplar quote"),
    Binding("M", "source_memo", "Source memo", id="workspace.source_memo", show=False,
            tooltip="Write a memo on this transcript"),
    Binding("v", "retrieve_here", "Passages", id="workspace.retrieve", show=False,
            tooltip="List every passage coded with the code under the cursor"),
    Binding("slash,ctrl+f", "search", "Search", id="workspace.search",
            tooltip="Search every transcript (any form of the words)"),
    Binding("ctrl+e", "export", "Export…", id="workspace.export", show=False,
            tooltip="Export Table 1, Table 2, the codebook or the coded extracts (with a preview)"),
    Binding("ctrl+b", "toggle_sidebar", "Sidebar", id="workspace.sidebar", show=False,
            tooltip="Show or hide the sources and codebook sidebar"),
    Binding("f6", "toggle_suggestions", "Suggestions", id="workspace.suggestions", show=False,
            tooltip="Show or hide the suggestions panel"),
    Binding("y", "suggest_accept", "Accept", id="workspace.suggest_accept",
            tooltip="Accept the top suggestion: apply it to the selection (recorded as accepted)"),
    Binding("n", "suggest_reject", "Reject", id="workspace.suggest_reject",
            tooltip="Reject the top suggestion for the selection (the suggester learns from it)"),
    Binding("s", "focus_suggestions", "Suggestion list", id="workspace.suggest_list",
            show=False, tooltip="Go to the suggestions list to accept or reject any of them"),
    Binding("R", "review_source", "Review suggestions", id="workspace.review_source",
            show=False, tooltip="Review the passages the suggester would code in this transcript"),
    Binding("f2", "focus_sources", "Sources", id="workspace.focus_sources", show=False,
            tooltip="Go to the list of sources"),
    Binding("f3", "focus_codebook", "Codebook", id="workspace.focus_codebook", show=False,
            tooltip="Go to the codebook tree"),
    Binding("f4,escape", "focus_transcript", "Transcript", id="workspace.focus_transcript",
            show=False, tooltip="Go back to the transcript"),
    Binding("ctrl+pagedown", "next_source", "Next source", id="workspace.next_source",
            show=False, tooltip="Open the next transcript in the list"),
    Binding("ctrl+pageup", "previous_source", "Previous source", id="workspace.prev_source",
            show=False, tooltip="Open the previous transcript in the list"),
]

TRANSCRIPT: list[Binding] = [
    Binding("down,j", "sentence(1)", "Next sentence", show=False, id="transcript.next_sentence",
            tooltip="Select the next sentence"),
    Binding("up,k", "sentence(-1)", "Previous sentence", show=False,
            id="transcript.prev_sentence", tooltip="Select the previous sentence"),
    Binding("right_square_bracket", "turn(1)", "Next turn", show=False,
            id="transcript.next_turn", tooltip="Select the next speaker turn"),
    Binding("left_square_bracket", "turn(-1)", "Previous turn", show=False,
            id="transcript.prev_turn", tooltip="Select the previous speaker turn"),
    Binding("right_curly_bracket", "paragraph(1)", "Next paragraph", show=False,
            id="transcript.next_paragraph", tooltip="Select the next paragraph"),
    Binding("left_curly_bracket", "paragraph(-1)", "Previous paragraph", show=False,
            id="transcript.prev_paragraph", tooltip="Select the previous paragraph"),
    Binding("shift+down", "extend_sentence(1)", "Extend by sentence", show=False,
            id="transcript.extend_sentence", tooltip="Extend the selection by a sentence"),
    Binding("shift+up", "extend_sentence(-1)", "Shrink by sentence", show=False,
            id="transcript.shrink_sentence", tooltip="Shrink the selection by a sentence"),
    Binding("shift+right", "extend_word(1)", "Extend by word", show=False,
            id="transcript.extend_word", tooltip="Extend the selection by a word"),
    Binding("shift+left", "extend_word(-1)", "Shrink by word", show=False,
            id="transcript.shrink_word", tooltip="Shrink the selection by a word"),
    Binding("alt+left", "extend_start(1)", "Start earlier", show=False,
            id="transcript.start_earlier", tooltip="Move the selection's start back a word"),
    Binding("alt+right", "extend_start(-1)", "Start later", show=False,
            id="transcript.start_later", tooltip="Move the selection's start on a word"),
    Binding("pagedown", "page(1)", "Page down", show=False, id="transcript.page_down",
            tooltip="Scroll a page down and select the first sentence on it"),
    Binding("pageup", "page(-1)", "Page up", show=False, id="transcript.page_up",
            tooltip="Scroll a page up and select the first sentence on it"),
    Binding("home", "edge(-1)", "Start", show=False, id="transcript.home",
            tooltip="Go to the start of the transcript"),
    Binding("end", "edge(1)", "End", show=False, id="transcript.end",
            tooltip="Go to the end of the transcript"),
]

CODEBOOK: list[Binding] = [
    Binding("enter", "apply_tree_code", "Apply", id="codebook.apply",
            tooltip="Apply the highlighted code to the transcript selection"),
    Binding("a", "new_code", "New code", id="codebook.new",
            tooltip="Add a code beside the highlighted one"),
    Binding("A", "new_subcode", "New sub-code", id="codebook.new_child", show=False,
            tooltip="Add a sub-code under the highlighted code"),
    Binding("r", "rename_code", "Rename", id="codebook.rename",
            tooltip="Rename the highlighted code"),
    Binding("e", "edit_code", "Edit", id="codebook.edit",
            tooltip="Edit description, inclusion/exclusion criteria and colour"),
    Binding("o", "move_code", "Move", id="codebook.move", show=False,
            tooltip="Move the highlighted code under another code (or to the top)"),
    Binding("shift+up", "shift_code(-1)", "Move up", id="codebook.move_up", show=False,
            tooltip="Move the highlighted code up among its siblings"),
    Binding("shift+down", "shift_code(1)", "Move down", id="codebook.move_down", show=False,
            tooltip="Move the highlighted code down among its siblings"),
    Binding("g", "merge_code", "Merge", id="codebook.merge", show=False,
            tooltip="Merge the highlighted code into another (codings move)"),
    Binding("x,delete", "delete_code", "Delete", id="codebook.delete", show=False,
            tooltip="Delete the highlighted code and its codings (asks first)"),
    Binding("m", "code_memo", "Memo", id="codebook.memo", show=False,
            tooltip="Write a memo on the highlighted code"),
    Binding("v", "retrieve_code", "Passages", id="codebook.retrieve",
            tooltip="List every passage coded with the highlighted code"),
    Binding("p", "pin_code", "Pin 1-9", id="codebook.pin", show=False,
            tooltip="Give the highlighted code a quick-code number (or take it away)"),
    Binding("R", "review_code", "Review", id="codebook.review",
            tooltip="Review the passages the suggester would code with the highlighted code"),
]

SOURCES: list[Binding] = [
    Binding("M", "source_memo", "Source memo", id="sources.memo", show=False,
            tooltip="Write a memo on the highlighted transcript"),
]

RETRIEVAL: list[Binding] = [
    Binding("escape", "back", "Back", id="retrieval.back", tooltip="Back to the transcript"),
    Binding("enter", "jump", "Go to passage", id="retrieval.jump",
            tooltip="Open the passage in its transcript"),
    Binding("down,j", "move(1)", "Next", show=False, id="retrieval.next",
            tooltip="Next passage"),
    Binding("up,k", "move(-1)", "Previous", show=False, id="retrieval.prev",
            tooltip="Previous passage"),
    Binding("pagedown", "page(1)", "Page down", show=False, id="retrieval.page_down",
            tooltip="A page of passages down"),
    Binding("pageup", "page(-1)", "Page up", show=False, id="retrieval.page_up",
            tooltip="A page of passages up"),
    Binding("home", "edge(-1)", "First", show=False, id="retrieval.first",
            tooltip="First passage"),
    Binding("end", "edge(1)", "Last", show=False, id="retrieval.last", tooltip="Last passage"),
    Binding("e", "exemplar", "Exemplar", id="retrieval.exemplar",
            tooltip="Mark or unmark this passage as an exemplar quote"),
    Binding("m", "memo", "Memo", id="retrieval.memo", tooltip="Memo on this coding"),
    Binding("s", "toggle_subcodes", "Sub-codes", id="retrieval.subcodes",
            tooltip="Include or leave out passages coded with sub-codes"),
]

SEARCH: list[Binding] = [
    Binding("escape", "back", "Back", id="search.back", tooltip="Back to the transcript"),
    Binding("down", "focus_results", "Results", show=False, id="search.results",
            tooltip="Move into the list of hits"),
]

SUGGESTIONS: list[Binding] = [
    Binding("enter,y", "accept", "Accept", id="suggestions.accept",
            tooltip="Apply the highlighted suggestion to the selection (recorded as accepted)"),
    Binding("n,backspace,delete", "reject", "Reject", id="suggestions.reject",
            tooltip="Reject the highlighted suggestion (recorded; the suggester learns from it)"),
]

REVIEW: list[Binding] = [
    Binding("escape", "back", "Back", id="review.back", tooltip="Back to the transcript"),
    Binding("y", "accept", "Accept", id="review.accept",
            tooltip="Apply the code to the highlighted passage (recorded as accepted)"),
    Binding("n", "reject", "Reject", id="review.reject",
            tooltip="Leave the highlighted passage uncoded (recorded; the suggester learns)"),
    Binding("enter", "jump", "Go to passage", id="review.jump",
            tooltip="Open the highlighted passage in its transcript"),
    Binding("j", "move(1)", "Next", show=False, id="review.next", tooltip="Next passage"),
    Binding("k", "move(-1)", "Previous", show=False, id="review.prev",
            tooltip="Previous passage"),
]

DIALOG: list[Binding] = [
    Binding("escape", "cancel", "Cancel", id="dialog.cancel",
            tooltip="Close; with unsaved changes, asks whether to save them"),
    Binding("ctrl+s", "save", "Save", id="dialog.save", tooltip="Save and close"),
]

EXPORT: list[Binding] = [
    Binding("escape", "close", "Close", id="export.close", tooltip="Close without exporting"),
    Binding("ctrl+s", "export", "Export", id="export.write",
            tooltip="Write the file (and remember the columns for the next export)"),
]

EXPORT_COLUMNS: list[Binding] = [
    Binding("space", "toggle_column", "Tick", id="export.toggle_column",
            tooltip="Put the highlighted column in the table, or take it out"),
    Binding("shift+up", "move_column(-1)", "Move up", id="export.column_up",
            tooltip="Move the highlighted column to the left in the table"),
    Binding("shift+down", "move_column(1)", "Move down", id="export.column_down",
            tooltip="Move the highlighted column to the right in the table"),
]

# fmt: on

GROUPS: list[tuple[str, list[Binding]]] = [
    ("Everywhere", GLOBAL),
    ("Workspace", WORKSPACE),
    ("Transcript", TRANSCRIPT),
    ("Codebook tree", CODEBOOK),
    ("Sources list", SOURCES),
    ("Passages of a code", RETRIEVAL),
    ("Search", SEARCH),
    ("Suggestions list (s)", SUGGESTIONS),
    ("Reviewing suggestions (R)", REVIEW),
    ("Memo and code dialogs", DIALOG),
    ("Export dialog (Ctrl+E)", [*EXPORT, *EXPORT_COLUMNS]),
]


def keys(bindings: list[Binding]) -> list[BindingType]:
    """A group as a widget's BINDINGS."""
    out: list[BindingType] = [*bindings]
    return out


def on_screen(bindings: list[Binding]) -> list[BindingType]:
    """The same bindings, with actions run by the screen (for widgets inside it)."""
    return keys([replace(b, action=f"screen.{b.action}") for b in bindings])
