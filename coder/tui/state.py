"""What the workspace currently knows about the project, held on the main thread.

Workers fetch; handlers store the results here; widgets draw from here. Keeping it in one
plain object (no widgets, no threads) makes the bookkeeping easy to follow: the code tree and
its counts, the source list and its coverage, the open transcript, and the quick-code slots
behind keys 1–9.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coder.services.coding.workspace import SourceDoc, SourceEntry
from coder.vocab.dto import CodeCounts, CodeInfo, CodeNode

SLOTS = 9


@dataclass
class WorkspaceState:
    nodes: tuple[CodeNode, ...] = ()
    codes: dict[int, CodeInfo] = field(default_factory=dict)
    order: list[int] = field(default_factory=list)  # code ids in tree order
    counts: dict[int, CodeCounts] = field(default_factory=dict)
    counts_ready: bool = False
    rollup: dict[int, CodeCounts] = field(default_factory=dict)  # a theme and its sub-codes
    entries: list[SourceEntry] = field(default_factory=list)
    coverage: dict[int, float] = field(default_factory=dict)
    doc: SourceDoc | None = None
    selection: tuple[int, int] = (0, 0)  # the transcript selection in `doc`
    slots: list[int | None] = field(default_factory=list)  # code id per key 1–9, or None
    slots_loaded: bool = False
    slot_use: dict[int, int] = field(default_factory=dict)  # code id -> last use tick
    tick: int = 0

    def set_tree(self, nodes: tuple[CodeNode, ...]) -> bool:
        """Take a (re)loaded code tree. Returns True if the quick-code slots changed: only a
        fresh project gets its first codes numbered, and only a code the researcher has just
        created takes a free key; no other code's number ever moves. A slot keeps the id of a
        code that was merged or deleted (its key is simply unused), so undo brings the code
        back on its own key."""
        before = set(self.codes)
        self.nodes = nodes
        self.codes = {}
        self.order = []
        for node in nodes:
            for info in node.walk():
                self.codes[info.id] = info
                self.order.append(info.id)
        if not self.slots_loaded:
            return False
        if not self.slots:
            self.slots = [None] * SLOTS
            return self._fill(self.order) if self.order else False
        if before:
            return self._fill([c for c in self.order if c not in before])
        return False

    def load_slots(self, slots: list[int | None]) -> bool:
        """The slots as saved (empty for a project that never saved any). Returns True if
        they were filled now and should be saved."""
        self.slots = (list(slots) + [None] * SLOTS)[:SLOTS] if slots else []
        self.slots_loaded = True
        return self.set_tree(self.nodes) if self.codes else False

    def _fill(self, candidates: list[int]) -> bool:
        changed = False
        for cid in candidates:
            if None not in self.slots:
                break
            if self.codes[cid].codable and cid not in self.slots:
                self.slots[self.slots.index(None)] = cid
                changed = True
        return changed

    def use(self, code_id: int) -> None:
        """Note that a code was applied (it never gives the code a number: see pin)."""
        self.tick += 1
        self.slot_use[code_id] = self.tick

    def toggle_pin(self, code_id: int) -> bool:
        """Put a code on a free key (or, with all nine taken, on the key of the least recently
        used code), or take it off its key. Returns True if it now has a key."""
        if len(self.slots) < SLOTS:
            self.slots = (self.slots + [None] * SLOTS)[:SLOTS]
        if code_id in self.slots:
            self.slots[self.slots.index(code_id)] = None
            return False
        free = [i for i, c in enumerate(self.slots) if c is None or c not in self.codes]
        if free:
            self.slots[free[0]] = code_id
        else:
            victim = min(range(SLOTS), key=lambda i: self.slot_use.get(self.slots[i] or 0, 0))
            self.slots[victim] = code_id
        return True

    def code_on(self, key: int) -> int | None:
        """The code on number key `key` (1–9), if it has one that exists."""
        cid = self.slots[key - 1] if 0 < key <= len(self.slots) else None
        return cid if cid is not None and cid in self.codes else None

    def slot_of(self, code_id: int) -> int | None:
        if code_id in self.slots and code_id in self.codes:
            return self.slots.index(code_id) + 1
        return None

    def path(self, code_id: int) -> str:
        parts: list[str] = []
        info = self.codes.get(code_id)
        while info is not None:
            parts.append(info.name)
            info = self.codes.get(info.parent_id) if info.parent_id is not None else None
        return " / ".join(reversed(parts))

    def marks(self) -> dict[int, str]:
        """The letter drawn in the coding stripe for each code: its slot number or initial."""
        out = {cid: (info.name[:1].upper() or "?") for cid, info in self.codes.items()}
        for i, cid in enumerate(self.slots, 1):
            if cid is not None:
                out[cid] = str(i)
        return out

    def question_group(self) -> int | None:
        """The group theme of the survey question whose answer holds the selection, if that
        question has one (see services/codebook/questions)."""
        group = None
        for begin, code_id in self.doc.questions if self.doc is not None else ():
            if begin > self.selection[0]:
                break
            group = code_id
        return group if group is not None and group in self.codes else None

    def entry_index(self, source_id: int) -> int:
        for i, e in enumerate(self.entries):
            if e.id == source_id:
                return i
        return -1
