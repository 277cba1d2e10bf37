"""Many clients on one project at once (issue 11, item 6): nothing acknowledged is lost.

Client processes start together at a barrier and each runs a bounded list of operations: coders
apply codings (and record what the service confirmed), while other clients merge, delete and
rename codes. Afterwards every acknowledged coding is still there, or was moved to its merge
target, or went with a code that was deleted; no duplicate is stored; no client saw anything but
a one-line UserError. Run on PostgreSQL with 10 clients and on SQLite with 4.
"""

from __future__ import annotations

import multiprocessing as mp
import random
import traceback
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from coder.db.models import Code, Coder, Coding
from coder.errors import UserError
from coder.services.codebook.codes import (
    CodeFields,
    create_code,
    delete_code,
    merge_codes,
    update_code,
)
from coder.services.coding import codings as coding_svc
from coder.services.project.store import Project
from tests.team.helpers import add_source

CTX = mp.get_context("fork")
TEXT = " ".join(f"Sentence {i} of the shared interview." for i in range(200))
MERGES = {"C1": "C0", "C2": "C0", "C3": "C0", "C5": "C4", "C6": "C4", "C7": "C4"}
DELETED = ("D0", "D1")
RENAMED = ("R0", "R1")
USED = ("C0", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "D0", "D1", *RENAMED)


def _client(
    target: str, barrier: Any, queue: Any, role: str, index: int, ids: dict[str, int], sid: int
) -> None:
    """One client process: run its part after the barrier, report results or the crash."""
    results: list[tuple[Any, ...]] = []
    try:
        with Project.open(target) as project:
            barrier.wait(60)
            ROLES[role](project, index, ids, sid, results)
        queue.put((role, index, "ok", results))
    except BaseException:  # noqa: BLE001 - reported to the parent, which fails the test
        queue.put((role, index, "crash", traceback.format_exc()))


def _coder(
    project: Project, index: int, ids: dict[str, int], sid: int, out: list[tuple[Any, ...]]
) -> None:
    rng = random.Random(index)
    name = f"coder{index}"
    for _ in range(40):
        code = rng.choice(USED)
        start = rng.randrange(0, 40) * 10  # few distinct spans: merges fold some of them
        try:
            c = coding_svc.apply_code(project, sid, start, start + 25, ids[code], coder=name)
        except UserError as exc:
            out.append(("refused", code, str(exc)))
            continue
        out.append(("ack", c.guid, c.start, c.end, code, c.coder, c.code_id == ids[code]))


def _merger(
    project: Project, index: int, ids: dict[str, int], sid: int, out: list[tuple[Any, ...]]
) -> None:
    for src, dst in MERGES.items():
        merge_codes(project, ids[src], ids[dst])
        out.append(("merged", src, dst))


def _deleter(
    project: Project, index: int, ids: dict[str, int], sid: int, out: list[tuple[Any, ...]]
) -> None:
    for name in DELETED:
        delete_code(project, ids[name])
        out.append(("deleted", name))
    for i in range(6):
        for name in RENAMED:
            update_code(project, ids[name], CodeFields(name=f"{name} v{i}"))
    out.append(("renamed",))


def _same_span(
    project: Project, index: int, ids: dict[str, int], sid: int, out: list[tuple[Any, ...]]
) -> None:
    c = coding_svc.apply_code(project, sid, 10, 40, ids["C0"], coder=f"same{index % 5}")
    out.append(("ack", c.guid, c.coder))


def _same_code_name(
    project: Project, index: int, ids: dict[str, int], sid: int, out: list[tuple[Any, ...]]
) -> None:
    try:
        out.append(("created", create_code(project, "Shared theme").id))
    except UserError as exc:
        out.append(("refused", str(exc)))


def _first_coder_name(
    project: Project, index: int, ids: dict[str, int], sid: int, out: list[tuple[Any, ...]]
) -> None:
    c = coding_svc.apply_code(project, sid, index * 10, index * 10 + 5, ids["C0"], coder="newbie")
    out.append(("ack", c.guid, c.coder))


ROLES: dict[str, Callable[..., None]] = {
    "coder": _coder,
    "merger": _merger,
    "deleter": _deleter,
    "same_span": _same_span,
    "same_code_name": _same_code_name,
    "first_coder_name": _first_coder_name,
}


def _setup(target: str) -> tuple[dict[str, int], int]:
    with Project.create(target) as p:
        sid = add_source(p, TEXT)
        ids = {n: create_code(p, n).id for n in USED}
    return ids, sid


def _run(target: str, roles: list[str], ids: dict[str, int], sid: int) -> list[tuple[Any, ...]]:
    barrier = CTX.Barrier(len(roles))
    queue = CTX.Queue()
    procs = [
        CTX.Process(target=_client, args=(target, barrier, queue, role, i, ids, sid))
        for i, role in enumerate(roles)
    ]
    for p in procs:
        p.start()
    reports = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(30)
    crashes = [r[3] for r in reports if r[2] == "crash"]
    assert crashes == [], crashes[0]
    return reports


def _targets(any_target: str) -> int:
    return 4 if "://" not in any_target else 10


@pytest.mark.postgres
def test_no_acknowledged_coding_is_lost_while_codes_are_merged_deleted_renamed(
    any_target: str,
) -> None:
    ids, sid = _setup(any_target)
    n = _targets(any_target)
    roles = ["merger", "deleter", *["coder"] * (n - 2)]
    reports = _run(any_target, roles, ids, sid)
    acks = [r for rep in reports if rep[0] == "coder" for r in rep[3] if r[0] == "ack"]
    assert len(acks) >= 15
    id_to_name = {v: k for k, v in ids.items()}
    with Project.open(any_target) as p, p.reading() as s:
        rows = s.execute(
            select(Coding.guid, Coding.start, Coding.end, Coding.code_id, Coder.name).join(
                Coder, Coder.id == Coding.coder_id
            )
        ).all()
        dupes = s.execute(
            select(func.count())
            .select_from(Coding)
            .group_by(Coding.source_id, Coding.start, Coding.end, Coding.code_id, Coding.coder_id)
            .having(func.count() > 1)
        ).all()
        alive = set(s.scalars(select(Code.id)))
    assert dupes == []
    by_guid = {r[0]: r for r in rows}
    by_key = {(r[1], r[2], id_to_name[r[3]], r[4]) for r in rows}
    lost = []
    for _, guid, start, end, code, coder, _same in acks:
        final = MERGES.get(code, code)
        if final in DELETED:
            continue  # went with its code, which the deleter removed afterwards
        row = by_guid.get(guid)
        if row is not None:
            assert (row[1], row[2], row[4]) == (start, end, coder)
            assert id_to_name[row[3]] == final
        elif (start, end, final, coder) not in by_key:  # folded into its twin on merge
            lost.append((guid, code, coder))
    assert lost == []
    assert all(ids[d] not in alive for d in DELETED)
    assert all(ids[m] not in alive for m in MERGES)


@pytest.mark.postgres
def test_same_span_same_code_name_and_first_coder_name_at_once(any_target: str) -> None:
    ids, sid = _setup(any_target)
    n = _targets(any_target)
    reports = _run(any_target, ["same_span"] * n, ids, sid)
    assert all(rep[2] == "ok" for rep in reports)
    reports = _run(any_target, ["same_code_name"] * n, ids, sid)
    outcomes = sorted(r[0] for rep in reports for r in rep[3])
    assert outcomes == ["created"] + ["refused"] * (n - 1)
    assert all("already a code" in r[1] for rep in reports for r in rep[3] if r[0] == "refused")
    reports = _run(any_target, ["first_coder_name"] * n, ids, sid)
    with Project.open(any_target) as p, p.reading() as s:
        same = s.execute(
            select(Coder.name, func.count())
            .join(Coding, Coding.coder_id == Coder.id)
            .where(Coding.start == 10, Coding.end == 40)
            .group_by(Coder.name)
        ).all()
        assert sorted(same) == [(f"same{i}", 1) for i in range(min(n, 5))]
        shared = s.scalar(select(func.count()).select_from(Code).where(Code.name == "Shared theme"))
        assert shared == 1
        newbies = s.scalar(select(func.count()).select_from(Coder).where(Coder.name == "newbie"))
        assert newbies == 1
        by_newbie = s.scalar(
            select(func.count()).select_from(Coding).join(Coder).where(Coder.name == "newbie")
        )
        assert by_newbie == n
