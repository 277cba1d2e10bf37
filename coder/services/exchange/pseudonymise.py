"""`coder pseudonymise`: a shareable copy of a project with every known name replaced.

The original project is never modified. The review (`plan_pseudonymisation`) reads it and lists
every replacement; the copy (`write_pseudonymised`) is made by copying the project file to a
private working file beside the output and rewriting that (texts, turns and their speakers,
codings and their snippets and memos, suggestion decisions, participants, organisations,
attribute values, memos, codes), dropping what could carry a name unseen (trained suggestion
models, the names list). `VACUUM INTO` then writes a compact file, so that no page of the shared
file still holds an original text, and that file is renamed to the output: the output appears
whole or not at all, and a failure leaves nothing beside it.

The working file is nobody's project, so it need not change in one transaction: its sources
are rewritten about BATCH_CHARS of text per transaction. One transaction over a 10M-word study
kept every changed page in the write-ahead log until the end (a second copy of the study on
disk); batches let SQLite fold the log back into the file as it goes. The key
(name -> pseudonym) is returned for the caller to write to a separate file; it never enters the
copy.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, event, func, select, update
from sqlalchemy.orm import Session

from coder.db.bulk import bulk_cache
from coder.db.models import (
    Attribute,
    AttributeValue,
    Case,
    Code,
    CodingTombstone,
    FrameworkCell,
    LemmaCache,
    Memo,
    ModelBlob,
    Organisation,
    Setting,
    Source,
    SourceMedia,
)
from coder.errors import UserError
from coder.ingest.pseudonym import replace
from coder.ingest.pseudonym_find import NameFinder
from coder.services.exchange.pseudonym_sources import rewrite_source, source_names
from coder.services.exchange.pseudonym_terms import NAME_ATTRIBUTES, gather_terms
from coder.services.project.settings import Key, read
from coder.services.project.store import Project
from coder.vocab.pseudonym import Hit, PseudonymPlan, Replacement, Term

_SEPARATORS = re.compile(r"[._\-]")
BATCH_CHARS = 4_000_000  # source text rewritten per transaction of the working copy

__all__ = ["PseudonymOptions", "key_csv", "plan_pseudonymisation", "write_pseudonymised"]


@dataclass(frozen=True)
class PseudonymOptions:
    """What the researcher excluded, and whether to use the trained pipeline in nlp.model."""

    keep: tuple[str, ...] = ()  # names never replaced (any case)
    keep_at: tuple[tuple[str, int], ...] = ()  # single replacements kept: (where, offset)
    use_model: bool = True


class _Run:
    """One pass over the project: finds, filters and records replacements."""

    def __init__(self, s: Session, options: PseudonymOptions) -> None:
        self.options = options
        self.terms = gather_terms(s)
        kept = {k.casefold() for k in options.keep}
        self.exact = {n: t for n, t in self.terms.items() if n.casefold() not in kept}
        self.model = read(s, Key.NLP_MODEL, "").strip() if options.use_model else ""
        self.finder = NameFinder(list(self.exact.values()), self.model, options.keep)
        self.keep_at = set(options.keep_at)
        self.kept_at: set[tuple[str, int]] = set()  # the keep_at places that were met
        self.replacements: list[Replacement] = []
        self.used: Counter[tuple[str, str, str]] = Counter()

    def _record(self, where: str, hits: Iterable[Hit]) -> list[Hit]:
        chosen = []
        for h in hits:
            if (where, h.start) in self.keep_at:
                self.kept_at.add((where, h.start))
                continue
            chosen.append(h)
            self.replacements.append(Replacement(where, h.start, h.original, h.pseudonym, h.reason))
            self.used[(h.original, h.pseudonym, h.reason)] += 1
        return chosen

    def text(
        self, where: str, text: str, *, file: bool = False, apply: bool = True
    ) -> tuple[str, list[Hit]]:
        """`text` pseudonymised (unless not `apply`), with the hits recorded. With `file`, names
        are looked for as if "._-" were spaces ("Helen_Ward.txt"), the characters kept."""
        if not text:
            return text, []
        seen = _SEPARATORS.sub(" ", text) if file else text
        found = self.finder.find(seen)
        if file:
            found = [Hit(h.start, h.end, text[h.start : h.end], h.pseudonym, h.reason)
                     for h in found]  # fmt: skip
        hits = self._record(where, found)
        return (replace(text, hits)[0] if hits and apply else text), hits

    def rewrite(self, where: str, text: str) -> tuple[str, Callable[[int, int], tuple[int, int]]]:
        """`text` pseudonymised, and the function that moves a span of it to the new text."""
        hits = self.text(where, text, apply=False)[1]
        if not hits:
            return text, lambda start, end: (start, end)
        new_text, mapping = replace(text, hits)
        return new_text, mapping.span

    def whole(self, where: str, value: str) -> str:
        """A field that is a name as a whole (a speaker label, a participant's name)."""
        t = self.exact.get(value.strip())
        if t is None:
            return self.text(where, value)[0]
        if self._record(where, [Hit(0, len(value), value, t.pseudonym, t.reason)]):
            return t.pseudonym
        return value

    def plan(self) -> PseudonymPlan:
        key = tuple(
            Term(o, p, r)
            for (o, p, r), _n in sorted(self.used.items(), key=lambda kv: (kv[0][1], kv[0][0]))
        )
        unmatched = tuple(p for p in self.options.keep_at if p not in self.kept_at)
        return PseudonymPlan(
            tuple(self.replacements), key, self.options.keep, self.model, unmatched
        )


def plan_pseudonymisation(project: Project, options: PseudonymOptions) -> PseudonymPlan:
    """Every replacement that pseudonymising `project` would make, without writing anything."""
    with project.reading() as s:
        run = _Run(s, options)
        _walk(s, run)
        return run.plan()


def write_pseudonymised(project: Project, out: Path, options: PseudonymOptions) -> PseudonymPlan:
    """Write a pseudonymised copy of `project` to `out` (a new .coder file).

    Raises:
        UserError: When `out` exists or the project is not a project file.
    """
    src = _sqlite_file(project)
    out = Path(out)
    if out.exists():
        raise UserError(f"{out}: already exists; choose another --out")
    if not out.parent.is_dir():
        raise UserError(f"{out.parent}: no such folder")
    tmp = out.with_name(f".{out.name}.pseudonymising")
    partial = out.with_name(f".{out.name}.partial")
    try:
        for stale in (tmp, partial):  # left by a run that was killed
            _remove(stale)
        _copy(src, tmp)
        with Project.open(tmp) as copy:
            plan = _rewrite(copy, options).plan()
        with sqlite3.connect(tmp) as conn:
            conn.execute("VACUUM INTO ?", (str(partial),))
        conn.close()
        if out.exists():
            raise UserError(f"{out}: appeared while pseudonymising; choose another --out")
        partial.replace(out)  # the output appears whole, or not at all
    finally:
        for done in (tmp, partial):
            _remove(done)
    return plan


def _remove(path: Path) -> None:
    for extra in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{extra}").unlink(missing_ok=True)


def key_csv(plan: PseudonymPlan) -> bytes:
    """The key as CSV: name, pseudonym, reason, occurrences."""
    import csv
    import io

    counts = Counter((r.original, r.pseudonym, r.reason) for r in plan.replacements)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["name", "pseudonym", "reason", "occurrences"])
    for t in plan.key:
        w.writerow([t.name, t.pseudonym, t.reason, counts[(t.name, t.pseudonym, t.reason)]])
    return buf.getvalue().encode("utf-8-sig")


def _sqlite_file(project: Project) -> Path:
    if "://" in project.target:
        raise UserError(
            f"{project.target}: coder pseudonymise copies a .coder file; export this database "
            "to one first (coder export qdpx, then coder import-project)"
        )
    return Path(project.target)


def _copy(src: Path, dst: Path) -> None:
    """A consistent copy of the project file (SQLite's online backup, WAL included)."""
    with sqlite3.connect(f"file:{src}?mode=ro", uri=True) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    a.close()
    b.close()


def _walk(s: Session, run: _Run) -> None:
    """Find every replacement, table by table, in the order the copy makes them."""
    for sid, (label, name) in source_names(s, run).items():
        rewrite_source(s, run, sid, label, name, write=False)
    _people(s, run, write=False)
    _notes(s, run, write=False)


def _unsynced(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.execute("PRAGMA synchronous=OFF")


def _rewrite(copy: Project, options: PseudonymOptions) -> _Run:
    """Apply every replacement to the working copy, the sources a batch per transaction."""
    # A failure discards the working file whole: it is never synced to disk meanwhile.
    event.listen(copy.engine, "connect", _unsynced)
    copy.engine.dispose()
    with copy.reading() as s:
        run = _Run(s, options)
        sizes = {sid: n for sid, n in s.execute(select(Source.id, func.length(Source.text)))}
    with copy.transaction() as s:
        names = source_names(s, run)
        # no moment where two sources hold one name: each passes through its GUID
        s.execute(update(Source).values(name=Source.guid))
    batch: list[int] = []
    chars = 0
    for sid in [*names, None]:
        if sid is not None:
            batch.append(sid)
            chars += sizes.get(sid) or 0
        if batch and (sid is None or chars >= BATCH_CHARS):
            with copy.transaction() as s, bulk_cache(s):
                for one in batch:
                    rewrite_source(s, run, one, *names[one], write=True)
            batch, chars = [], 0
    with copy.transaction() as s:
        _people(s, run, write=True)
        _notes(s, run, write=True)
        s.execute(delete(ModelBlob))
        # word frequency's cache holds the original words, names among them (it is filled
        # again from the new text on first use); deletions recorded for merging name the
        # original text and offsets
        s.execute(delete(LemmaCache))
        s.execute(delete(CodingTombstone))
        # a recording is a voice or a face, and its path often carries a name
        s.execute(delete(SourceMedia))
        s.execute(delete(Setting).where(Setting.key == str(Key.PSEUDONYM_NAMES)))
    return run


def _people(s: Session, run: _Run, write: bool) -> None:
    for case in s.scalars(select(Case).order_by(Case.id)):
        name = run.whole(f"participant {case.id} name", case.name)
        desc = run.text(f"participant {case.id} description", case.description)[0]
        if write:
            case.name, case.description = name, desc
    for org in s.scalars(select(Organisation).order_by(Organisation.id)):
        name = run.whole(f"organisation {org.id} name", org.name)
        if write:
            org.name = name
    named = {
        a.id
        for a in s.scalars(select(Attribute))
        if a.name.strip().casefold() in NAME_ATTRIBUTES and a.type == "text"
    }
    rows = s.scalars(select(AttributeValue).where(AttributeValue.value_text.is_not(None)))
    for v in rows:
        where = f"attribute {v.attribute_id} of {'participant' if v.case_id else 'organisation'} "
        where += str(v.case_id or v.organisation_id)
        value = v.value_text or ""
        new = run.whole(where, value) if v.attribute_id in named else run.text(where, value)[0]
        if write:
            v.value_text = new
    if write:
        s.flush()


def _notes(s: Session, run: _Run, write: bool) -> None:
    for m in s.scalars(select(Memo).order_by(Memo.id)):
        title = run.text(f"memo {m.id} title", m.title)[0]
        text = run.text(f"memo {m.id}", m.text)[0]
        if write:
            m.title, m.text = title, text
    for c in s.scalars(select(Code).order_by(Code.id)):
        where = f"code {c.id}"
        fields = {
            f: run.text(f"{where} {f}", getattr(c, f))[0]
            for f in ("name", "description", "inclusion", "exclusion")
        }
        keywords = [run.text(f"{where} keyword", k)[0] for k in c.keywords or []]
        examples = [run.text(f"{where} example", e)[0] for e in c.examples or []]
        if write:
            for f, value in fields.items():
                setattr(c, f, value)
            c.keywords, c.examples = keywords, examples
    for cell in s.scalars(select(FrameworkCell).order_by(FrameworkCell.id)):
        summary = run.text(f"framework summary {cell.id}", cell.summary)[0]
        if write:
            cell.summary = summary
    if write:
        s.flush()
