"""Notes on uncoded text (issue 13, item 4): a memo anchored to a span with no code, kept in the
project, undone, exported to REFI-QDA as a Note on a PlainTextSelection (valid against
Project.xsd) and imported back, from coder's own file and from an NVivo-style one."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from coder.services.codebook.memos import MemoError, delete_memo, list_memos, save_memo
from coder.services.codebook.notes import add_note, notes_in
from coder.services.coding.workspace import load_source
from coder.services.exchange.refi_project import export_qdpx, import_qdpx
from coder.services.project.store import Project
from coder.services.sources.transcripts import list_sources
from tests.export.conftest import assert_valid

P = "{urn:QDA-XML:project:1.0}"


def uncoded_span(project: Project) -> tuple[int, int, int, str]:
    """A span of the first source that no coding touches: (source id, start, end, text)."""
    src = list_sources(project)[0]
    doc = load_source(project, src.id)
    text = doc.source.text
    covered = [(c.start, c.end) for c in doc.codings]
    for turn in doc.source.turns:
        a, b = turn.start, min(turn.end, turn.start + 80)
        if b - a > 20 and not any(s < b and e > a for s, e in covered):
            return src.id, a, b, text[a:b]
    raise AssertionError("the sample has no uncoded turn")


def test_a_note_on_uncoded_text_is_kept_listed_and_undone(coded: Project) -> None:
    sid, a, b, _ = uncoded_span(coded)
    note = add_note(coded, sid, a, b, "  Sounds rehearsed. ", title="Tone")
    assert (note.kind, note.start, note.end, note.text, note.title) == (
        "span",
        a,
        b,
        "Sounds rehearsed.",
        "Tone",
    )
    assert [n.id for n in notes_in(coded, sid)] == [note.id]
    assert note.id in {m.id for m in list_memos(coded)}  # the memo manager lists it
    assert load_source(coded, sid).notes[0].id == note.id  # the transcript draws it
    renamed = save_memo(coded, kind="span", title="Voice", text="Rehearsed?", memo_id=note.id)
    assert (renamed.title, renamed.start, renamed.end) == ("Voice", a, b)
    delete_memo(coded, note.id)
    assert notes_in(coded, sid) == []
    assert coded.history.undo(coded).done
    assert [(n.title, n.start) for n in notes_in(coded, sid)] == [("Voice", a)]


@pytest.mark.parametrize(
    ("start", "end", "text", "words"),
    [(5, 5, "x", "outside"), (0, 10**9, "x", "outside"), (0, 4, "  ", "needs some text")],
)
def test_bad_notes_are_refused(coded: Project, start: int, end: int, text: str, words: str) -> None:
    sid = list_sources(coded)[0].id
    with pytest.raises(MemoError, match=words):
        add_note(coded, sid, start, end, text)
    assert notes_in(coded, sid) == []


def test_refi_round_trip_as_a_note_on_a_selection(
    coded: Project, tmp_path: Path, project_schema
) -> None:  # type: ignore[no-untyped-def]
    sid, a, b, quoted = uncoded_span(coded)
    note = add_note(coded, sid, a, b, "Check this against P03.", title="Follow up")
    out = tmp_path / "notes.qdpx"
    export_qdpx(coded, out)
    with zipfile.ZipFile(out) as z:
        qde = z.read("project.qde")
    assert_valid(project_schema, qde)
    root = etree.fromstring(qde)
    notes = {n.get("guid"): n for n in root.iter(f"{P}Note")}
    assert notes[note.guid].get("name") == "Follow up"
    assert notes[note.guid].findtext(f"{P}PlainTextContent") == "Check this against P03."
    refs = [
        sel
        for sel in root.iter(f"{P}PlainTextSelection")
        if any(r.get("targetGUID") == note.guid for r in sel.findall(f"{P}NoteRef"))
    ]
    assert len(refs) == 1
    sel = refs[0]
    assert (int(sel.get("startPosition")), int(sel.get("endPosition"))) == (a, b)
    assert sel.findall(f"{P}Coding") == []  # uncoded
    # its text as the selection's Description too: QualCoder 4.0 reads annotations from there
    assert sel.findtext(f"{P}Description") == "Check this against P03."
    source = sel.getparent()
    assert source.tag == f"{P}TextSource"
    src_guid = source.get("guid")

    target = tmp_path / "back.coder"
    summary = import_qdpx(str(target), out)
    assert summary.memos >= 1
    with Project.open(target) as back:
        src = next(s for s in list_sources(back) if s.guid == src_guid)
        (got,) = notes_in(back, src.id)
        assert (got.guid, got.title, got.text, got.start, got.end) == (
            note.guid,
            "Follow up",
            "Check this against P03.",
            a,
            b,
        )
        assert load_source(back, src.id).source.text[a:b] == quoted
        # exported again, the note is still one selection with one NoteRef
        again = tmp_path / "again.qdpx"
        export_qdpx(back, again)
        with zipfile.ZipFile(again) as z:
            qde2 = z.read("project.qde")
        assert_valid(project_schema, qde2)
        assert qde2.count(f'targetGUID="{note.guid}"'.encode()) == 1


NVIVO = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Annotated" origin="NVivo 12">
  <Sources>
    <TextSource guid="{src}" name="Interview A">
      <PlainTextContent>Interviewer: How do you reach fans?
Anna: Mostly through the mailing list, honestly.</PlainTextContent>
      <PlainTextSelection guid="b1b2c3d4-0000-4000-8000-000000000002" name="annotation"
          startPosition="49" endPosition="73">
        <NoteRef targetGUID="b1b2c3d4-0000-4000-8000-000000000003"/>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="b1b2c3d4-0000-4000-8000-000000000003" name="Annotation">
      <PlainTextContent>Newsletter, not social media.</PlainTextContent>
    </Note>
  </Notes>
</Project>
""".replace("{src}", "b1b2c3d4-0000-4000-8000-000000000001")


def test_an_nvivo_annotation_imports_as_a_note(tmp_path: Path, project_schema) -> None:  # type: ignore[no-untyped-def]
    assert_valid(project_schema, NVIVO.encode())
    path = tmp_path / "nvivo.qdpx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", NVIVO)
    target = tmp_path / "n.coder"
    import_qdpx(str(target), path)
    with Project.open(target) as p:
        src = list_sources(p)[0]
        (note,) = notes_in(p, src.id)
        text = load_source(p, src.id).source.text
        assert note.text == "Newsletter, not social media."
        assert note.start is not None and note.end is not None
        assert text[note.start : note.end] == "through the mailing list"
