"""Where the export dialog saves: format, path, the default file beside the project, checks.

The path field and the format buttons follow each other (typing "x.csv" picks CSV; picking
Markdown turns "table1.docx" into "table1.md"); another kind of export gets its own file name
in the same folder; and a path that cannot be written is refused with one line before anything
is written. Relative paths are taken from the project file's folder, where the default file
goes too.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, RadioButton, RadioSet

from coder.errors import UserError
from coder.export.formats import FORMATS, SUFFIXES


class TargetError(UserError):
    """A path the dialog cannot save to (one line)."""


def project_folder(target: str) -> Path:
    """The folder of the project file (the working folder for a database URL)."""
    if "://" in target:
        return Path.cwd()
    return Path(target).expanduser().resolve().parent


def format_of(text: str) -> str | None:
    """The format a file name's extension names, if any ("docx", "csv", ...)."""
    return SUFFIXES.get(Path(text.strip()).suffix.lower())


def with_format(text: str, fmt: str) -> str:
    """The path with the extension of `fmt` (added, or replacing a known one)."""
    text = text.strip()
    if not text:
        return text
    p = Path(text)
    if p.suffix.lower() in SUFFIXES:
        return str(p.with_suffix(f".{fmt}"))
    if not p.suffix:
        return f"{text}.{fmt}"
    return text


def sibling(text: str, name: str, default: Path) -> str:
    """`name` in the folder of the path typed so far (or in `default` when nothing is typed)."""
    text = text.strip()
    return str((Path(text).parent if text else default) / name)


def resolve_target(text: str, fmt: str, allowed: tuple[str, ...], folder: Path) -> Path:
    """The file to write, or TargetError naming what is wrong with it.

    Args:
        text: What the researcher typed.
        fmt: The chosen format; a name without an extension gets its extension.
        allowed: The formats this export can be written in.
        folder: Where a relative path starts (the project's folder).
    """
    text = text.strip()
    if not text:
        raise TargetError("give a file name to save to")
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = folder / path
    if path.is_dir():
        raise TargetError(f"{path} is a folder: add a file name, e.g. {path / ('export.' + fmt)}")
    suffix = path.suffix.lower()
    named = SUFFIXES.get(suffix)
    if not suffix:
        path = path.with_name(f"{path.name}.{fmt}")
    elif named is None or named not in allowed:
        kinds = ", ".join(f".{f}" for f in allowed)
        raise TargetError(f"{path.name}: cannot save as {suffix}; use {kinds}")
    elif named != fmt:
        raise TargetError(f"{path.name}: the extension says {named} but the format is {fmt}")
    if not path.parent.is_dir():
        raise TargetError(f"{path}: folder {path.parent} does not exist")
    return path


class ExportTarget(Vertical):
    """The format buttons and the path field, kept in step with each other."""

    def __init__(self, path: str, fmt: str = "docx", *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.fmt = fmt
        self._path = path
        self.formats: tuple[str, ...] = FORMATS
        self.folder = Path(path).parent

    def compose(self) -> ComposeResult:
        with Horizontal(classes="export-row"):
            yield Label("Format")
            with RadioSet(id="export-format"):
                for f in FORMATS:
                    yield RadioButton(f".{f}", value=f == self.fmt, id=f"export-fmt-{f}")
        with Horizontal(classes="export-row"):
            yield Label("Save as")
            yield Input(self._path, id="export-path", compact=True)

    @property
    def path_text(self) -> str:
        return self.query_one("#export-path", Input).value

    def set_kind(self, stem: str, formats: tuple[str, ...], last: str | None = None) -> None:
        """Another kind of export: the formats it can take, and where it was last saved (or
        its default file name in the same folder)."""
        path = self.query_one("#export-path", Input)
        fmt = self.fmt if self.fmt in formats else formats[0]
        if last is not None:
            fmt = format_of(last) or fmt
        path.value = last or sibling(path.value, f"{stem}.{fmt}", self.folder)
        self.formats = formats
        for f in FORMATS:
            self.query_one(f"#export-fmt-{f}", RadioButton).disabled = f not in formats
        self.set_format(fmt)

    def set_format(self, fmt: str) -> None:
        self.fmt = fmt
        button = self.query_one(f"#export-fmt-{fmt}", RadioButton)
        if not button.value:
            button.value = True
        path = self.query_one("#export-path", Input)
        new = with_format(path.value, fmt)
        if new != path.value:
            path.value = new

    @on(RadioSet.Changed, "#export-format")
    def _format(self, event: RadioSet.Changed) -> None:
        fmt = (event.pressed.id or "").removeprefix("export-fmt-")
        if fmt != self.fmt and fmt in self.formats:
            self.set_format(fmt)

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        fmt = format_of(event.value)
        if fmt is not None and fmt != self.fmt and fmt in self.formats:
            self.fmt = fmt
            self.query_one(f"#export-fmt-{fmt}", RadioButton).value = True
