"""Table 1 from a project: a row per participant, grouped by organisation, cells as typed.

Attribute values are shown exactly as the researcher typed them (the stored text), never as
re-formatted numbers. The assembly rules live in coder.export.assemble.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from sqlalchemy import select

from coder.db.models import Case, Organisation, Source
from coder.export.assemble import Person, build_table1, value_text
from coder.export.columns import ColumnChoice, TableConfig, resolve
from coder.export.tables import Table1
from coder.services.project.settings import Key, get_setting
from coder.services.project.store import Project
from coder.services.reports.layout import load_config
from coder.services.sources.attribute_values import attribute_values
from coder.services.sources.cases import ORG_HEADERS, PARTICIPANT_HEADERS, list_attributes


def table1_columns(project: Project) -> list[ColumnChoice]:
    """Every column Table 1 can show: participant, organisation, each attribute, transcripts."""
    attrs = list_attributes(project)
    org_label = get_setting(project, Key.ORG_LABEL, "Organisation") or "Organisation"
    out = [
        ColumnChoice("participant", "Participant", "the participant's id", PARTICIPANT_HEADERS),
        ColumnChoice("organisation", org_label, "the participant's organisation", ORG_HEADERS),
    ]
    for a in attrs:
        shared = ", shared within the organisation" if a.scope == "organisation" else ""
        out.append(ColumnChoice(f"attr:{a.name}", a.name, f"{a.type} attribute{shared}"))
    out.append(
        ColumnChoice(
            "sources",
            "Transcripts",
            "the participant's transcripts",
            ("transcript", "transcripts", "source", "file"),
        )
    )
    return out


def table1_data(project: Project, config: TableConfig | None = None) -> Table1:
    """Table 1: a row per participant, grouped by organisation, cells as typed.

    Args:
        project: The open project.
        config: Columns and caption; empty fields fall back to the remembered layout, then to
            the defaults (organisation, or participant when there are none, then every
            attribute in sheet order).
    """
    cfg = (config or TableConfig()).merged_over(load_config(project, "table1"))
    choices = table1_columns(project)
    with project.reading() as s:
        own, shared = attribute_values(s, lambda _type, vt, vi, vn, vd: value_text(vt, vi, vn, vd))
        sources: dict[int, list[str]] = defaultdict(list)
        for cid, name in s.execute(
            select(Source.case_id, Source.name).where(Source.case_id.is_not(None))
        ):
            if cid is not None:
                sources[cid].append(name)
        people = [
            Person(
                name,
                oname,
                own.get(cid, {}),
                shared.get(oid, {}) if oid else {},
                tuple(sources.get(cid, ())),
            )
            for cid, name, oid, oname in s.execute(
                select(Case.id, Case.name, Organisation.id, Organisation.name).outerjoin(
                    Organisation, Organisation.id == Case.organisation_id
                )
            )
        ]
    default = ["organisation" if any(p.organisation for p in people) else "participant"]
    default += [c.key for c in choices if c.key.startswith("attr:")]
    defs = {a.name: a for a in list_attributes(project)}
    table = build_table1(cfg.caption, resolve(cfg, choices, default), people, defs)
    return replace(table, page=cfg.page or "letter", landscape=bool(cfg.landscape))
