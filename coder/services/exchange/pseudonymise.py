"""`coder pseudonymise`: a shareable copy of a project with every known name replaced.

The original project is never modified. The review (`plan_pseudonymisation`) reads it and lists
every replacement; the copy (`write_pseudonymised`) is made by copying the project file to a
temporary file beside the output, rewriting that copy in ONE transaction (texts, turns and
their speakers, codings and their snippets and memos, suggestion decisions, participants,
organisations, attribute values, memos, codes), dropping what could carry a name unseen
(trained suggestion models, the names list), and finally `VACUUM INTO` the output, so that no
page of the shared file still holds an original text. The key (name -> pseudonym) is returned
for the caller to write to a separate file; it never enters the copy.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from coder.db.models import (
    Attribute,
    AttributeValue,
    Case,
    Code,
    Coding,
    Memo,
    ModelBlob,
    Organisation,
    Setting,
    Source,
    SourceMedia,
    SuggestionDecision,
)
from coder.errors import UserError
from coder.ingest.pseudonym import replace
from coder.ingest.pseudonym_find import NameFinder
from coder.services.exchange.pseudonym_terms import NAME_ATTRIBUTES, gather_terms
from coder.services.project.settings import Key, read
from coder.services.project.store import Project
from coder.services.sources.transcripts import count_words, text_sha256
from coder.vocab.pseudonym import Hit, PseudonymPlan, Replacement, Term

_SEPARATORS = re.compile(r"[._\-]")

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
        self.replacements: list[Replacement] = []
        self.used: Counter[tuple[str, str, str]] = Counter()

    def _record(self, where: str, hits: Iterable[Hit]) -> list[Hit]:
        chosen = []
        for h in hits:
            if (where, h.start) in self.keep_at:
                continue
            chosen.append(h)
            self.replacements.append(Replacement(where, h.start, h.original, h.pseudonym, h.reason))
            self.used[(h.original, h.pseudonym, h.reason)] += 1
        return chosen

    def text(self, where: str, text: str, *, file: bool = False) -> tuple[str, list[Hit]]:
        """`text` pseudonymised, with the hits applied. With `file`, names are looked for as
        if "._-" were spaces ("Helen_Ward.txt"), the characters themselves kept."""
        if not text:
            return text, []
        seen = _SEPARATORS.sub(" ", text) if file else text
        found = self.finder.find(seen)
        if file:
            found = [Hit(h.start, h.end, text[h.start : h.end], h.pseudonym, h.reason)
                     for h in found]  # fmt: skip
        hits = self._record(where, found)
        return (replace(text, hits)[0] if hits else text), hits

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
        return PseudonymPlan(tuple(self.replacements), key, self.options.keep, self.model)


def plan_pseudonymisation(project: Project, options: PseudonymOptions) -> PseudonymPlan:
    """Every replacement that pseudonymising `project` would make, without writing anything."""
    with project.reading() as s:
        run = _Run(s, options)
        _walk(s, run, write=False)
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
    tmp.unlink(missing_ok=True)
    try:
        _copy(src, tmp)
        with Project.open(tmp) as copy:
            with copy.transaction() as s:
                run = _Run(s, options)
                _walk(s, run, write=True)
                s.execute(delete(ModelBlob))
                # a recording is a voice or a face, and its path often carries a name
                s.execute(delete(SourceMedia))
                s.execute(delete(Setting).where(Setting.key == str(Key.PSEUDONYM_NAMES)))
            plan = run.plan()
        with sqlite3.connect(tmp) as conn:
            conn.execute("VACUUM INTO ?", (str(out),))
        conn.close()
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    finally:
        for extra in ("", "-wal", "-shm", "-journal"):
            Path(f"{tmp}{extra}").unlink(missing_ok=True)
    return plan


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


def _walk(s: Session, run: _Run, *, write: bool) -> None:
    """Find (and with `write`, apply) every replacement, table by table."""
    _sources(s, run, write)
    _people(s, run, write)
    _notes(s, run, write)


def _sources(s: Session, run: _Run, write: bool) -> None:
    rows = s.execute(select(Source.id, Source.name).order_by(Source.id))
    originals: dict[int, str] = {sid: name for sid, name in rows}
    taken: set[str] = set()
    names = {
        sid: _unique(run.text(f"source {name} name", name, file=True)[0], taken)
        for sid, name in originals.items()
    }
    if write:  # no moment where two sources hold one name: each passes through its GUID
        s.execute(update(Source).values(name=Source.guid))
    for sid, label in originals.items():
        src = s.get(Source, sid)
        assert src is not None
        new_name = names[sid]
        new_file = run.text(f"source {label} filename", src.filename, file=True)[0]
        new_text, hits = run.text(label, src.text)
        speakers = [(t, run.whole(f"source {label} speaker", t.speaker or "")) for t in src.turns]
        codings = list(s.scalars(select(Coding).where(Coding.source_id == sid)))
        memos = [run.text(f"coding {c.guid} memo", c.memo)[0] for c in codings]
        if not write:
            s.expunge_all()
            continue
        mapping = replace(src.text, hits)[1]
        src.name, src.filename, src.text = new_name, new_file, new_text
        src.sha256, src.words = text_sha256(new_text), count_words(new_text)
        for turn, speaker in speakers:
            turn.start, turn.end = mapping.span(turn.start, turn.end)
            turn.speaker = speaker or turn.speaker
        for d in s.scalars(select(SuggestionDecision).where(SuggestionDecision.source_id == sid)):
            d.start, d.end = mapping.span(d.start, d.end)
        _recode(s, sid, codings, memos, new_text, mapping.span)
        s.flush()
        s.expunge_all()


def _unique(name: str, taken: set[str]) -> str:
    """`name`, or "name (2)"... when pseudonymising made two sources' names the same."""
    found, n = name, 1
    while found in taken:
        n += 1
        found = f"{name} ({n})"
    taken.add(found)
    return found


def _recode(
    s: Session,
    sid: int,
    codings: list[Coding],
    memos: list[str],
    text: str,
    span: Callable[[int, int], tuple[int, int]],
) -> None:
    """Re-store the source's codings at their new offsets: deleted and inserted with the same
    ids and GUIDs, so no intermediate state meets the uniqueness rule. Two codings that a
    replacement makes identical (same code, coder and span) become one, memos joined."""
    rows: dict[tuple[int, int, int, int], dict[str, object]] = {}
    for c, memo in zip(codings, memos, strict=True):
        start, end = span(c.start, c.end)
        k = (start, end, c.code_id, c.coder_id)
        if k in rows:
            prev = rows[k]
            prev["memo"] = "\n\n".join(m for m in (str(prev["memo"]), memo) if m)
            prev["exemplar"] = bool(prev["exemplar"]) or c.exemplar
            continue
        rows[k] = {
            "id": c.id, "guid": c.guid, "source_id": sid, "code_id": c.code_id,
            "start": start, "end": end, "snippet": text[start:end], "coder_id": c.coder_id,
            "created_at": c.created_at, "memo": memo, "exemplar": c.exemplar,
        }  # fmt: skip
    s.execute(delete(Coding).where(Coding.source_id == sid))
    if rows:
        s.execute(insert(Coding), list(rows.values()))


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
    if write:
        s.flush()
