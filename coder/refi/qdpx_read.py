"""Reading a REFI-QDA project (.qdpx) from NVivo, ATLAS.ti, MAXQDA, QualCoder or coder.

The programs agree on the schema but differ in the details, and the reader takes each in
its stride: `sources/` or `Sources/` and `project.qde` in any case; GUIDs in braces or upper
case; text inline (PlainTextContent) or in a file (plainTextPath); CRLF line endings (offsets
are mapped onto the LF text coder stores); codes without colours; non-codable folders; notes
linked by NoteRef or, as NVivo does, by Links; variables on cases or, as MAXQDA does, on
nameless cases or on the sources themselves; PDF text representations and media transcripts
(their text is kept; what coder cannot hold is listed in `warnings`, as the standard asks).
Hostile archives are refused by coder.refi.qdpx_zip before any XML is parsed.

The project.qde is streamed (coder.archive.harden_iterparse, under the same rules as a whole
parse): it is inflated a chunk at a time by a thread a few chunks ahead of the parser
(SafeZip.stream), and each source is read and its elements freed as soon as its end tag
arrives, so neither the 100 MB of XML nor the tree of a project with 200,000 codings ever
exists at once. The parts are read by
coder.refi.read_sources and coder.refi.read_parts; to read a new kind of element, add its
tag to `SECTIONS` (a child of <Project>) or handle it in read_sources (a child of <Sources>).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from coder.archive import harden_iterparse
from coder.refi.case_codes import fold_case_codes
from coder.refi.model import RefiNote, RefiProject, RefiSource
from coder.refi.qdpx_zip import QdpxLimits, SafeZip
from coder.refi.read_parts import a_set, attach_notes, cases, codebook, links, notes, user, variable
from coder.refi.read_sources import SOURCE_TAGS, read_source, text_path
from coder.refi.read_state import MEDIA, ReadState
from coder.refi.xml import RefiError, kid_text, kids, local, xml_errors
from coder.vocab.dto import CodeSpec

SECTIONS = ("Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets")
"""The children of <Project> read when they end (the first of each name, as the standard
has one); Cases wait for the end of the file, because they name sources."""


class _Project:
    """The parts of one project as the stream delivers them."""

    def __init__(self, st: ReadState) -> None:
        self.st = st
        self.sections: dict[str, etree._Element] = {}
        self.slots: list[list[RefiSource] | etree._Element] = []  # a recording waits
        self.text_paths: set[str] = set()
        self.source_holder: etree._Element | None = None
        self.codes: tuple[CodeSpec, ...] = ()
        self.raw_notes: dict[str, RefiNote] = {}

    def element(self, el: etree._Element) -> None:
        """Handle one element whose end tag was just read."""
        name = local(el)
        parent = el.getparent()
        if parent is None:
            return
        if name in SOURCE_TAGS:
            if local(parent) != "Sources" or parent.getparent() is not el.getroottree().getroot():
                return  # only the sources of <Project><Sources>
            if self.source_holder is None:
                self.source_holder = parent  # the first <Sources>, as the standard has one
            if parent is not self.source_holder:
                return
            if name in MEDIA:  # read when <Sources> ends: its transcript may be a TextSource
                self.slots.append(el)
                return
            if name == "TextSource" and el.get("plainTextPath"):
                self.text_paths.add(text_path(el))
            self.slots.append(read_source(self.st, el))
            el.clear()
            parent.remove(el)  # done with: the stream keeps only what is not yet read
            return
        if parent.getparent() is not None or name in self.sections:
            return  # not a child of <Project>, or not the first of its name
        self.sections[name] = el
        if name == "Sources":
            self.read_media()
        elif name == "CodeBook":
            self.codes = codebook(self.st, el)
        elif name == "Links":
            links(self.st, el)
        elif name == "Notes":
            self.raw_notes = notes(self.st, el)
        if name not in ("Cases", "Users", "Variables", "Sets"):
            el.clear()

    def read_media(self) -> None:
        """Read the recordings held back until every TextSource's path was known."""
        texts = frozenset(self.text_paths)
        for i, slot in enumerate(self.slots):
            if not isinstance(slot, list):
                self.slots[i] = read_source(self.st, slot, texts)

    @property
    def sources(self) -> list[RefiSource]:
        """Every source read, in the order of the file."""
        return [src for slot in self.slots if isinstance(slot, list) for src in slot]

    def finish(self, root: etree._Element) -> RefiProject:
        st, got = self.st, self.sections
        for nr in kids(root, "NoteRef"):
            st.own(st.ref(nr), "project", "", claim="project")
        users = tuple(user(st, u) for u in kids(got["Users"], "User")) if "Users" in got else ()
        variables = (
            tuple(variable(st, v) for v in kids(got["Variables"], "Variable"))
            if "Variables" in got
            else ()
        )
        self.read_media()  # in case <Sources> never ended as the child of <Project>
        sources, found = attach_notes(st, self.sources, self.raw_notes)
        the_cases = cases(st, got.get("Cases"), sources)
        sets = tuple(a_set(st, el) for el in kids(got["Sets"], "Set")) if "Sets" in got else ()
        return fold_case_codes(  # cases written as codes (QualCoder, ATLAS.ti): case links
            RefiProject(
                name=(root.get("name") or "").strip(),
                codes=self.codes,
                sources=tuple(sources),
                cases=the_cases,
                variables=variables,
                users=users,
                notes=tuple(found),
                description=kid_text(root, "Description").strip(),
                origin=root.get("origin") or "",
                warnings=tuple(st.closing_warnings()),
                sets=sets,
            )
        )


def read_qdpx(path: str | Path, limits: QdpxLimits | None = None) -> RefiProject:
    """A .qdpx as a RefiProject; one-line RefiError for anything hostile or unreadable."""
    with SafeZip(path, limits) as z:
        qde = z.qde_name()
        reader = _Project(ReadState(z))
        tags = [f"{{*}}{t}" for t in (*SECTIONS, *SOURCE_TAGS)]
        root: etree._Element | None = None
        with xml_errors(f"{path}: {qde}"), z.stream(qde) as chunks:
            for el in harden_iterparse(chunks, tags):
                if el.getparent() is None:
                    root = el
                elif local(el.getroottree().getroot()) == "Project":
                    reader.element(el)
        assert root is not None  # harden_iterparse ends with the root or raises
        if local(root) != "Project":
            raise RefiError(f"{path}: {qde} is not a REFI-QDA project (root <{local(root)}>)")
        return reader.finish(root)
