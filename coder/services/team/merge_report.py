"""What `coder merge` reports: one line per thing added, changed or in conflict, and totals.

The merge's steps (coders, codes, participants, sources, codings, memos) each note what they
did in one shared `MergeLog`; codings are many, so they are counted per source and coder
rather than listed one by one. The log turns into the frozen `MergeReport` the CLI prints.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

KINDS = ("coder", "code", "attribute", "organisation", "participant", "source", "coding", "memo")

_CODING_DETAIL = {
    "add": "",
    "change": "memo or exemplar filled in",
    "conflict": "changed here since (recoded, moved or re-spanned); kept as here",
}


@dataclass(frozen=True, slots=True)
class MergeItem:
    """One line of the plan: `count` things of `kind` added, changed or in conflict."""

    kind: str
    action: str
    name: str
    detail: str = ""
    count: int = 1


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What a merge did (or, with `dry_run`, would do). Counts are per kind.
    `skipped_deleted` counts OTHER's codings not added because they were deleted here."""

    other: str
    dry_run: bool
    added: dict[str, int]
    changed: dict[str, int]
    conflicts: dict[str, int]
    items: tuple[MergeItem, ...]
    warnings: tuple[str, ...] = field(default=())
    skipped_deleted: int = 0


class MergeLog:
    """What the merge's steps did so far."""

    def __init__(self) -> None:
        self.items: list[MergeItem] = []
        # (kind, action, source, coder) -> codings
        self.grouped: Counter[tuple[str, str, str, str]] = Counter()
        self.skipped_deleted = 0

    def note(self, kind: str, action: str, name: str, detail: str = "") -> None:
        self.items.append(MergeItem(kind, action, name, detail))

    def coding(self, action: str, source: str, coder: str) -> None:
        self.grouped[("coding", action, source, coder)] += 1

    def report(self, other: str, dry_run: bool, warnings: tuple[str, ...]) -> MergeReport:
        items = self.items + [
            MergeItem(kind, action, f"{source} by {coder}", _CODING_DETAIL[action], n)
            for (kind, action, source, coder), n in sorted(self.grouped.items())
        ]
        totals: dict[str, Counter[str]] = {a: Counter() for a in ("add", "change", "conflict")}
        for item in items:
            totals[item.action][item.kind] += item.count
        order = {k: i for i, k in enumerate(KINDS)}
        items.sort(key=lambda i: (order.get(i.kind, 99), i.action != "add", i.name))

        def counts(action: str) -> dict[str, int]:
            return {k: totals[action][k] for k in KINDS if totals[action][k]}

        return MergeReport(
            other, dry_run, counts("add"), counts("change"), counts("conflict"), tuple(items),
            warnings, self.skipped_deleted,
        )  # fmt: skip
