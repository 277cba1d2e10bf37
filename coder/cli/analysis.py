"""Analysis commands: matrix, cooccur, query and words (issue 12).

Thin: each reads the project once through coder.services.analysis, computes with
coder.analysis, and prints either JSON (the documented shapes) or a plain-text table. Names
and passages the user wrote are printed as plain text. numpy, spaCy and the services are
imported inside the commands so `coder --help` stays fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from coder.cli.params import PROJECT, SET_OPTION, emit_json, json_option, open_project, short

CELLS = ("passages", "participants", "words", "percent")
BY = ("participant", "organisation", "source", "coder")


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], first: int = 36) -> None:
    """Print a plain table: the first column left-aligned, the others right-aligned."""
    cells = [[str(x) for x in header]] + [[str(x) for x in r] for r in rows]
    widths = [max(len(r[k]) for r in cells) for k in range(len(header))]
    widths[0] = min(widths[0], first)
    for r in cells:
        head = r[0] if len(r[0]) <= first else r[0][: first - 1] + "…"
        rest = "  ".join(x.rjust(w) for x, w in zip(r[1:], widths[1:], strict=True))
        click.echo(f"{head.ljust(widths[0])}  {rest}".rstrip())


def _bins(text: str | None) -> Any:
    from coder.analysis.groups import parse_bins

    return parse_bins(text, "--bins")


@click.command(short_help="codes x participants, organisations, sources, coders or attributes")
@click.argument("project", type=PROJECT)
@click.option(
    "--cols",
    default="participant",
    show_default=True,
    help="participant, organisation, source, coder or attr:NAME",
)
@click.option("--cell", type=click.Choice(CELLS), default="passages", show_default=True)
@click.option("--bins", default=None, help="number and date attributes: 4 bins, or cuts 10,20")
@SET_OPTION
@json_option('{"cols", "rows": [{"code", "guid", "path", "cells", "total"}], "totals"}')
def matrix(
    project: str, cols: str, cell: str, bins: str | None, set_names: tuple[str, ...], as_json: bool
) -> int:
    """Count coded passages (or participants, words, % of words) per code and column.

    A theme's row counts what is coded to it or to any code below it, each passage or
    participant once.
    """
    from coder.analysis.matrix import matrix as compute
    from coder.services.analysis.gather import gather
    from coder.services.analysis.set_filter import in_sets

    with open_project(project) as opened:
        corpus = in_sets(opened, gather(opened), set_names)
    result = compute(corpus, cols, cell, _bins(bins))
    if as_json:
        emit_json(result.to_json())
        return 0
    from coder.services.analysis.tables import share

    fmt: Any = share if cell == "percent" else str
    rows = [["  " * r.depth + r.code, *map(fmt, r.cells), fmt(r.total)] for r in result.rows]
    rows.append(["Total", *map(fmt, result.totals), fmt(result.total)])
    _table(["Code", *result.cols, "Total"], rows)
    return 0


@click.command(short_help="which codes occur together")
@click.argument("project", type=PROJECT)
@click.option(
    "--by",
    "by",
    default="overlap",
    show_default=True,
    help="overlap, turn, paragraph or near:N (at most N words apart)",
)
@click.option("--jaccard", is_flag=True, help="show Jaccard coefficients instead of counts")
@SET_OPTION
@json_option('{"by", "codes", "counts", "jaccard"}')
def cooccur(project: str, by: str, jaccard: bool, set_names: tuple[str, ...], as_json: bool) -> int:
    """Count pairs of passages of two codes that overlap, share a turn or a paragraph, or
    lie within N words; with the Jaccard share of their passages that meet."""
    from coder.analysis.cooccur import cooccur as compute
    from coder.services.analysis.gather import gather
    from coder.services.analysis.set_filter import in_sets

    with open_project(project) as opened:
        corpus = in_sets(opened, gather(opened), set_names)
    result = compute(corpus, by)
    if as_json:
        emit_json(result.to_json())
        return 0
    used = [k for k, row in enumerate(result.counts) if row[k] > 0]
    from coder.services.analysis.tables import share

    table = result.jaccard if jaccard else result.counts
    fmt: Any = share if jaccard else str
    header = ["Code", *[str(n + 1) for n in range(len(used))]]
    rows = [
        [f"{n + 1}. {result.codes[k]}", *[fmt(table[k][j]) for j in used]]
        for n, k in enumerate(used)
    ]
    _table(header, rows, first=44)
    return 0


@click.command(short_help="find passages with a boolean expression over codes")
@click.argument("project", type=PROJECT)
@click.argument("expr")
@click.option(
    "--where",
    "where",
    multiple=True,
    help='a participant attribute condition, as "Age >= 30" (repeatable)',
)
@click.option(
    "--speaker",
    type=click.Choice(["participants", "all"]),
    default=None,
    help="leave out passages in interviewer turns (participants, the default), or not",
)
@click.option("--coder", "coders", multiple=True, help="only codings by this coder (repeatable)")
@click.option("--save", "save_as", default=None, help="also save the query under this name")
@SET_OPTION
@json_option('[{"source", "start", "end", "text", "codes"}]')
def query(
    project: str,
    expr: str,
    where: tuple[str, ...],
    speaker: str | None,
    coders: tuple[str, ...],
    save_as: str | None,
    set_names: tuple[str, ...],
    as_json: bool,
) -> int:
    """Passages matching EXPR: codes in double quotes combined with AND, OR, NOT (as in
    '"A" AND NOT "B"'), "A" NEAR/N "B", "A" FOLLOWED BY "B" (same turn) or FOLLOWED BY/N,
    and parentheses. EXPR @NAME runs the query saved as NAME (its filters, plus any given)."""
    from coder.analysis.filters import parse_where
    from coder.analysis.query import run_query
    from coder.services.analysis.gather import gather
    from coder.services.analysis.saved import SavedQuery, save_query, saved_query
    from coder.services.analysis.set_filter import in_sets

    with open_project(project) as opened:
        if expr.startswith("@"):
            saved = saved_query(opened, expr[1:])
            expr = saved.expr
            where = saved.where + where
            coders = saved.coders + coders
            speaker = speaker or saved.speaker
        speaker = speaker or "participants"
        conditions = [parse_where(w) for w in where]
        corpus = in_sets(opened, gather(opened), set_names)
        hits = run_query(corpus, expr, conditions, speaker, list(coders) or None)
        if save_as:
            save_query(opened, SavedQuery(save_as, expr, where, speaker, coders))
    if as_json:
        emit_json([h.to_json() for h in hits])
        return 0
    for h in hits:
        click.echo(f"{h.source} {h.start}-{h.end}  [{'; '.join(h.codes)}]")
        click.echo(f"    {short(h.text, 200)}")
    click.echo(f"{len(hits)} passage{'s' if len(hits) != 1 else ''}")
    return 0


@click.command(short_help="most frequent words (lemmas), overall, in a code or by group")
@click.argument("project", type=PROJECT)
@click.option("--code", "code", default=None, help="only words coded with this code (or below)")
@click.option(
    "--group", "group", default=None, help="split by participant, organisation, source or attr:NAME"
)
@click.option("--top", type=click.IntRange(min=1), default=30, show_default=True)
@click.option("--interviewer", is_flag=True, help="count interviewer turns too")
@click.option("--kwic", "kwic_word", default=None, help="show this word in its contexts instead")
@SET_OPTION
@json_option('{"groups", "words": [{"word", "counts", "total"}]}')
def words(
    project: str,
    code: str | None,
    group: str | None,
    top: int,
    interviewer: bool,
    kwic_word: str | None,
    set_names: tuple[str, ...],
    as_json: bool,
) -> int:
    """Lemma counts without stop words; interviewer turns left out unless --interviewer.

    Lemmas are cached in the project per source when it is imported (computed on the first
    run instead for a source whose text changed, one imported by an older coder, or a
    project imported from a .qdpx)."""
    if kwic_word:
        # --top cuts the contexts only when given: by default every occurrence is shown.
        given = click.get_current_context().get_parameter_source("top")
        limit = top if given is click.core.ParameterSource.COMMANDLINE else None
        return _kwic(project, kwic_word, code, interviewer, as_json, set_names, limit)
    from coder.services.analysis.word_counts import word_table

    with open_project(project) as opened:
        table = word_table(opened, code, group, top, interviewer, sets=set_names)
    if as_json:
        emit_json(table.to_json())
        return 0
    if not table.words:
        where = "" if interviewer else " outside interviewer turns (--interviewer counts them)"
        click.echo(f"no words to count{where}")
    elif len(table.groups) == 1:
        _table(["Word", "Count"], [[w.word, w.total] for w in table.words])
    else:
        _table(
            ["Word", *table.groups, "Total"], [[w.word, *w.counts, w.total] for w in table.words]
        )
    return 0


def _kwic(
    project: str,
    word: str,
    code: str | None,
    interviewer: bool,
    as_json: bool,
    set_names: Sequence[str] = (),
    limit: int | None = None,
) -> int:
    """`coder words --kwic WORD`: every occurrence of the word's lemma in its context (the
    first `limit` of them when --top is given)."""
    from coder.analysis.words import kwic
    from coder.services.analysis.gather import gather
    from coder.services.analysis.lemma_cache import cached_tokens
    from coder.services.analysis.set_filter import in_sets
    from coder.suggest.nlp import lemma

    with open_project(project) as opened:
        corpus = in_sets(opened, gather(opened), set_names)
        code_id = corpus.find_code(code) if code else None
        toks = cached_tokens(opened, corpus)
    lines = kwic(corpus, toks, lemma(word), code=code_id, interviewer=interviewer)
    if limit is not None:
        lines = lines[:limit]
    if as_json:
        emit_json(lines)
        return 0
    for ln in lines:
        click.echo(f"{ln.left:>40}[{ln.word}]{ln.right:<40}  {ln.source}")
    if not lines:  # say so, rather than print nothing at all
        where = "" if interviewer else " outside interviewer turns (--interviewer looks there too)"
        click.echo(f"no occurrence of {word!r}{' in ' + repr(code) if code else ''}{where}")
    return 0
