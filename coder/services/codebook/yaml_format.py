"""The human-editable YAML codebook format kept in codebooks/.

A codebook file holds a title, a description and a tree of codes, each with its definition,
inclusion and exclusion criteria, keywords, examples, colour and GUID. Researchers edit these by
hand between studies, so loading is strict about shape but forgiving about style (a single
keyword string, a missing colour), and every problem is one line naming the file and the code.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from coder.errors import UserError
from coder.files import read_capped
from coder.services.codebook.yaml_load import YamlShapeError, load_yaml
from coder.vocab.codebook_limits import MAX_CODES, MAX_NAME_CHARS, MAX_TEXT_CHARS, too_long_name
from coder.vocab.dto import Codebook, CodeSpec

MAX_CODEBOOK_BYTES = 5 * 1024 * 1024
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_FIELDS = {
    "name",
    "guid",
    "color",
    "colour",
    "description",
    "inclusion",
    "exclusion",
    "keywords",
    "examples",
    "children",
    "codable",
    "memo",
}


class CodebookFileError(UserError):
    """A user-facing problem with a codebook file (one line)."""

    located = False


def _text(value: Any, where: str, field: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
        raise CodebookFileError(f"{where}: {field} longer than {MAX_TEXT_CHARS} characters")
    if isinstance(value, str | int | float):
        return " ".join(str(value).split()) if field != "description" else str(value).strip()
    raise CodebookFileError(f"{where}: {field} must be text")


def _texts(value: Any, where: str, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [v for v in re.split(r"[,;]\s*", value)] if field == "keywords" else [value]
    if not isinstance(value, list):
        raise CodebookFileError(f"{where}: {field} must be a list")
    return tuple(" ".join(str(v).split()) for v in value if str(v).strip())


def _guid(value: Any, where: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return str(uuid.UUID(str(value))).lower()
    except ValueError as exc:
        raise CodebookFileError(f"{where}: guid {value!r} is not a GUID") from exc


@contextmanager
def _at(line: int | None) -> Iterator[None]:
    """Prefix a problem with the line of the code it was found in (innermost code wins)."""
    try:
        yield
    except CodebookFileError as exc:
        if line is None or exc.located:
            raise
        located = CodebookFileError(f"line {line}: {exc}")
        located.located = True
        raise located from exc


def _code(raw: Any, path: str, seen: set[str]) -> CodeSpec:
    with _at(getattr(raw, "line", None)):
        return _code_fields(raw, path, seen)


def _code_fields(raw: Any, path: str, seen: set[str]) -> CodeSpec:
    if not isinstance(raw, dict):
        raise CodebookFileError(f"{path}: each code must be a mapping with at least a name")
    name = _text(raw.get("name"), path, "name")
    if not name:
        raise CodebookFileError(f"{path}: a code has no name")
    if len(name) > MAX_NAME_CHARS:
        raise CodebookFileError(too_long_name(len(name)))
    where = f"{path}/{name}" if path != "codes" else name
    unknown = set(raw) - _FIELDS
    if unknown:
        raise CodebookFileError(f"code {where!r}: unknown field {sorted(unknown)[0]!r}")
    guid = _guid(raw.get("guid"), f"code {where!r}")
    if guid is not None:
        if guid in seen:
            raise CodebookFileError(f"code {where!r}: guid {guid} is used twice")
        seen.add(guid)
    color = raw.get("color", raw.get("colour"))
    if color is not None and not _HEX.match(str(color)):
        raise CodebookFileError(f"code {where!r}: colour {color!r} is not #rrggbb")
    children_raw = raw.get("children") or []
    if not isinstance(children_raw, list):
        raise CodebookFileError(f"code {where!r}: children must be a list")
    names = [c.get("name") for c in children_raw if isinstance(c, dict)]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup:
        raise CodebookFileError(f"code {where!r}: two sub-codes are named {dup!r}")
    codable = raw.get("codable", True)
    if not isinstance(codable, bool):
        raise CodebookFileError(f"code {where!r}: codable must be true or false")
    return CodeSpec(
        name=name,
        guid=guid,
        color=str(color).lower() if color else None,
        description=_text(raw.get("description"), where, "description"),
        inclusion=_text(raw.get("inclusion"), where, "inclusion"),
        exclusion=_text(raw.get("exclusion"), where, "exclusion"),
        keywords=_texts(raw.get("keywords"), where, "keywords"),
        examples=_texts(raw.get("examples"), where, "examples"),
        codable=codable,
        children=tuple(_code(c, where, seen) for c in children_raw),
    )


def parse_codebook(text: str, origin: str = "codebook") -> Codebook:
    """Parse YAML text into a Codebook, or raise CodebookFileError."""
    try:
        data = load_yaml(text)
    except YamlShapeError as exc:
        raise CodebookFileError(f"{origin}: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise CodebookFileError(f"{origin}: {problem}{where}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        raise CodebookFileError(f"{origin}: not a coder codebook (needs a 'codes:' list)")
    try:
        if len(data["codes"]) > MAX_CODES:
            raise CodebookFileError(f"more than {MAX_CODES} codes")
        codes = tuple(_code(c, "codes", set()) for c in data["codes"])
        if sum(len(c.walk()) for c in codes) > MAX_CODES:
            raise CodebookFileError(f"more than {MAX_CODES} codes")
        seen: set[str] = set()
        for spec in (s for c in codes for s in c.walk()):
            if spec.guid and spec.guid in seen:
                raise CodebookFileError(f"code {spec.name!r}: guid {spec.guid} is used twice")
            if spec.guid:
                seen.add(spec.guid)
    except CodebookFileError as exc:
        raise CodebookFileError(f"{origin}: {exc}") from exc
    return Codebook(
        title=_text(data.get("codebook") or data.get("title") or "", origin, "codebook"),
        description=_text(data.get("description"), origin, "description"),
        reference=_text(data.get("reference"), origin, "reference"),
        codes=codes,
    )


def load_codebook(path: str | Path) -> Codebook:
    """Read a YAML codebook file."""
    p = Path(path)
    data = read_capped(p, MAX_CODEBOOK_BYTES, CodebookFileError)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodebookFileError(f"{p}: not UTF-8 text") from exc
    return parse_codebook(text, str(p))


class _Dumper(yaml.SafeDumper):
    pass


def _str_rep(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = ">" if len(value) > 70 and "\n" not in value else ("|" if "\n" in value else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_rep)


def _spec_dict(spec: CodeSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"name": spec.name, "guid": spec.guid}
    if spec.color:
        out["color"] = spec.color
    if not spec.codable:
        out["codable"] = False
    out.update(
        description=spec.description,
        inclusion=spec.inclusion,
        exclusion=spec.exclusion,
        keywords=list(spec.keywords),
        examples=list(spec.examples),
    )
    if spec.children:
        out["children"] = [_spec_dict(c) for c in spec.children]
    return out


def dump_codebook(book: Codebook) -> str:
    """YAML text for a codebook, in the same shape researchers write by hand."""
    header = (
        "# coder codebook. Edit freely: keep each guid as it is so re-importing merges\n"
        "# into the same codes instead of creating new ones.\n"
    )
    data: dict[str, Any] = {"codebook": book.title or "Codebook"}
    if book.description:
        data["description"] = book.description
    if book.reference:
        data["reference"] = book.reference
    data["codes"] = [_spec_dict(c) for c in book.codes]
    body = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88, default_flow_style=None
    )
    return header + body
