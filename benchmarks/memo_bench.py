"""Keystroke latency in the memo dialog on a very long memo (issue 13.16: a 218 KB memo took
2.3-2.8 s per key). Not a timed test; it prints figures.

    .venv/bin/python benchmarks/memo_bench.py [--kb 218] [--keys 20] [--paragraphs]

The memo is one long paragraph by default (the reported case: a pasted transcript with no
line breaks); --paragraphs splits it into paragraphs of about 100 words.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def memo_text(kb: int, paragraphs: bool) -> str:
    words = "we talked about the fans and how they reply to every post um".split()
    out: list[str] = []
    size = 0
    i = 0
    while size < kb * 1024:
        w = words[i % len(words)]
        out.append(w + ("\n\n" if paragraphs and i % 100 == 99 else " "))
        size += len(out[-1])
        i += 1
    return "".join(out)


async def run(kb: int, keys: int, paragraphs: bool) -> None:
    from textual.app import App

    from coder.tui.dialogs.memo import MemoScreen
    from coder.tui.widgets.memo_area import MemoArea

    text = memo_text(kb, paragraphs)

    class Bench(App[None]):
        pass

    app = Bench()
    async with app.run_test(size=(120, 40)) as pilot:
        t0 = time.perf_counter()
        await app.push_screen(MemoScreen("Memo", text, title="Long"))
        area = app.screen.query_one(MemoArea)
        area.focus()
        await pilot.pause()
        opened = time.perf_counter() - t0
        times, cpu = [], []
        for _ in range(keys):
            t, c = time.perf_counter(), time.process_time()
            await pilot.press("x")
            await pilot.pause()
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        assert area.text.endswith("x" * keys) or "x" * keys in area.text
    times.sort()
    print(
        f"memo {len(text) / 1024:,.0f} KB ({'paragraphs' if paragraphs else 'one paragraph'}): "
        f"open {opened * 1000:,.0f} ms; per key p50 {statistics.median(times) * 1000:,.1f} ms, "
        f"max {times[-1] * 1000:,.1f} ms over {keys} keys; CPU per key p50 "
        f"{statistics.median(cpu) * 1000:,.1f} ms (wall time includes waiting for a frame and, "
        f"on a busy machine, for the CPU; load {os.getloadavg()[0]:.1f})"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kb", type=int, default=218)
    ap.add_argument("--keys", type=int, default=20)
    ap.add_argument("--paragraphs", action="store_true")
    a = ap.parse_args()
    asyncio.run(run(a.kb, a.keys, a.paragraphs))


if __name__ == "__main__":
    main()
