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
    entries: list[SourceEntry] = field(default_factory=list)
    coverage: dict[int, float] = field(default_factory=dict)
    doc: SourceDoc | None = None
    slots: list[int] = field(default_factory=list)
    slot_use: dict[int, int] = field(default_factory=dict)  # code id -> last use tick
    tick: int = 0

    def set_tree(self, nodes: tuple[CodeNode, ...]) -> None:
        self.nodes = nodes
        self.codes = {}
        self.order = []
        for node in nodes:
            for info in node.walk():
                self.codes[info.id] = info
                self.order.append(info.id)
        self.slots = [c for c in self.slots if c in self.codes and self.codes[c].codable]
        self.fill_slots()

    def fill_slots(self) -> None:
        """Give free quick-code slots to the first codable codes not yet in a slot."""
        for cid in self.order:
            if len(self.slots) >= SLOTS:
                break
            if self.codes[cid].codable and cid not in self.slots:
                self.slots.append(cid)

    def use(self, code_id: int) -> bool:
        """Note that a code was applied; a code outside the slots takes the least recently
        used slot, so the numbers of codes in use stay put. Returns True if slots changed."""
        self.tick += 1
        self.slot_use[code_id] = self.tick
        if code_id in self.slots or not self.codes.get(code_id, None):
            return False
        if len(self.slots) < SLOTS:
            self.slots.append(code_id)
            return True
        victim = min(range(len(self.slots)), key=lambda i: self.slot_use.get(self.slots[i], 0))
        self.slots[victim] = code_id
        return True

    def toggle_pin(self, code_id: int) -> bool:
        """Put a code in a quick slot, or take it out. Returns True if it now has a slot."""
        if code_id in self.slots:
            self.slots.remove(code_id)
            return False
        self.use(code_id)
        return code_id in self.slots

    def slot_of(self, code_id: int) -> int | None:
        return self.slots.index(code_id) + 1 if code_id in self.slots else None

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
            out[cid] = str(i)
        return out

    def entry_index(self, source_id: int) -> int:
        for i, e in enumerate(self.entries):
            if e.id == source_id:
                return i
        return -1
