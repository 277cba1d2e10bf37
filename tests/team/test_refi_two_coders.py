"""A REFI-QDA project coded by two coders keeps every coding and its coder, both ways.

The shape is the one issue 11 measured: each coder coded every unit (440 codings), and where
the second coder agreed with the first, the two codings have identical spans and codes.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from coder.refi.model import RefiCoding, RefiProject, RefiSource, RefiUser
from coder.refi.qdpx_write import write_qdpx
from coder.services.codebook.codes import create_code
from coder.services.coding import codings as coding_svc
from coder.services.exchange.refi_project import export_qdpx, import_qdpx
from coder.services.project.store import Project
from coder.vocab.dto import CodeSpec
from tests.team.helpers import add_source

SOURCES, UNITS = 20, 11  # 220 units, each coded by both coders: 440 codings
CODES = [CodeSpec(name=n, guid=str(uuid.uuid4())) for n in ("Bonding", "Reacting", "Selling")]
USERS = (RefiUser(str(uuid.uuid4()), "Ana"), RefiUser(str(uuid.uuid4()), "Ben"))

Key = tuple[str, int, int, str, str]


def _two_coder_project() -> tuple[RefiProject, set[Key], int]:
    sources, expected, identical = [], set(), 0
    for s in range(SOURCES):
        units = [f"Unit {u} of interview {s} says something." for u in range(UNITS)]
        text = " ".join(units)
        codings = []
        pos = 0
        for u, unit in enumerate(units):
            start, end = pos, pos + len(unit)
            pos = end + 1
            a = CODES[(s + u) % 3]
            agree = (s * UNITS + u) % 9 < 4
            b = a if agree else CODES[(s + u + 1) % 3]
            b_end = end if agree or u % 2 else end - 5  # some disagreements differ in span too
            identical += agree
            for user, code, stop in ((USERS[0], a, end), (USERS[1], b, b_end)):
                codings.append(
                    RefiCoding(str(uuid.uuid4()), str(code.guid), start, stop, user.guid)
                )
                expected.add((f"Interview {s:02d}", start, stop, code.name, user.name))
        sources.append(
            RefiSource(str(uuid.uuid4()), f"Interview {s:02d}", text, codings=tuple(codings))
        )
    proj = RefiProject("Two coders", tuple(CODES), tuple(sources), users=USERS)
    return proj, expected, identical


def _stored(project: Project) -> list[Key]:
    from coder.services.sources.transcripts import list_sources

    out: list[Key] = []
    for src in list_sources(project):
        for c in coding_svc.codings_for_source(project, src.id):
            out.append((src.name, c.start, c.end, c.code_name, c.coder))
    return out


def test_refi_import_keeps_both_coders_codings_and_export_round_trips(
    any_target: str, tmp_path: Path
) -> None:
    proj, expected, identical = _two_coder_project()
    assert len(expected) == 2 * SOURCES * UNITS == 440 and identical >= 90
    qdpx = tmp_path / "team.qdpx"
    qdpx.write_bytes(write_qdpx(proj))
    summary = import_qdpx(any_target, qdpx)
    assert summary.codings == 440
    with Project.open(any_target) as project:
        stored = _stored(project)
        assert len(stored) == 440 and set(stored) == expected
        again = tmp_path / "again.qdpx"
        export_qdpx(project, again)
    second = tmp_path / "second.coder"
    import_qdpx(str(second), again)
    with Project.open(second) as project:
        stored = _stored(project)
    assert len(stored) == 440 and set(stored) == expected


def test_a_repeated_coding_by_the_same_coder_is_folded(tmp_path: Path) -> None:
    proj, expected, _ = _two_coder_project()
    first = proj.sources[0]
    repeat = RefiCoding(
        str(uuid.uuid4()),
        *[first.codings[0].code_guid],
        first.codings[0].start,
        first.codings[0].end,
        first.codings[0].user_guid,
    )
    sources = (
        RefiSource(first.guid, first.name, first.text, codings=(*first.codings, repeat)),
        *proj.sources[1:],
    )
    qdpx = tmp_path / "dup.qdpx"
    qdpx.write_bytes(write_qdpx(RefiProject(proj.name, proj.codes, sources, users=proj.users)))
    import_qdpx(str(tmp_path / "p.coder"), qdpx)
    with Project.open(tmp_path / "p.coder") as project:
        stored = _stored(project)
    assert len(stored) == 440 and set(stored) == expected


def test_coders_own_two_coder_project_round_trips(any_target: str, tmp_path: Path) -> None:
    with Project.create(any_target) as project:
        sid = add_source(project, "We answer every comment. Every single one, by hand.")
        bonding = create_code(project, "Bonding")
        reacting = create_code(project, "Reacting")
        for coder in ("Ana", "Ben"):
            coding_svc.apply_code(project, sid, 0, 24, bonding.id, coder=coder)
        coding_svc.apply_code(project, sid, 25, 51, reacting.id, coder="Ana")
        coding_svc.apply_code(project, sid, 25, 40, reacting.id, coder="Ben", memo="partial")
        before = sorted(_stored(project))
        assert len(before) == 4
        export_qdpx(project, tmp_path / "own.qdpx")
    import_qdpx(str(tmp_path / "back.coder"), tmp_path / "own.qdpx")
    with Project.open(tmp_path / "back.coder") as back:
        assert sorted(_stored(back)) == before
        memos = [c.memo for c in coding_svc.codings_for_source(back, 1) if c.coder == "Ben"]
        assert "partial" in memos
