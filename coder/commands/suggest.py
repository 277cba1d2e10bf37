"""`coder suggest`: code suggestions from the command line, training, and evaluation.

One subcommand with four forms (the first positional is either an action or the project, so
the handler sorts them out itself rather than argparse's sub-subparsers):

    coder suggest PROJECT --text TEXT [--top K] [--json]
    coder suggest PROJECT SOURCE [--top K] [--json]
    coder suggest train PROJECT
    coder suggest evaluate PROJECT [--folds N] [--json]
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from coder.errors import UserError

USAGE = """coder suggest PROJECT --text TEXT [--top K] [--json]
       coder suggest PROJECT SOURCE [--top K] [--json]
       coder suggest train PROJECT
       coder suggest evaluate PROJECT [--folds N] [--json]"""

DESCRIPTION = """\
Suggest codes from the project's codebook, learning from your own coding.

forms:
  PROJECT --text TEXT     rank the codes for TEXT; with --json, a JSON array of
                          {"code", "guid", "score", "evidence"}, best first ("evidence":
                          the words of TEXT that made the code score)
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


class SuggestUsage(UserError):
    """Wrong arguments for `coder suggest`."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "suggest",
        help="code suggestions; train; evaluate on your coding",
        usage=USAGE,
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "args",
        nargs="+",
        metavar="train|evaluate|PROJECT",
        help="an action and the project, or the project (and a source)",
    )
    p.add_argument("--text", help="suggest for this text")
    p.add_argument("--top", type=int, default=5, help="at most this many codes (default 5)")
    p.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument(
        "--apply", action="store_true", help="evaluate: make the best method the project's"
    )
    p.set_defaults(handler=cmd_suggest)


def _open(target: str) -> Any:
    from coder.commands.core import _open as open_project

    return open_project(target)


def cmd_suggest(args: argparse.Namespace) -> int:
    pos: list[str] = args.args
    if pos[0] in ("train", "evaluate") and len(pos) == 2:
        return cmd_train(pos[1]) if pos[0] == "train" else cmd_evaluate(pos[1], args)
    if pos[0] in ("train", "evaluate") and len(pos) != 2:
        raise SuggestUsage(f"'coder suggest {pos[0]}' takes exactly one PROJECT")
    if args.top < 1:
        raise SuggestUsage("--top must be at least 1")
    if len(pos) == 1:
        if args.text is None:
            raise SuggestUsage("give --text TEXT or a SOURCE (see 'coder suggest --help')")
        return cmd_text(pos[0], args)
    if len(pos) == 2:
        if args.text is not None:
            raise SuggestUsage("give either --text or a SOURCE, not both")
        return cmd_source(pos[0], pos[1], args)
    raise SuggestUsage("too many arguments (see 'coder suggest --help')")


def _item(s: Any) -> dict[str, Any]:
    return {"code": s.code_name, "guid": s.guid, "score": s.score, "evidence": list(s.evidence)}


def cmd_text(target: str, args: argparse.Namespace) -> int:
    from coder.services import suggestions as sg

    with _open(target) as project:
        sg.ensure_trained(project)
        found = sg.suggest_for_text(project, args.text, args.top)
    if args.json:
        print(json.dumps([_item(s) for s in found], ensure_ascii=False, indent=2))
    elif not found:
        print("no code scores for this text")
    else:
        for s in found:
            ev = f"  ({', '.join(s.evidence)})" if s.evidence else ""
            print(f"{s.score:7.3f}  {s.code_name}{ev}")
    return 0


def cmd_source(target: str, ref: str, args: argparse.Namespace) -> int:
    from coder.services import suggestions as sg
    from coder.services.sources import find_source, get_source

    with _open(target) as project:
        info = find_source(project, ref)
        sg.ensure_trained(project)
        parts = sg.suggest_for_source(project, info.id, args.top)
        text = get_source(project, info.id).text
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "start": s,
                        "end": e,
                        "text": text[s:e],
                        "suggestions": [_item(x) for x in found],
                    }
                    for s, e, found in parts
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for s, e, found in parts:
        if not found:
            continue
        snippet = " ".join(text[s:e].split())
        snippet = snippet if len(snippet) <= 70 else snippet[:67] + "..."
        codes = ", ".join(f"{x.code_name} {x.score:.2f}" for x in found)
        print(f"{s}-{e}  {snippet}\n          -> {codes}")
    if not any(found for _s, _e, found in parts):
        print(f"no suggestions for {info.name}")
    return 0


def cmd_train(target: str) -> int:
    from coder.services import suggestions as sg

    with _open(target) as project:
        r = sg.train(project)
    chose = " (method chosen by cross-validation)" if r.selected else ""
    print(
        f"trained '{r.method}'{chose} on {r.coded} coded passages "
        f"({r.codes_learned} codes), {r.rejected} rejections, {r.seen} passages left "
        f"uncoded, in {r.seconds:.1f} s"
    )
    return 0


def cmd_evaluate(target: str, args: argparse.Namespace) -> int:
    from coder.services import suggestions as sg

    if args.folds < 2:
        raise SuggestUsage("--folds must be at least 2")
    with _open(target) as project:
        rep = sg.evaluate(project, folds=args.folds, apply=args.apply)
    fields = ("recall_at_1", "recall_at_3", "precision_at_1", "macro_f1", "kappa")
    if args.json:
        print(
            json.dumps(
                {
                    "method": rep.method,
                    "split_by": rep.split_by,
                    "groups": rep.groups,
                    "folds": rep.folds,
                    "passages": rep.passages,
                    "coded": rep.coded,
                    "mean": {f: round(getattr(rep.scores, f), 4) for f in fields},
                    "baseline": {f: round(getattr(rep.baseline, f), 4) for f in fields},
                    "codes": [
                        {
                            "code": c.code_name,
                            "support": c.support,
                            "kappa": round(c.kappa, 4),
                            "f1": round(c.f1, 4),
                        }
                        for c in rep.per_code
                    ],
                    "candidates": [
                        {"method": n, "kappa": round(k, 4), "recall_at_3": round(r, 4)}
                        for n, k, r in rep.candidates
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(
        f"{rep.coded} coded passages ({rep.passages} with decisions), {rep.groups} "
        f"{rep.split_by}s, {rep.folds}-fold cross-validation by {rep.split_by}"
    )
    note = "now this project's method" if args.apply else "not applied; --apply to use it"
    print(f"method: {rep.method} ({note})\n")
    print(f"{'':18s}{'recall@1':>9s}{'recall@3':>9s}{'prec@1':>8s}{'macroF1':>8s}{'kappa':>7s}")
    for label, sc in (("coder", rep.scores), ("most frequent", rep.baseline)):
        print(
            f"{label:18s}{sc.recall_at_1:9.2f}{sc.recall_at_3:9.2f}{sc.precision_at_1:8.2f}"
            f"{sc.macro_f1:8.2f}{sc.kappa:7.2f}"
        )
    if rep.per_code:
        print(f"\n{'code':40s}{'n':>5s}{'kappa':>7s}{'F1':>6s}")
        for c in sorted(rep.per_code, key=lambda c: -c.support):
            name = c.code_name if len(c.code_name) <= 38 else c.code_name[:35] + "..."
            print(f"{name:40s}{c.support:5d}{c.kappa:7.2f}{c.f1:6.2f}")
    return 0
