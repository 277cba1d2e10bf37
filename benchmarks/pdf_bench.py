"""PDF import speed against plain-text import of the same transcript, and hostile-PDF refusals.

    python benchmarks/pdf_bench.py                 # a 300-page transcript PDF vs the same .txt
    python benchmarks/pdf_bench.py --pages 30      # a quicker look
    python benchmarks/pdf_bench.py --hostile       # time and peak memory refusing crafted PDFs

The PDF is generated first (reportlab, not timed) from synthetic interview turns: one column,
running header and footer, words hyphenated at line ends. The same turns are written as a .txt.
Both are imported through the service `coder import` uses (parse + one transaction), into
separate SQLite projects. Each hostile file is refused in a fresh process so its peak RSS is
its own.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import COMMON, THEMED  # noqa: E402
from coder.ingest.pdf import page_starts  # noqa: E402
from coder.services.project.store import Project  # noqa: E402
from coder.services.sources.transcripts import get_source, import_files  # noqa: E402
from tests.ingest import pdf_make  # noqa: E402

HOSTILE = ("bomb", "loop", "many-pages")


def _turns(pages: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    words = COMMON + THEMED + ["independently", "merchandising", "extraordinarily"]
    turns = []
    # measured: 330 turns of 40 words fill 38 pages of the generated layout
    for i in range(round(pages * 330 / 38)):
        said = " ".join(rng.choice(words) for _ in range(40))
        turns.append(("Interviewer" if i % 2 == 0 else "Participant", said.capitalize() + "."))
    return turns


def _import(path: Path, work: Path) -> tuple[float, int, int, str]:
    target = work / f"{path.suffix[1:]}.coder"
    with Project.create(target) as project:
        started = time.perf_counter()
        (outcome,) = import_files(project, [path])
        elapsed = time.perf_counter() - started
        assert outcome.status == "imported", outcome
        assert outcome.source_id is not None
        text = get_source(project, outcome.source_id).text
    return elapsed, outcome.words, outcome.turns, text


def speed(pages: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="coder-pdf-bench-"))
    try:
        turns = _turns(pages)
        started = time.perf_counter()
        pdf = work / "interview.pdf"
        pdf.write_bytes(pdf_make.transcript_pdf(turns))
        txt = work / "interview.txt"
        txt.write_text("\n\n".join(f"{s}: {t}" for s, t in turns), encoding="utf-8")
        made = time.perf_counter() - started
        print(f"generated {pdf.stat().st_size / 2**20:.1f} MB PDF in {made:.1f} s")
        pdf_s, pdf_words, pdf_turns, text = _import(pdf, work)
        txt_s, txt_words, txt_turns, _ = _import(txt, work)
        real_pages = len(page_starts(text))
        print(
            f"pdf: {real_pages} pages, {pdf_words:,} words, {pdf_turns} turns in {pdf_s:.2f} s = "
            f"{real_pages / pdf_s:,.0f} pages/s, {pdf_words / pdf_s:,.0f} words/s"
        )
        print(
            f"txt: {txt_words:,} words, {txt_turns} turns in {txt_s:.3f} s = "
            f"{txt_words / txt_s:,.0f} words/s ({pdf_s / txt_s:,.0f}x faster than the PDF)"
        )
        print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def refuse(kind: str) -> None:
    from coder.ingest import IngestError, parse_bytes

    data = {
        "bomb": lambda: pdf_make.bomb_pdf(400),
        "loop": pdf_make.loop_pdf,
        "many-pages": lambda: pdf_make.many_pages_pdf(1_000_000),
    }[kind]()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    try:
        parse_bytes(data, ".pdf")
        message = "ACCEPTED (should have been refused)"
    except IngestError as error:
        message = f"refused: {error}"
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{kind:>10}: {len(data) / 2**20:5.1f} MB file, {elapsed:.2f} s, peak RSS {peak:,.0f} MB "
        f"(before parsing {before:,.0f} MB) - {message}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--hostile", action="store_true", help="time refusing crafted PDFs")
    ap.add_argument("--refuse", choices=HOSTILE, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.refuse:
        refuse(args.refuse)
    elif args.hostile:
        for kind in HOSTILE:
            subprocess.run([sys.executable, __file__, "--refuse", kind], check=True)
    else:
        speed(args.pages)


if __name__ == "__main__":
    main()
