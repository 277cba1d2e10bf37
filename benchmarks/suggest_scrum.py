"""Suggestion quality on a real, human-coded interview study (Alami & Krancher's Scrum study).

Loads ../shared/benchmarks/scrum (read there, never copied into the repository) into two
throwaway coder projects, one per level: the 16 pattern codes (themes: name, the member codes'
names as keywords, their definitions and examples), and the first-cycle codes used at least 3
times (codebook.csv: definition, inclusion, typical and atypical examples). Each participant
becomes one transcript (the interviewer's question, then the participant's coded excerpts);
the authors' codings are applied through coder.services.coding.codings as the gold standard.

Then, for 0, 10, 25, 50 and 80% of participants "coded" (several seeds), every method is
trained on the coded participants and scored on the others' excerpts:

- coder: the shipped method (coder.suggest), with its per-project method choice made by
  cross-validation on the coded participants only, when there are enough of them;
- centroid: tf-idf centroids of codebook text + coded passages, fused (the lead's first
  measurement), on coder's terms and codebook weighting, deciding "applies" for codes within
  80% of the passage's best score;
- plain centroid: the same with every codebook word weighted alike (the code's name no
  more than a word of its definition), closer to the lead's measurement;
- textcat: spaCy textcat_multilabel (TextCatBOW.v3, unigrams+bigrams), trained with
  nlp.update on coded passages plus one pseudo-passage per code from its codebook text;
- tfidf+LR: scikit-learn logistic regression (one-vs-rest, balanced) on lemma tf-idf of the
  same training data; textcat and LR apply a code when its probability is >= 0.5;
- most-frequent: ranks codes by how often the coded participants used them.

Metrics (coder.suggest.evaluate.metrics): Cohen's kappa per code (mean over codes with a test
passage) from each method's own decisions; "kappa*" gives every method coder's decision rule
(z-score against all passages + near the best), to separate ranking quality from
calibration; recall@3 is the share of a passage's codes among the top 3; "±" is the standard
error of a mean over seeds (kappa for every method, recall@3 too for coder).

Two protocols, both printed by default (--quotes):
- "given": the codebook as the authors published it. Its typical and atypical examples quote
  participants ("(Participant 7)"), held-out ones too, so held-out text leaks into the
  codebook. This is how the issue's reference column measures as far as we can reproduce it:
  the plain centroid gets close to the reference figures only under this protocol.
- "hidden": in each split, examples quoting a held-out participant are removed (the codebook
  was written after coding everyone). Stricter, and what a new study's codebook is like.

    /work/venv/bin/python benchmarks/suggest_scrum.py [--seeds 5] [--quick] [--quotes both]
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
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coder.services.codebook.transfer import import_codebook  # noqa: E402
from coder.services.coding.codings import apply_code  # noqa: E402
from coder.services.project.store import Project  # noqa: E402
from coder.services.sources.cases import import_cases  # noqa: E402
from coder.services.sources.transcripts import import_files  # noqa: E402
from coder.services.suggestions.scoring import evaluation_data  # noqa: E402
from coder.suggest.calibrate import codes_per_passage, decision_bars  # noqa: E402
from coder.suggest.evaluate import (  # noqa: E402
    Metrics,
    Prepared,
    enough_for_selection,
    metrics,
    select_method,
)
from coder.suggest.model import CANDIDATES, DEFAULT, CodeTerms, CodeText, Method, code_terms  # noqa: E402
from coder.suggest.pipeline import Pipeline  # noqa: E402
from coder.suggest.prior import KEYWORD_REPEAT, NAME_REPEAT  # noqa: E402
from coder.vocab.dto import Codebook, CodeSpec  # noqa: E402

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "scrum"
QUOTE = re.compile(r"\(\s*participant\s*(\d+)\s*\)", re.IGNORECASE)
FRACTIONS = (0.0, 0.10, 0.25, 0.50, 0.80)
METHODS = ("coder", "centroid", "plain centroid", "textcat", "tfidf+LR", "most-frequent")


def norm(s: str) -> str:
    return " ".join(s.lower().split())


@dataclass
class Excerpt:
    participant: str
    question: str
    text: str
    codes: set[str]


def load(folder: Path) -> tuple[list[Excerpt], dict[str, dict[str, str]], dict[str, set[str]]]:
    rows = list(csv.DictReader(open(folder / "segments_codes_long.csv", encoding="utf-8")))
    found: dict[tuple[str, str], Excerpt] = {}
    for r in rows:
        key = (r["participant"].strip(), " ".join(r["chunk"].split()))
        if key not in found:
            found[key] = Excerpt(
                key[0], " ".join(r["question"].split()), key[1].strip('"“” '), set()
            )
        found[key].codes.add(norm(r["code"]))
    book = merged_codebook(list(csv.DictReader(open(folder / "codebook.csv", encoding="utf-8"))))
    patterns: dict[str, set[str]] = defaultdict(set)
    for r in csv.DictReader(open(folder / "pattern_codes.csv", encoding="utf-8")):
        patterns[" ".join(r["pattern"].split())].add(norm(r["code"]))
    return list(found.values()), book, dict(patterns)


SEE_ROW = re.compile(r"^\s*see row\s*#?\s*\d+\s*\.?\s*$", re.IGNORECASE)


def merged_codebook(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """One entry per code. codebook.csv has one row per (perspective, code): the first often
    holds the definition and later ones say "See row #6" or are empty, so every row's
    definition, inclusion and examples are kept (distinct texts, in file order), not the
    last row's only."""
    out: dict[str, dict[str, list[str]]] = {}
    for r in rows:
        entry = out.setdefault(norm(r["code"]), {})
        for col in ("definition", "inclusion", "typical", "atypical"):
            text = (r.get(col) or "").strip()
            if text and not SEE_ROW.match(text) and text not in entry.setdefault(col, []):
                entry[col].append(text)
    sep = {"definition": " ", "inclusion": " ", "typical": "\n\n", "atypical": "\n\n"}
    return {
        code: {col: sep[col].join(texts) for col, texts in entry.items()}
        for code, entry in out.items()
    }


def quotes(row: dict[str, str] | None) -> list[str]:
    out = []
    for col in ("typical", "atypical"):
        for part in re.split(r"\n\s*\n", (row or {}).get(col, "") or ""):
            part = " ".join(part.split())
            if part and not part.lower().startswith("there is no"):
                out.append(part)
    return out


def codebooks(
    excerpts: list[Excerpt], book: dict[str, dict[str, str]], patterns: dict[str, set[str]]
) -> dict[str, tuple[list[CodeSpec], dict]]:
    """Per level: the codes, and excerpt -> gold code names."""
    used = Counter(c for e in excerpts for c in e.codes)
    first = sorted(c for c, n in used.items() if n >= 3)
    specs = [
        CodeSpec(
            name=c,
            description=(book.get(c) or {}).get("definition", ""),
            inclusion=(book.get(c) or {}).get("inclusion", ""),
            examples=tuple(quotes(book.get(c))),
        )
        for c in first
    ]
    gold_first = {id(e): {c for c in e.codes if c in set(first)} for e in excerpts}
    pspecs = []
    for p, members in sorted(patterns.items()):
        ms = sorted(members)
        pspecs.append(
            CodeSpec(
                name=p,
                keywords=tuple(ms),
                description=" ".join((book.get(m) or {}).get("definition", "") for m in ms),
                examples=tuple(q for m in ms for q in quotes(book.get(m))),
            )
        )
    gold_pat = {id(e): {p for p, ms in patterns.items() if e.codes & ms} for e in excerpts}
    return {"pattern": (pspecs, gold_pat), "first-cycle": (specs, gold_first)}


def build_project(
    target: Path,
    work: Path,
    excerpts: list[Excerpt],
    specs: list[CodeSpec],
    gold: dict[int, set[str]],
) -> None:
    by_person: dict[str, list[Excerpt]] = defaultdict(list)
    for e in excerpts:
        by_person[e.participant].append(e)
    files, sheet = [], ["Participant,Source"]
    for person, items in sorted(by_person.items()):
        parts, last_q = [], None
        for e in items:
            if e.question != last_q:
                parts.append(f"Interviewer: {e.question}")
                parts.append(f"{person}: {e.text}")
                last_q = e.question
            else:
                parts[-1] += " " + e.text
        path = work / f"{person.replace(' ', '_')}.txt"
        path.write_text("\n\n".join(parts) + "\n", "utf-8")
        files.append(path)
        sheet.append(f"{person},{path.name}")
    (work / "participants.csv").write_text("\n".join(sheet) + "\n", "utf-8")
    with Project.create(target) as project:
        import_files(project, files)
        import_cases(project, str(work / "participants.csv"))
        import_codebook(project, Codebook(title="Scrum", codes=tuple(specs)))
        from coder.services.codebook.codes import flat_codes
        from coder.services.sources.transcripts import get_source, list_sources

        ids = {c.name: c.id for c in flat_codes(project)}
        sources = {s.case_name: s.id for s in list_sources(project)}
        for person, items in by_person.items():
            sid = sources[person]
            text = get_source(project, sid).text
            cursor = 0
            for e in items:
                start = text.find(e.text, cursor)
                if start < 0:
                    raise SystemExit(f"excerpt of {person} not found in its transcript")
                cursor = start + len(e.text)
                for code in sorted(gold[id(e)]):
                    apply_code(project, sid, start, cursor, ids[code], coder="authors")


def held_out_codes(
    texts: dict[int, CodeText],
    keys: list[int],
    held: set[str],
    keep: bool,
    pipeline: Pipeline,
    cache: dict,
    plain: bool = False,
) -> list[CodeTerms]:
    out = []
    for k in keys:
        t = texts[k]
        if not keep:
            ex = tuple(
                x
                for x in t.examples
                if not any(f"Participant {m}" in held for m in QUOTE.findall(x))
            )
            t = replace(t, examples=tuple(QUOTE.sub("", x) for x in ex))
        if (t, plain) not in cache:
            repeat = (1, 1) if plain else (NAME_REPEAT, KEYWORD_REPEAT)
            cache[(t, plain)] = code_terms(t, pipeline.terms, *repeat)
        out.append(cache[(t, plain)])
    return out


def near_rule(s: np.ndarray, rho: float = 0.8) -> np.ndarray:
    return (s >= rho * s.max(1, keepdims=True)) & (s > 0)


def same_rule(
    s_all: np.ndarray, test: list[int], method: Method = DEFAULT, rate: float | None = None
) -> np.ndarray:
    mu, sd = s_all.mean(0), s_all.std(0) + 1e-6
    s = s_all[test]
    z = (s - mu) / sd
    alone, near = decision_bars(method.z, s.shape[1], rate)
    return (z >= alone) | (near_rule(s, method.rho) & (z >= near))


def textcat_scores(
    prep: Prepared, train: list[int], codes: list[CodeTerms], seed: int
) -> np.ndarray:
    import spacy
    from spacy.training import Example as SpacyExample
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    nlp = spacy.blank("en")
    tc = nlp.add_pipe(
        "textcat_multilabel",
        config={
            "model": {
                "@architectures": "spacy.TextCatBOW.v3",
                "exclusive_classes": False,
                "ngram_size": 2,
                "no_output_layer": False,
                "length": 262144,
                "nO": None,
            }
        },
    )
    labels = [str(c.key) for c in codes]
    for lab in labels:
        tc.add_label(lab)
    docs = [(" ".join(prep.examples[i].terms.keys), prep.examples[i].codes) for i in train]
    docs += [(" ".join(c.include), frozenset({c.key})) for c in codes]
    examples = [
        SpacyExample.from_dict(
            nlp.make_doc(t), {"cats": {lab: float(int(lab) in cs) for lab in labels}}
        )
        for t, cs in docs
    ]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for _epoch in range(10):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=8):
            nlp.update(batch, sgd=optimizer, drop=0.1)
    texts = [" ".join(e.terms.keys) for e in prep.examples]
    return np.array([[d.cats[lab] for lab in labels] for d in nlp.pipe(texts)], np.float32)


def lr_scores(prep: Prepared, train: list[int], codes: list[CodeTerms]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    docs = [list(prep.examples[i].terms.keys) for i in train] + [list(c.include) for c in codes]
    labels = [prep.examples[i].codes for i in train] + [frozenset({c.key}) for c in codes]
    vec = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True)
    x = vec.fit_transform(docs)
    xa = vec.transform([list(e.terms.keys) for e in prep.examples])
    out = np.zeros((len(prep.examples), len(codes)), np.float32)
    for j, c in enumerate(codes):
        y = np.array([c.key in ls for ls in labels])
        if y.all() or not y.any():
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000)
            out[:, j] = model.fit(x, y).predict_proba(xa)[:, 1]
    return out


def run_level(
    prep: Prepared,
    texts: dict[int, CodeText],
    people: dict[str, str],
    seeds: int,
    keep_quotes: bool,
    quick: bool,
    force: Method | None = None,
) -> dict:
    pipeline = Pipeline()
    keys = [c.key for c in prep.codes]
    names = sorted(set(people.values()))
    groups = [people[e.group] for e in prep.examples]
    cache: dict = {}
    table: dict = defaultdict(lambda: defaultdict(list))
    everyone = list(range(len(prep.examples)))
    for frac in FRACTIONS:
        for seed in range(seeds):
            order = names[:]
            random.Random(seed).shuffle(order)
            coded = set(order[: round(frac * len(order))])
            train = [i for i, g in enumerate(groups) if g in coded]
            test = [i for i, g in enumerate(groups) if g not in coded]
            codes = held_out_codes(texts, keys, set(order) - coded, keep_quotes, pipeline, cache)
            gold = [prep.examples[i].codes for i in test]
            method = force or DEFAULT
            if force is None and enough_for_selection(prep, train):
                method = select_method(prep, train, codes=codes).method
            table[frac]["chosen"].append(method.name)
            rate = codes_per_passage(
                [sorted(prep.examples[i].codes) for i in train if prep.examples[i].codes]
            )
            scorer, s_all, _ = prep.run(train, everyone, method, codes)
            d = scorer.decide(s_all)
            results: dict[str, tuple[np.ndarray, np.ndarray]] = {"coder": (s_all, d)}
            cen = Method(name="centroid", context_weight=0.0, expand_weight=0.0)
            _, c_all, _ = prep.run(train, everyone, cen, codes)
            results["centroid"] = (c_all, near_rule(c_all))
            plain = held_out_codes(
                texts, keys, set(order) - coded, keep_quotes, pipeline, cache, plain=True
            )
            _, p_all, _ = prep.run(train, everyone, cen, plain)
            results["plain centroid"] = (p_all, near_rule(p_all))
            if not quick:
                t_all = textcat_scores(prep, train, codes, seed)
                results["textcat"] = (t_all, t_all >= 0.5)
                l_all = lr_scores(prep, train, codes)
                results["tfidf+LR"] = (l_all, l_all >= 0.5)
            freq = Counter(c for i in train for c in prep.examples[i].codes)
            f_all = np.tile(
                np.array(
                    [freq[k] + 1e-6 * (len(keys) - j) for j, k in enumerate(keys)], np.float32
                ),
                (len(everyone), 1),
            )
            f_dec = np.zeros_like(f_all, bool)
            if freq:
                f_dec[:, int(np.argmax(f_all[0]))] = True
            results["most-frequent"] = (f_all, f_dec)
            for name, (s, dec) in results.items():
                m: Metrics = metrics(s[test], dec[test], gold, keys, min_support=1)
                same = same_rule(s, test, rate=rate)
                m_same = metrics(s[test], same, gold, keys, min_support=1)
                table[frac][name].append(
                    (m.kappa, m.recall_at_3, m_same.kappa, m.recall_at_1, m.macro_f1)
                )
    return table


REFERENCE = {0.25: (0.34, 0.56), 0.50: (0.36, 0.60)}  # the right-hand column


def print_table(level: str, table: dict, quick: bool) -> None:
    methods = [m for m in METHODS if not quick or m not in ("textcat", "tfidf+LR")]
    print(
        f"\n{level} codes — kappa / recall@3 (mean over seeds, ± standard error over seeds; "
        "kappa* = coder's decision rule)"
    )
    head = f"{'coded':>6s} " + f"{'coder':>31s}" + "".join(f"{m:>27s}" for m in methods[1:])
    print(head)
    print(
        f"{'':6s} {'kappa    r@3 (± se)  kappa*':>31s}"
        + "".join(f"{'kappa (± se)  r@3 kappa*':>27s}" for _ in methods[1:])
    )
    for frac, row in table.items():
        runs = np.array(row["coder"])
        k, r3, ks, _r1, _f1 = runs.mean(0)
        se = runs.std(0) / np.sqrt(max(len(runs), 1))
        cells = [f"{k:8.3f} ±{se[0]:.3f} {r3:5.3f} ±{se[1]:.3f}{ks:6.2f}"]
        for m in methods[1:]:
            runs = np.array(row[m])
            k, r3, ks, _r1, _f1 = runs.mean(0)
            se_k = runs[:, 0].std() / np.sqrt(max(len(runs), 1))
            cells.append(f"{k:9.2f} ±{se_k:.3f}{r3:6.2f}{ks:6.2f}")
        print(f"{frac:6.0%} " + "".join(cells))
    chosen = {frac: Counter(row["chosen"]).most_common(1)[0][0] for frac, row in table.items()}
    print(
        "coder's per-project choice (most common): "
        + ", ".join(f"{f:.0%}: {c}" for f, c in chosen.items())
    )
    if level.startswith("first-cycle"):
        print(
            "reference (the issue's fused centroids, first-cycle): "
            + ", ".join(f"{f:.0%}: kappa {k:.2f}, r@3 {r:.2f}" for f, (k, r) in REFERENCE.items())
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument(
        "--quotes",
        choices=("given", "hidden", "both"),
        default="both",
        help="codebook examples quoting held-out participants: as given, hidden, or both",
    )
    ap.add_argument("--quick", action="store_true", help="skip textcat and tfidf+LR")
    ap.add_argument("--level", choices=("pattern", "first-cycle", "both"), default="both")
    ap.add_argument(
        "--method",
        choices=[m.name for m in CANDIDATES],
        help="analysis: use this candidate everywhere instead of choosing",
    )
    args = ap.parse_args()
    if not (args.data / "segments_codes_long.csv").exists():
        raise SystemExit(f"no Scrum data at {args.data} (see its README.md)")
    excerpts, book, patterns = load(args.data)
    levels = codebooks(excerpts, book, patterns)
    t0 = time.perf_counter()
    print(
        f"Scrum study: {len(excerpts)} excerpts, "
        f"{len({e.participant for e in excerpts})} participants; seeds {args.seeds}"
    )
    protocols = ("given", "hidden") if args.quotes == "both" else (args.quotes,)
    force = next((m for m in CANDIDATES if m.name == args.method), None)
    with tempfile.TemporaryDirectory() as tmp:
        for level, (specs, gold) in levels.items():
            if args.level not in ("both", level):
                continue
            work = Path(tmp) / level
            work.mkdir()
            build_project(work / "scrum.coder", work, excerpts, specs, gold)
            with Project.open(work / "scrum.coder") as project:
                prep, texts, _split = evaluation_data(project)
                from coder.services.sources.cases import list_cases

                people = {f"case:{c.id}": c.name for c in list_cases(project)}
            for protocol in protocols:
                keep = protocol == "given"
                table = run_level(prep, texts, people, args.seeds, keep, args.quick, force)
                quotes = "as given" if keep else "held-out quotes hidden"
                print_table(f"{level} ({len(specs)} codes; codebook {quotes})", table, args.quick)
    print(f"\n({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
