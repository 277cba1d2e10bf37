"""Suggestion quality on a human-coded survey with many codes per answer (the Shuffle study).

Sanfilippo et al. (2020), "Do the shuffle": about 784 open-ended answers from about 400
participants, about 6.8 level-3 codes per answer, a three-level code hierarchy and code names
only (no definitions). Read from ../shared/benchmarks/shuffle (never copied into the
repository). The Scrum benchmark (benchmarks/suggest_scrum.py) is the opposite case: about one
code per passage.

Each participant becomes one transcript ("Survey: track a" then the answer, per track); the
codebook is the hierarchy from themes.xlsx (level-1 and level-2 as uncodable groups, the
level-3 codes inside them); the authors' codes are applied through coder's services as the gold
standard. For 0, 10, 25 and 50% of participants coded (seeds), each method is trained on the
coded participants and scored on the others' answers, split by participant:

- coder: the shipped method, with its per-project choice by cross-validation when there is
  enough coding (as in a real project);
- plain centroid: tf-idf centroids of codebook text + coded passages, every codebook word
  weighted alike, applying codes within 80% of the passage's best score;
- most-frequent: ranks codes by how often the coded participants used them and applies the
  most frequent one.

Printed per fraction: mean Cohen's kappa over codes (with its standard error over seeds),
recall@3, and codes per passage predicted against actual.

    .venv/bin/python benchmarks/suggest_shuffle.py --data ../shared/benchmarks/shuffle [--seeds 3]
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import tempfile
import time
import warnings
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.suggest_scrum import held_out_codes, near_rule  # noqa: E402
from coder.services.codebook.transfer import import_codebook  # noqa: E402
from coder.services.coding.codings import apply_code  # noqa: E402
from coder.services.project.store import Project  # noqa: E402
from coder.services.sources.cases import import_cases, list_cases  # noqa: E402
from coder.services.suggestions.scoring import evaluation_data  # noqa: E402
from coder.suggest.evaluate import Prepared, enough_for_selection, metrics, select_method  # noqa: E402
from coder.suggest.model import DEFAULT, CodeText, Method  # noqa: E402
from coder.suggest.pipeline import Pipeline  # noqa: E402
from coder.vocab.dto import Codebook, CodeSpec  # noqa: E402

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "shuffle"
FRACTIONS = (0.0, 0.10, 0.25, 0.50)
METHODS = ("coder", "plain centroid", "most-frequent")
RANGE = re.compile(r"!([A-Z]+)\d+(?::([A-Z]+)\d+)?")


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def hierarchy(xlsx: Path) -> tuple[CodeSpec, ...]:
    """Level 1 > level 2 > level 3, read from the SUM formulas of themes.xlsx."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(xlsx)

    def spans(sheet: str) -> tuple[list[str], dict[int, tuple[int, int]]]:
        rows = list(wb[sheet].iter_rows(values_only=True))
        out: dict[int, tuple[int, int]] = {}
        for row in rows[1:]:
            for j, v in enumerate(row):
                if isinstance(v, str) and j not in out and (m := RANGE.search(v)):
                    out[j] = (_col(m[1]), _col(m[2] or m[1]))
        return [str(h or "").strip() for h in rows[0]], out

    level3 = [str(h or "").strip() for h in next(wb["ALL_Level 3 "].iter_rows(values_only=True))]
    names2, span2 = spans("Level 2 SUM ")
    names1, span1 = spans("Level 1  SUM ")
    # A category whose cells hold no formula takes the level-3 columns between its neighbours.
    for j2 in range(2, len(names2)):
        if j2 not in span2 and j2 - 1 in span2 and j2 + 1 in span2:
            span2[j2] = (span2[j2 - 1][1] + 1, span2[j2 + 1][0] - 1)
    themes, placed = [], set()
    for j1, (a1, b1) in sorted(span1.items()):
        cats = []
        for j2 in range(a1, b1 + 1):
            a2, b2 = span2[j2]
            kids = tuple(CodeSpec(name=level3[k]) for k in range(a2, b2 + 1) if level3[k])
            placed.update(range(a2, b2 + 1))
            cats.append(CodeSpec(name=names2[j2], codable=False, children=kids))
        themes.append(CodeSpec(name=names1[j1], codable=False, children=tuple(cats)))
    # Codes outside the hierarchy ("No relationship", ...) stay codes of their own.
    rest = [CodeSpec(name=n) for k, n in enumerate(level3) if k >= 2 and n and k not in placed]
    return (*themes, *rest)


def load(folder: Path) -> dict[tuple[str, str], tuple[str, set[str]]]:
    """(participant, track) -> (answer, level-3 codes)."""
    out: dict[tuple[str, str], tuple[str, set[str]]] = {}
    with open(folder / "shuffle_music_coded_LONG.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            key = (r["participant_id"].strip(), r["track_id"].strip())
            text = " ".join(r["full_response_text"].split())
            if text:
                out.setdefault(key, (text, set()))[1].add(r["code_level3"].strip())
    return out


def build_project(target: Path, work: Path, answers: dict, themes: tuple[CodeSpec, ...]) -> None:
    by_person: dict[str, list[tuple[str, str, set[str]]]] = defaultdict(list)
    for (person, track), (text, codes) in sorted(answers.items()):
        by_person[person].append((track, text, codes))
    files, sheet = [], ["Participant,Source"]
    for person, items in by_person.items():
        body = "\n\n".join(f"Survey: track {t}\n\nP{person}: {text}" for t, text, _ in items)
        path = work / f"P{person}.txt"
        path.write_text(body + "\n", "utf-8")
        files.append(path)
        sheet.append(f"P{person},{path.name}")
    (work / "participants.csv").write_text("\n".join(sheet) + "\n", "utf-8")
    from coder.services.codebook.codes import flat_codes
    from coder.services.sources.transcripts import get_source, import_files, list_sources

    with Project.create(target) as project:
        import_files(project, files)
        import_cases(project, str(work / "participants.csv"))
        import_codebook(project, Codebook(title="Shuffle", codes=themes))
        ids = {c.name: c.id for c in flat_codes(project) if c.codable}
        sources = {s.case_name: s.id for s in list_sources(project)}
        for person, items in by_person.items():
            sid = sources[f"P{person}"]
            text = get_source(project, sid).text
            cursor = 0
            for _t, answer, codes in items:
                start = text.find(answer, cursor)
                cursor = start + len(answer)
                for code in sorted(c for c in codes if c in ids):
                    apply_code(project, sid, start, cursor, ids[code], coder="authors")


def run(prep: Prepared, texts: dict[int, CodeText], people: dict[str, str], seeds: int) -> dict:
    pipeline = Pipeline()
    keys = [c.key for c in prep.codes]
    names = sorted(set(people.values()))
    groups = [people[e.group] for e in prep.examples]
    everyone = list(range(len(prep.examples)))
    cache: dict = {}
    table: dict = defaultdict(lambda: defaultdict(list))
    cen = Method(name="centroid", context_weight=0.0, expand_weight=0.0)
    for frac in FRACTIONS:
        for seed in range(seeds):
            order = names[:]
            random.Random(seed).shuffle(order)
            coded = set(order[: round(frac * len(order))])
            train = [i for i, g in enumerate(groups) if g in coded]
            test = [i for i, g in enumerate(groups) if g not in coded]
            gold = [prep.examples[i].codes for i in test]
            codes = held_out_codes(texts, keys, set(), True, pipeline, cache)
            plain = held_out_codes(texts, keys, set(), True, pipeline, cache, plain=True)
            method = DEFAULT
            if enough_for_selection(prep, train):
                method = select_method(prep, train, codes=codes).method
            table[frac]["chosen"].append(method.name)
            scorer, s_all, _ = prep.run(train, everyone, method, codes)
            results = {"coder": (s_all, scorer.decide(s_all))}
            _, p_all, _ = prep.run(train, everyone, cen, plain)
            results["plain centroid"] = (p_all, near_rule(p_all))
            freq = Counter(c for i in train for c in prep.examples[i].codes)
            f_all = np.tile(
                np.array([freq[k] + 1e-6 * (len(keys) - j) for j, k in enumerate(keys)]),
                (len(everyone), 1),
            ).astype(np.float32)
            f_dec = np.zeros_like(f_all, bool)
            if freq:
                f_dec[:, int(np.argmax(f_all[0]))] = True
            results["most-frequent"] = (f_all, f_dec)
            actual = float(np.mean([len(g) for g in gold]))
            for name, (s, d) in results.items():
                m = metrics(s[test], d[test], gold, keys, min_support=1)
                predicted = float(d[test].sum(1).mean())
                table[frac][name].append((m.kappa, m.recall_at_3, predicted, actual))
    return table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--seeds", type=int, default=3)
    args = ap.parse_args()
    if not (args.data / "shuffle_music_coded_LONG.csv").exists():
        raise SystemExit(f"no Shuffle data at {args.data} (see its README.md)")
    t0 = time.perf_counter()
    answers = load(args.data)
    themes = hierarchy(args.data / "themes.xlsx")
    print(
        f"Shuffle study: {len(answers)} answers, {len({p for p, _ in answers})} participants, "
        f"{np.mean([len(c) for _t, c in answers.values()]):.2f} codes per answer; "
        f"seeds {args.seeds}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        build_project(work / "shuffle.coder", work, answers, themes)
        with Project.open(work / "shuffle.coder") as project:
            prep, texts, _split = evaluation_data(project)
            people = {f"case:{c.id}": c.name for c in list_cases(project)}
    table = run(prep, texts, people, args.seeds)
    print(f"\n{len(prep.codes)} level-3 codes — kappa (± se) / recall@3 / codes per passage")
    print(f"{'coded':>6s}" + "".join(f"{m:>30s}" for m in METHODS) + f"{'actual':>8s}")
    for frac, row in table.items():
        cells = []
        for name in METHODS:
            runs = np.array(row[name])
            k, r3, pred, actual = runs.mean(0)
            se = runs[:, 0].std() / np.sqrt(len(runs))
            cells.append(f"{k:10.3f} ±{se:.3f} {r3:6.3f} {pred:6.2f}")
        print(f"{frac:6.0%}" + "".join(cells) + f"{actual:8.2f}")
    chosen = {f: Counter(r["chosen"]).most_common(1)[0][0] for f, r in table.items()}
    print("coder's choice: " + ", ".join(f"{f:.0%}: {c}" for f, c in chosen.items()))
    print(f"\n({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
