"""`coder merge`, the codebook side: OTHER's coders matched by name, its codes by GUID and
then by name under their (matched) parent. What this project lacks is added; descriptions,
keywords and examples it lacks are filled in; where both differ, this project's stays and the
difference is noted as a conflict.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from coder.db.models import Code, Coder, new_guid, utcnow
from coder.db.upsert import insert_ignore
from coder.refi.model import RefiProject
from coder.services.codebook.transfer import code_row
from coder.services.project.store import Project
from coder.services.team.merge_report import MergeLog
from coder.vocab.dto import CodeSpec


class CoderMatcher:
    """OTHER's users as this project's coders, added on first use."""

    def __init__(
        self, s: Session, project: Project, proj: RefiProject, coder: str | None, log: MergeLog
    ) -> None:
        self.s, self.project, self.coder, self.log = s, project, coder, log
        self.users: dict[str, int] = {}
        self.names: dict[int, str] = {}
        self._default: int | None = None
        rows = list(s.execute(select(Coder.id, Coder.name, Coder.guid)))
        self.by_name = {name.lower(): cid for cid, name, _g in rows}
        self.guids = {g for _i, _n, g in rows}
        self.names.update({cid: name for cid, name, _g in rows})
        self.refi_users = {u.guid: u for u in proj.users}

    def default_coder(self) -> int:
        """Who coded what OTHER does not attribute: --coder, else the current coder."""
        if self._default is None:
            before = set(self.s.scalars(select(Coder.id)))
            self._default = self.project.coder_id(self.s, self.coder)
            name = self.s.scalar(select(Coder.name).where(Coder.id == self._default)) or ""
            self.names[self._default] = name
            if self._default not in before:
                self.log.note("coder", "add", name, "for what OTHER does not attribute")
        return self._default

    def user(self, guid: str | None) -> int:
        """The coder id for OTHER's user `guid` (added on first use), else the default coder."""
        u = self.refi_users.get(guid or "")
        if u is None:
            return self.default_coder()
        cid = self.users.get(u.guid)
        if cid is not None:
            return cid
        name = " ".join(u.name.split())[:200] or "unnamed"
        cid = self.by_name.get(name.lower())
        if cid is None:
            guid_ = u.guid if u.guid not in self.guids else new_guid()
            values = {"name": name, "guid": guid_, "created_at": utcnow()}
            cid = insert_ignore(self.s, Coder, values) or self.s.scalar(
                select(Coder.id).where(Coder.name == name)
            )
            assert cid is not None
            self.by_name[name.lower()] = cid
            self.names[cid] = name
            self.log.note("coder", "add", name)
        self.users[u.guid] = cid
        return cid


class CodeMerger:
    """OTHER's code tree onto this project's: `ids` maps OTHER's code GUIDs to ids here."""

    def __init__(self, s: Session, proj: RefiProject, log: MergeLog) -> None:
        self.s, self.proj, self.log = s, proj, log
        self.ids: dict[str, int] = {}
        self.coded = {c.code_guid for src in proj.sources for c in src.codings}

    def codes(self) -> None:
        rows = list(self.s.scalars(select(Code)))
        self.by_guid = {c.guid: c for c in rows}
        self.by_place = {(c.parent_id, c.name.lower()): c for c in rows}
        for spec in self.proj.codes:
            self.code(spec, None, spec.name)
        self.s.flush()
        self.guid_of = {row.id: guid for guid, row in self.by_guid.items()}

    def code(self, spec: CodeSpec, parent_id: int | None, path: str) -> None:
        row = self.by_guid.get(spec.guid or "")
        if row is not None:
            if row.parent_id != parent_id:
                self.log.note("code", "conflict", path, "placed elsewhere here; kept where it is")
            elif row.name != spec.name:
                self.log.note("code", "conflict", path, f"called {row.name!r} here; name kept")
        else:
            row = self.by_place.get((parent_id, spec.name.lower()))
        if row is None:
            siblings = [c for (p, _n), c in self.by_place.items() if p == parent_id]
            row = code_row(
                spec, spec.guid or new_guid(), parent_id, len(siblings), len(self.by_guid)
            )
            self.s.add(row)
            self.s.flush()
            self.by_guid[row.guid] = row
            self.by_place[(parent_id, row.name.lower())] = row
            self.log.note("code", "add", path)
        else:
            self.fill_code(row, spec, path)
        self.ids[spec.guid or ""] = row.id
        for child in spec.children:
            self.code(child, row.id, f"{path}/{child.name}")

    def fill_code(self, row: Code, spec: CodeSpec, path: str) -> None:
        note = self.log.note
        for name in ("description", "inclusion", "exclusion"):
            mine, theirs = (getattr(row, name) or "").strip(), getattr(spec, name).strip()
            if theirs and not mine:
                setattr(row, name, theirs)
                note("code", "change", path, f"{name} filled in")
            elif theirs and theirs != mine:
                note("code", "conflict", path, f"{name} differs; kept as here")
        for name in ("keywords", "examples"):
            mine_list = list(getattr(row, name) or [])
            extra = [k for k in getattr(spec, name) if k not in mine_list]
            if extra:
                setattr(row, name, mine_list + extra)
                note("code", "change", path, f"{len(extra)} {name} added")
        if not row.codable and spec.guid in self.coded:
            row.codable = True
            note("code", "change", path, "made codable (OTHER has codings of it)")
