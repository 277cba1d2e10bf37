"""Figures for the coding workspace on a big synthetic study (not timed tests; it prints).

    nice -n 10 .venv/bin/python benchmarks/tui_bench.py [--cache /tmp/coder_tui_bench]
    nice -n 10 .venv/bin/python benchmarks/tui_bench.py --small    # a 10-transcript study
    nice -n 10 .venv/bin/python benchmarks/tui_bench.py --only open --repeat 5   # start-up rows

The cache folder's study.coder is used as it is when present. `--small` builds (and caches in
its own folder) a 10-transcript study of the bundled sample's size (10 x 10,000 words, 60
codes, 2,000 codings; its big code has 1,000 passages), the size where training is quickest
and re-choosing the method by cross-validation happens.

The study (1,000 transcripts of 10,000 words, 200 codes, 200,000 codings) is built once with
benchmarks/synth.py and cached; the benchmark then adds, once, a code with 10,000 passages and
a 50,000-word transcript with 1,000 codings. It measures, with real Textual pilots:

- time to interactive: app start until the first transcript is drawn and takes keys, and
  until every pane (counts, coverage) is filled; and a cold `coder open` on a pty;
- key press → coding committed and redrawn (p50/p95 over 200 presses), with the suggestions
  panel live and the suggester retraining in the background as it does after every coding;
  then 80 presses each made while a retraining runs; for both, the event loop's own CPU time
  per key (time.thread_time of its thread: what the workspace does, whatever the load);
- opening the retrieval view of the 10,000-passage code, to its first screen;
- page-down through the 50,000-word transcript (p50/p95 per page), and its wrap time;
- peak memory (ru_maxrss).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

BIG_CODE = "Bench: ten thousand passages"
BIG_PASSAGES = {False: 10_000, True: 1_000}  # the big code's passages (big study, --small)
LONG_SOURCE = "bench_long_50k"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def ensure_study(cache: Path, small: bool) -> Path:
    """Build (once) the synthetic study and the extras the benchmark needs."""
    from synth import build_coded_project, synth_transcript

    target = cache / "study.coder"
    if not target.exists():
        print(f"building {target} (a few minutes, once)…", flush=True)
        t = time.perf_counter()
        size = dict(n_sources=10, n_codes=60, n_codings=2_000) if small else {}
        build_coded_project(target, cache / "study.files", **size)  # type: ignore[arg-type]
        print(f"  built in {time.perf_counter() - t:.0f} s", flush=True)
    from sqlalchemy import insert, select

    from coder.db.models import Code, Coder, Coding, Source, new_guid, utcnow
    from coder.services.project.store import Project
    from coder.services.sources.transcripts import import_files

    with Project.open(target) as project:
        with project.reading() as s:
            have_code = s.scalar(select(Code.id).where(Code.name == BIG_CODE))
            long_id = s.scalar(select(Source.id).where(Source.name == LONG_SOURCE))
        rng = random.Random(7)
        if long_id is None:
            path = cache / f"{LONG_SOURCE}.txt"
            path.write_text(synth_transcript(rng, 50_000), "utf-8")
            import_files(project, [path])
            with project.reading() as s:
                long_id = s.scalar(select(Source.id).where(Source.name == LONG_SOURCE))
            with project.transaction() as s:
                text = s.scalar(select(Source.text).where(Source.id == long_id)) or ""
                codes = list(s.scalars(select(Code.id).where(Code.codable.is_(True))))
                coder = s.scalar(select(Coder.id)) or project.coder_id(s, "bench")
                rows = []
                for _ in range(1000):
                    st = rng.randrange(0, len(text) - 500)
                    end = st + rng.randint(40, 400)
                    rows.append(
                        dict(
                            guid=new_guid(),
                            source_id=long_id,
                            code_id=rng.choice(codes),
                            start=st,
                            end=end,
                            snippet=text[st:end],
                            coder_id=coder,
                            created_at=utcnow(),
                            memo="",
                            exemplar=False,
                        )
                    )
                s.execute(insert(Coding), rows)
        if have_code is None:
            with project.transaction() as s:
                code = Code(name=BIG_CODE, keywords=[], examples=[], color="#d62728", position=999)
                s.add(code)
                s.flush()
                coder = s.scalar(select(Coder.id)) or project.coder_id(s, "bench")
                sources = list(s.execute(select(Source.id, Source.words)))
                rows = []
                for i in range(BIG_PASSAGES[small]):
                    sid, _words = sources[i % len(sources)]
                    st = rng.randrange(0, 50_000)
                    rows.append(
                        dict(
                            guid=new_guid(),
                            source_id=sid,
                            code_id=code.id,
                            start=st,
                            end=st + rng.randint(40, 300),
                            snippet="(bench)",
                            coder_id=coder,
                            created_at=utcnow(),
                            memo="",
                            exemplar=False,
                        )
                    )
                s.execute(insert(Coding), rows)
        # Open on an ordinary transcript, as a researcher coming back would.
        from coder.services.coding.workspace import list_source_entries, save_last_source

        save_last_source(project, list_source_entries(project)[0].id)
    return target


async def until(check, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.perf_counter() + timeout
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError("benchmark condition never held")
        await asyncio.sleep(0.0003)


class Frames:
    """Counts the frames the app hands to its (headless) driver: a frame is a redraw. Each
    frame also wakes `shown` (no polling: the event loop's CPU time then is the app's), and
    notes the event loop thread's CPU time (time.thread_time) when it was drawn."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.count = 0
        self.cpu = 0.0  # the event loop's thread_time at the last frame
        self.at = 0.0  # and its perf_counter
        self.drawn = asyncio.Event()
        original = app._display

        def display(screen, renderable):  # type: ignore[no-untyped-def]
            done = original(screen, renderable)
            if renderable is not None:
                self.count += 1
                self.cpu = time.thread_time()
                self.at = time.perf_counter()
                self.drawn.set()
            return done

        app._display = display

    async def settled(self, wait: float = 1.0) -> float:
        """The time at which what holds now is on screen: the next frame's, or now if no
        frame comes within `wait` s (it was drawn before the caller's check saw it; waiting
        for one more frame then waited for an unrelated redraw, or forever)."""
        now, mark = time.perf_counter(), self.count
        try:
            await self.next_after(mark, wait)
        except TimeoutError:
            return now
        return self.at

    async def next_after(self, mark: int, timeout: float = 10.0) -> None:
        await until(lambda: self.count > mark, timeout)

    async def shown(self, check, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
        """Wait, without polling, for the first frame drawn once `check()` holds."""
        deadline = time.perf_counter() + timeout
        while True:
            self.drawn.clear()
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError("benchmark condition never held")
            await asyncio.wait_for(self.drawn.wait(), left)
            if check():
                return


async def quiet(app) -> None:  # type: ignore[no-untyped-def]
    """Wait for the writer and the suggestions worker, but not for background training (a
    researcher keeps coding while it runs, so it is part of what the latency measures)."""

    def idle() -> bool:
        return not app.writer.busy and not any(
            w.is_running for w in app.workers if w.group not in ("train", "read")
        )

    await until(idle, 600)  # the first suggestions may train a model first


def press(app, key: str) -> None:  # type: ignore[no-untyped-def]
    """Send a key the way the terminal driver does (no waiting for the CPU to go idle)."""
    from textual import events

    app._driver.send_message(events.Key(key, key if len(key) == 1 else None))


class Figures(dict[str, str]):
    """The figures, each also printed (with the load average) as soon as it is measured, so a
    run cut short still tells what it saw."""

    def __setitem__(self, key: str, value: str) -> None:
        load = os.getloadavg()[0]
        print(f"  {key}: {value}   (load {load:.1f})", flush=True)
        super().__setitem__(key, value)


async def bench_app(target: Path, small: bool = False, only_open: bool = False) -> dict[str, str]:
    from sqlalchemy import func, select

    from coder.db.models import Code, Coding, Source
    from coder.services.project.store import Project
    from coder.tui.app import CoderApp

    out: dict[str, str] = Figures()
    t0 = time.perf_counter()
    project = Project.open(target)
    app = CoderApp(project)
    async with app.run_test(size=(120, 40)) as pilot:
        frames = Frames(app)
        ws = app.workspace
        await until(lambda: ws.state.doc is not None and ws.transcript.layout_ is not None)
        await frames.next_after(frames.count)
        out["open: interactive (transcript drawn, keys live)"] = ms(time.perf_counter() - t0)
        with project.reading() as s:
            n_sources = s.scalar(select(func.count()).select_from(Source)) or 0
        await until(lambda: ws.state.counts_ready and len(ws.state.coverage) >= n_sources, 120)
        out["open: every pane filled (counts, % coded)"] = ms(await frames.settled() - t0)
        await pilot.pause()
        if only_open:
            await app.workers.wait_for_complete()
            project.close()
            return out

        # Key press -> committed and redrawn: as a researcher codes (the suggester retrains
        # in the background after each coding, resting after a slow training), then with
        # a retraining running at every press.
        with project.reading() as s:
            before = s.scalar(select(func.count()).select_from(Coding)) or 0
        await code_keys(app, pilot, frames, 200, out, "key -> coding committed + redrawn")
        await code_keys(
            app, pilot, frames, 80, out, "  the same while the suggester retrains", retraining=True
        )
        await app.workers.wait_for_complete()
        with project.reading() as s:
            after = s.scalar(select(func.count()).select_from(Coding)) or 0
        assert after - before == 280, (before, after)

        # Retrieval of a code with 10,000 passages.
        with project.reading() as s:
            big = s.scalar(select(Code.id).where(Code.name == BIG_CODE))
            long_id = s.scalar(select(Source.id).where(Source.name == LONG_SOURCE))
        try:
            await retrieval(app, pilot, frames, big, out, BIG_PASSAGES[small])
        except Exception as exc:  # report the rest of the figures all the same
            out["retrieval of the big code: first screen (median of 5)"] = f"failed: {exc!r}"
        if not isinstance(app.screen, type(ws)):
            app.pop_screen()
        await pilot.pause()

        # A 50,000-word transcript: wrap, then page down through it.
        t = time.perf_counter()
        ws.load_doc(long_id)
        await until(lambda: ws.state.doc is not None and ws.state.doc.source.info.id == long_id)
        await frames.next_after(frames.count)
        out["open 50,000-word transcript (load + wrap + draw)"] = ms(time.perf_counter() - t)
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = len(ws.transcript.layout_)
        pages: list[float] = []
        page_cpu: list[float] = []
        for _ in range(150):
            mark = frames.count
            t, c = time.perf_counter(), time.thread_time()
            press(app, "pagedown")
            await frames.shown(lambda mark=mark: frames.count > mark)
            pages.append(time.perf_counter() - t)
            page_cpu.append(frames.cpu - c)
            await asyncio.sleep(0.005)
        out[f"page-down, 50,000 words ({rows:,} rows) p50"] = ms(statistics.median(pages))
        out[f"page-down, 50,000 words ({rows:,} rows) p95"] = ms(pct(pages, 0.95))
        out["page-down: event loop CPU per key p50/p95"] = (
            f"{ms(statistics.median(page_cpu))} / {ms(pct(page_cpu, 0.95))}"
        )
        # The drawing alone: every visible row rendered from scratch.
        view = ws.transcript
        draws = []
        for _ in range(50):
            view._cache.clear()
            t = time.perf_counter()
            for y in range(view.size.height):
                view.render_line(y)
            draws.append(time.perf_counter() - t)
        out["  of which drawing one screen of rows, p95"] = ms(pct(draws, 0.95))
    project.close()
    return out


async def code_keys(  # type: ignore[no-untyped-def]
    app, pilot, frames, n, out, label, retraining=False
) -> None:
    """`n` times: j to the next sentence, then 1 to code it, timed from the key press to the
    first frame that shows the new coding (wall time), and the event loop's own CPU time over
    the same span (load-independent: what the workspace does per key, not how long it waited
    for a core). With `retraining`, every press is made while a retraining runs in the
    training process (started at once after each coding, with no rest in between)."""
    from coder.tui.panes import suggestions as pane_mod

    ws = app.workspace
    sg = ws.suggestions.sg
    rest = pane_mod.REST_FACTOR
    if retraining:
        pane_mod.REST_FACTOR = 0.0
    lat: list[float] = []
    cpu: list[float] = []
    during: list[float] = []
    try:
        while len(lat) < n:
            await pilot.press("j")
            await quiet(app)
            if retraining:
                sg.resting_until, sg.resting = 0.0, False
                if not sg.training:
                    ws.suggestions.train_soon()
                if not sg.training:
                    await pilot.pause()
                    continue  # nothing to retrain yet: code first
            count = len(ws.transcript.codings)
            training = sg.training
            t, c = time.perf_counter(), time.thread_time()
            press(app, "1")
            await frames.shown(lambda count=count: len(ws.transcript.codings) > count)
            lat.append(time.perf_counter() - t)
            cpu.append(frames.cpu - c)
            if training:
                during.append(lat[-1])
    finally:
        pane_mod.REST_FACTOR = rest
    out[f"{label} p50"] = ms(statistics.median(lat))
    out[f"{label} p95"] = ms(pct(lat, 0.95))
    out[f"{label}: event loop CPU per key p50/p95"] = (
        f"{ms(statistics.median(cpu))} / {ms(pct(cpu, 0.95))}"
    )
    if during and not retraining:
        out[f"  of which {len(during)} while the suggester retrained, p95"] = ms(pct(during, 0.95))


async def retrieval(app, pilot, frames, big, out, n) -> None:  # type: ignore[no-untyped-def]
    """Open the retrieval view of the big code (n passages) five times, to its first screen."""
    from coder.tui.screens.retrieval import RetrievalScreen
    from coder.tui.widgets.passages import PassageList

    ws = app.workspace
    await pilot.press("f5")
    await until(lambda: big in ws.state.codes)
    await app.workers.wait_for_complete()
    await pilot.pause()
    times = []
    for _ in range(5):
        mark = frames.count
        t = time.perf_counter()
        ws.open_retrieval(big)

        def first_screen() -> bool:
            scr = app.screen
            found = list(scr.query(PassageList)) if isinstance(scr, RetrievalScreen) else []
            return bool(found) and found[0].total == n and 0 in found[0].pages

        await until(first_screen)
        mark = frames.count
        await frames.next_after(mark)
        times.append(time.perf_counter() - t)
        await pilot.press("end")  # the last page, fetched on demand
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        await pilot.pause()
    out[f"retrieval of {n:,} passages: first screen (median of 5)"] = ms(statistics.median(times))


def bench_cold_open(target: Path, cpu: bool = False) -> str:
    """`coder open` on a pseudo-terminal until the passage line is drawn. With `cpu`, also the
    CPU time the process had used by then (user + system, from /proc: what it did, whatever
    the load)."""
    import fcntl
    import re
    import struct
    import subprocess
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    ansi = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b.")
    t = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "coder.cli", "open", str(target)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        close_fds=True,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    os.close(slave)
    seen = b""
    try:
        while b"words" not in ansi.sub(b"", seen) or b"not coded" not in ansi.sub(b"", seen):
            seen += os.read(master, 65536)
        elapsed = time.perf_counter() - t
        if cpu:
            fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            used = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            return f"{ms(elapsed)} (CPU {ms(used)})"
    finally:
        proc.kill()
        proc.wait()
        os.close(master)
    return ms(elapsed)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=None, help="default /tmp/coder_tui_bench[_small]")
    ap.add_argument("--small", action="store_true", help="a 10-transcript study")
    ap.add_argument(
        "--only",
        choices=["open"],
        help="open: only the start-up rows (cold open on a pty, then open in a pilot)",
    )
    ap.add_argument(
        "--repeat", type=int, default=1, help="with --only open: cold opens to make (default 1)"
    )
    args = ap.parse_args()
    # A coder's name, as a researcher has one configured: without it the workspace opens by
    # asking for it, and the keys would go to that dialog.
    os.environ.setdefault("CODER_NAME", "bench")
    if args.cache is None:
        args.cache = Path("/tmp/coder_tui_bench_small" if args.small else "/tmp/coder_tui_bench")
    args.cache.mkdir(parents=True, exist_ok=True)
    master = ensure_study(args.cache, args.small)
    print(f"study: {master} ({master.stat().st_size / 1e6:,.0f} MB)")
    # Every run works on a fresh copy, so a run cut short never leaves codings (or a trained
    # model) behind in the cached study.
    target = args.cache / "run.coder"
    for stale in args.cache.glob("run.coder*"):
        stale.unlink()
    shutil.copy(master, target)
    figures = Figures()
    only_open = args.only == "open"
    figures["cold `coder open` to first full screen (pty, incl. Python start)"] = bench_cold_open(
        target, cpu=only_open
    )
    if only_open:
        for i in range(1, args.repeat):
            figures[f"  again ({i + 1})"] = bench_cold_open(target, cpu=True)
        figures.update(asyncio.run(bench_app(target, args.small, only_open=True)))
        return
    figures.update(asyncio.run(bench_app(target, args.small)))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures["peak memory (ru_maxrss of this process)"] = f"{rss / 1024:,.0f} MB"
    from coder.services.suggestions.process import shutdown

    shutdown(wait=True)  # the training process ends, so its peak is counted below
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    figures["peak memory of the largest child (training process, cold open)"] = (
        f"{child / 1024:,.0f} MB"
    )
    width = max(len(k) for k in figures)
    for k, v in figures.items():
        print(f"{k:<{width}}  {v:>12}")


if __name__ == "__main__":
    main()
