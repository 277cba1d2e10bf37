"""`coder suggest`: code suggestions from the command line, training, and evaluation.

`suggest` is a group with two subcommands and, for any other first word, a default command
that takes the project (and a source), so all four documented forms parse with click:

    coder suggest PROJECT --text TEXT [--top K] [--json]
    coder suggest PROJECT SOURCE [--top K] [--json]
    coder suggest train PROJECT
    coder suggest evaluate PROJECT [--folds N] [--apply] [--json]
"""

from __future__ import annotations

from typing import Any

import click

from coder.cli.forms import DefaultGroup, FormsCommand
from coder.cli.params import PROJECT, emit_json, json_option, open_project
from coder.collector import paused
from coder.errors import UserError

USAGE = """coder suggest PROJECT --text TEXT [--top K] [--json]
       coder suggest PROJECT --jsonl [--top K] < lines.jsonl
       coder suggest PROJECT SOURCE [--top K] [--json]
       coder suggest train PROJECT
       coder suggest evaluate PROJECT [--folds N] [--apply] [--json]"""

DESCRIPTION = """\
Suggest codes from the project's codebook, learning from your own coding.

\b
forms:
  PROJECT --text TEXT     rank the codes for TEXT; with --json, a JSON array of
                          {"code", "guid", "score", "evidence"}, best first ("evidence":
                          the words of TEXT that made the code score)
  PROJECT --jsonl         read lines of {"text": ...} on standard input and write, for
                          each, one line holding the JSON array --text --json prints
                          (one model load for the whole batch: for scripts)
  PROJECT SOURCE          the codes the suggester would apply to each passage of SOURCE
                          (a name, file name, id, GUID or participant); with --json, an array of
                          {"start", "end", "text", "suggestions": [...]}
  train PROJECT           retrain on the codings, rejected suggestions and passages read
                          and left uncoded, and store the model with the project
  evaluate PROJECT        cross-validate on your own coding, split by participant (or by
                          source when there are no participants): recall@1, recall@3,
                          precision@1, macro-F1 and Cohen's kappa per code and on average,
                          next to a most-frequent-code baseline. The best candidate method
                          becomes the project's method.

The model is retrained first when the coding changed since it was stored. Setting nlp.model
(a trained spaCy pipeline you installed, e.g. en_core_web_sm) is used when present; nothing
is ever downloaded."""

FIELDS = ("recall_at_1", "recall_at_3", "precision_at_1", "macro_f1", "kappa")


class SuggestUsage(UserError):
    """Wrong arguments for `coder suggest`."""


def _item(s: Any) -> dict[str, Any]:
    return {"code": s.code_name, "guid": s.guid, "score": s.score, "evidence": s.evidence}


def _train(project: str) -> int:
    from coder.services.suggestions import scoring as sg

    with open_project(project) as opened:
        r = sg.train(opened)
    chose = " (method chosen by cross-validation)" if r.selected else ""
    click.echo(
        f"trained '{r.method}'{chose} on {r.coded} coded passages "
        f"({r.codes_learned} codes), {r.rejected} rejections, {r.seen} passages left "
        f"uncoded, in {r.seconds:.1f} s"
    )
    return 0


def _one_project(action: str, projects: tuple[str, ...]) -> str:
    if len(projects) != 1:
        raise SuggestUsage(f"'coder suggest {action}' takes exactly one PROJECT")
    return projects[0]


@click.command(cls=FormsCommand, forms=USAGE, help=DESCRIPTION)
@click.argument("positional", nargs=-1, metavar="PROJECT [SOURCE]")
@click.option("--text", help="suggest for this text")
@click.option(
    "--jsonl", is_flag=True, help='read {"text": ...} lines on stdin; one JSON array per line'
)
@click.option("--top", type=int, default=5, metavar="K", help="at most this many codes (default 5)")
@click.option("--folds", type=int, default=5, hidden=True)
@json_option
def _forms(
    positional: tuple[str, ...],
    text: str | None,
    jsonl: bool,
    top: int,
    folds: int,
    as_json: bool,
) -> int:
    if positional and positional[0] in ("train", "evaluate"):  # options came first
        action, projects = positional[0], positional[1:]
        if action == "train":
            return _train(_one_project(action, projects))
        return _evaluate(_one_project(action, projects), folds, as_json)
    if not positional:
        raise SuggestUsage("give a PROJECT (see 'coder suggest --help')")
    if top < 1:
        raise SuggestUsage("--top must be at least 1")
    if jsonl:
        if len(positional) != 1 or text is not None:
            raise SuggestUsage("--jsonl takes one PROJECT and no --text or SOURCE")
        return _for_jsonl(positional[0], top)
    if len(positional) == 1:
        if text is None:
            raise SuggestUsage("give --text TEXT or a SOURCE (see 'coder suggest --help')")
        return _for_text(positional[0], text, top, as_json)
    if len(positional) == 2:
        if text is not None:
            raise SuggestUsage("give either --text or a SOURCE, not both")
        return _for_source(positional[0], positional[1], top, as_json)
    raise SuggestUsage("too many arguments (see 'coder suggest --help')")


@click.group(
    cls=DefaultGroup,
    default=_forms,
    forms=USAGE,
    help=DESCRIPTION,
    short_help="code suggestions; train; evaluate on your coding",
)
def suggest() -> None:
    """See DESCRIPTION."""


@suggest.command(short_help="retrain and store the model with the project")
@click.argument("projects", nargs=-1, type=PROJECT, metavar="PROJECT")
def train(projects: tuple[str, ...]) -> int:
    """Retrain on the codings, rejected suggestions and passages read and left uncoded, and
    store the model with the project."""
    return _train(_one_project("train", projects))


@suggest.command(short_help="cross-validate suggestions on your own coding")
@click.argument("projects", nargs=-1, type=PROJECT, metavar="PROJECT")
@click.option(
    "--folds", type=int, default=5, metavar="N", help="cross-validation folds (default 5)"
)
@click.option("--apply", is_flag=True, help="make the best method the project's")
@json_option
def evaluate(projects: tuple[str, ...], folds: int, apply: bool, as_json: bool) -> int:
    """Cross-validate on your own coding, split by participant (or by source when there are
    no participants): recall@1, recall@3, precision@1, macro-F1 and Cohen's kappa per code
    and on average, next to a most-frequent-code baseline. With --apply the best candidate
    method becomes the project's method; without it nothing is changed."""
    return _evaluate(_one_project("evaluate", projects), folds, as_json, apply)


def _for_text(project: str, text: str, top: int, as_json: bool) -> int:
    with paused(freeze=True):  # spaCy, SQLAlchemy, numpy: see coder.collector
        from coder.services.suggestions import scoring as sg

    with open_project(project) as opened:
        sg.ensure_trained(opened)
        found = sg.suggest_for_text(opened, text, top)
    if as_json:
        emit_json([_item(s) for s in found])
    elif not found:
        click.echo("no code scores for this text")
    else:
        for s in found:
            ev = f"  ({', '.join(s.evidence)})" if s.evidence else ""
            click.echo(f"{s.score:7.3f}  {s.code_name}{ev}")
    return 0


def _read_jsonl() -> list[str]:
    """The texts of standard input's {"text": ...} lines (blank lines skipped), all checked
    before anything is scored, so a bad line writes nothing."""
    import json
    import sys

    texts = []
    for n, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            raise SuggestUsage(f"stdin line {n}: not JSON") from None
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise SuggestUsage(f'stdin line {n}: expected an object with a string "text"')
        texts.append(item["text"])
    return texts


def _for_jsonl(project: str, top: int) -> int:
    import json

    with paused(freeze=True):
        from coder.services.suggestions import scoring as sg

    texts = _read_jsonl()
    with open_project(project) as opened:
        sg.ensure_trained(opened)
        found = sg.suggest_for_texts(opened, texts, top) if texts else []
    for row in found:
        click.echo(json.dumps([_item(s) for s in row], ensure_ascii=False))
    return 0


def _for_source(project: str, ref: str, top: int, as_json: bool) -> int:
    with paused(freeze=True):
        from coder.services.sources.transcripts import find_source, get_source
        from coder.services.suggestions import scoring as sg

    with open_project(project) as opened:
        info = find_source(opened, ref)
        sg.ensure_trained(opened)
        parts = sg.suggest_for_source(opened, info.id, top)
        text = get_source(opened, info.id).text
    if as_json:
        emit_json(
            [
                {"start": s, "end": e, "text": text[s:e], "suggestions": [_item(x) for x in found]}
                for s, e, found in parts
            ]
        )
        return 0
    for s, e, found in parts:
        if not found:
            continue
        snippet = " ".join(text[s:e].split())
        snippet = snippet if len(snippet) <= 70 else snippet[:67] + "..."
        codes = ", ".join(f"{x.code_name} {x.score:.2f}" for x in found)
        click.echo(f"{s}-{e}  {snippet}\n          -> {codes}")
    if not any(found for _s, _e, found in parts):
        click.echo(f"no suggestions for {info.name}")
    return 0


def _evaluate(project: str, folds: int, as_json: bool, apply: bool = False) -> int:
    from coder.services.suggestions import scoring as sg

    if folds < 2:
        raise SuggestUsage("--folds must be at least 2")
    with open_project(project) as opened:
        rep = sg.evaluate(opened, folds=folds, apply=apply)
    if as_json:
        emit_json(_evaluation_json(rep))
        return 0
    click.echo(
        f"{rep.coded} coded passages ({rep.passages} with decisions), {rep.groups} "
        f"{rep.split_by}s, {rep.folds}-fold cross-validation by {rep.split_by}"
    )
    note = "now this project's method" if apply else "not applied; --apply to use it"
    calibrated = ", decisions calibrated per code" if rep.calibrated else ""
    click.echo(f"method: {rep.method}{calibrated} ({note})")
    predicted, actual = rep.codes_per_passage
    click.echo(f"codes per passage: {predicted:.2f} predicted, {actual:.2f} actual\n")
    click.echo(
        f"{'':18s}{'recall@1':>9s}{'recall@3':>9s}{'prec@1':>8s}{'macroF1':>8s}{'kappa':>7s}"
    )
    for label, sc in (("coder", rep.scores), ("most frequent", rep.baseline)):
        click.echo(
            f"{label:18s}{sc.recall_at_1:9.2f}{sc.recall_at_3:9.2f}{sc.precision_at_1:8.2f}"
            f"{sc.macro_f1:8.2f}{sc.kappa:7.2f}"
        )
    if rep.per_code:
        click.echo(f"\n{'code':40s}{'n':>5s}{'kappa':>7s}{'F1':>6s}")
        for c in sorted(rep.per_code, key=lambda c: -c.support):
            name = c.code_name if len(c.code_name) <= 38 else c.code_name[:35] + "..."
            click.echo(f"{name:40s}{c.support:5d}{c.kappa:7.2f}{c.f1:6.2f}")
    return 0


def _evaluation_json(rep: Any) -> dict[str, Any]:
    return {
        "method": rep.method,
        "split_by": rep.split_by,
        "groups": rep.groups,
        "folds": rep.folds,
        "passages": rep.passages,
        "coded": rep.coded,
        "mean": {f: round(getattr(rep.scores, f), 4) for f in FIELDS},
        "baseline": {f: round(getattr(rep.baseline, f), 4) for f in FIELDS},
        "codes": [
            {"code": c.code_name, "support": c.support, "kappa": round(c.kappa, 4),
             "f1": round(c.f1, 4)}
            for c in rep.per_code
        ],
        "candidates": [
            {"method": n, "kappa": round(k, 4), "recall_at_3": round(r, 4)}
            for n, k, r in rep.candidates
        ],
        "codes_per_passage": {
            "predicted": round(rep.codes_per_passage[0], 4),
            "actual": round(rep.codes_per_passage[1], 4),
        },
        "calibrated": rep.calibrated,
    }  # fmt: skip
