"""The lemma cache: filled by every import path in the import's transaction, read back with
the same words, lemmas and counts as lemmatising afresh (the reference below is
`word_frequency` on a fresh lemmatisation, with speakers from the project's turns), refreshed
when a source's text changes or its blob is of the old format, gone with the source."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from coder.analysis.words import ASKED, OUTSIDE, SPOKEN, Tokens, word_frequency
from coder.db.models import Code, LemmaCache, Source
from coder.services.analysis import lemma_cache
from coder.services.analysis.gather import gather, tokens
from coder.services.analysis.lemma_blob import encode, read_counts, read_words
from coder.services.analysis.lemma_cache import cached_tokens, warm_lemmas
from coder.services.analysis.word_counts import word_table
from coder.services.coding.codings import apply_code
from coder.services.exchange.refi_project import export_qdpx, import_qdpx
from coder.services.project.sample import build_sample_study, sample_files
from coder.services.project.store import Project
from coder.services.sources.transcripts import import_files, text_sha256
from tests.team.helpers import add_source


def _words(t: Tokens) -> list[tuple[int, int, int, str]]:
    return [
        (int(s), int(a), int(b), t.vocab[int(v)])
        for s, a, b, v in zip(t.source, t.start, t.end, t.lemma, strict=True)
    ]


def _no_lemmatising(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("lemmatised at read time: the import should have cached it")

    monkeypatch.setattr(lemma_cache, "build", refuse)


def _same_as_fresh(p: Project, code: str | None, groups: tuple[str | None, ...]) -> None:
    """word_table (from the cache's counts or words) == word_frequency on fresh lemmas."""
    corpus = gather(p)
    fresh = tokens(corpus)
    code_id = corpus.find_code(code) if code else None
    for group in groups:
        for interviewer in (False, True):
            want = word_frequency(corpus, fresh, code_id, group, 40, interviewer)
            got = word_table(p, code, group, 40, interviewer)
            assert got == want, (code, group, interviewer)
            assert got.words


def test_blob_round_trip() -> None:
    start = np.array([0, 5, 70_000, 70_010], dtype=np.int64)
    end = np.array([4, 9, 70_003, 70_300], dtype=np.int64)
    lemma = np.array([1, 0, 1, 2], dtype=np.int64)
    speech = np.array([SPOKEN, ASKED, OUTSIDE, SPOKEN], dtype=np.uint8)
    for vocab in (["a", "b", "ç"], [f"w{k}" for k in range(70_000)]):
        w = read_words(encode(start, end, lemma, speech, vocab, 2))
        got_start, got_end = np.zeros(4, dtype=np.int64), np.zeros(4, dtype=np.int64)
        w.offsets_into(got_start, got_end)
        assert got_start.tolist() == start.tolist() and got_end.tolist() == end.tolist()
        assert w.lemma.tolist() == lemma.tolist() and list(w.vocab) == vocab
        assert w.speech.tolist() == speech.tolist() and w.content == 2
        c = read_counts(encode(start, end, lemma, speech, vocab, 2))
        assert (
            c.words == tuple(vocab[:2])
            and c.spoken.tolist() == [0, 1]
            and c.asked.tolist() == [1, 0]
        )
    empty = read_counts(encode(start[:0], end[:0], lemma[:0], speech[:0], [], 0))
    assert empty.words == () and len(empty.spoken) == 0


def test_import_fills_the_cache_and_counts_match_fresh_lemmas(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = sample_files()[:4]  # .txt, .docx, .vtt: interviewer and participant turns
    import_files(project, files)
    with project.transaction() as s:
        assert s.scalar(select(func.count()).select_from(LemmaCache)) == len(files)
        sid, text = s.execute(select(Source.id, Source.text).order_by(Source.id)).first()  # type: ignore[misc]
        code = Code(name="Music", description="", keywords=[], examples=[], position=0)
        s.add(code)
        s.flush()
        code_id = code.id
    for at in (text.index("label"), text.index("Interviewer"), len(text) // 2):
        apply_code(project, sid, at, at + 300, code_id)
    _no_lemmatising(monkeypatch)
    _same_as_fresh(project, None, (None, "source"))
    _same_as_fresh(project, "Music", (None,))


def _counts_match(p: Project) -> None:
    groups = (None, "participant", "attr:Years in music industry")
    _same_as_fresh(p, None, groups)
    corpus = gather(p)
    coded = {x.code for x in corpus.codings}
    themes = [c.id for c in corpus.tree_order if c.parent is None]
    theme = next(t for t in themes if corpus.descendants(t) & coded)
    _same_as_fresh(p, corpus.paths[theme], (None, "participant"))
    sub = next(c for c in coded if c not in themes)
    _same_as_fresh(p, corpus.paths[sub], (None,))


def _cached(p: Project) -> tuple[int, int]:
    with p.reading() as s:
        n = s.scalar(select(func.count()).select_from(Source))
        return s.scalar(select(func.count()).select_from(LemmaCache)) or 0, n or 0


def test_every_import_path_caches_and_counts_match(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Transcripts, participants' attributes, codings by two coders and the survey's answers
    (the sample study) are cached by the import: counting never lemmatises."""
    built = build_sample_study(tmp_path / "s.coder", second_coder=True, survey=True)
    _no_lemmatising(monkeypatch)
    with Project.open(built) as p:
        cached, n = _cached(p)
        assert cached == n > 20
        _counts_match(p)


def test_a_qdpx_import_leaves_the_cache_to_the_first_count_with_the_same_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole project from a .qdpx is stored without lemmatising (most of the import's time
    on a big study); the first word count fills the cache, and every count, overall, by
    group, within a theme or a sub-code, is what the exported project gave."""
    built = build_sample_study(tmp_path / "s.coder", second_coder=True, survey=True)
    out = tmp_path / "s.qdpx"
    with Project.open(built) as p:
        export_qdpx(p, out)
        before = word_table(p, None, "participant", 40, False)
    import_qdpx(str(tmp_path / "again.coder"), out)
    with Project.open(tmp_path / "again.coder") as p:
        cached, n = _cached(p)
        assert cached == 0 and n > 20
        assert word_table(p, None, "participant", 40, False) == before
        assert _cached(p) == (n, n)
        _no_lemmatising(monkeypatch)
        _counts_match(p)


def test_cached_tokens_equal_fresh_ones(sqlite_project: Project) -> None:
    p = sqlite_project
    import_files(p, sample_files()[:3])
    add_source(p, "", "empty")
    corpus = gather(p)
    fresh, cached = tokens(corpus), cached_tokens(p, corpus)
    assert _words(cached) == _words(fresh) and len(fresh.lemma) > 1000
    ours = {v: bool(c) for v, c in zip(cached.vocab, cached.content, strict=True)}
    theirs = {v: bool(c) for v, c in zip(fresh.vocab, fresh.content, strict=True)}
    assert ours == theirs and not ours["the"] and ours["label"]


def test_a_changed_text_or_an_old_blob_is_lemmatised_again_and_a_deleted_source_forgotten(
    sqlite_project: Project,
) -> None:
    p = sqlite_project
    a = add_source(p, "Fans answered.", "a")
    b = add_source(p, "Labels pressed vinyl.", "b")
    with p.transaction() as s:
        src = s.get_one(Source, a)
        src.text = "Bands toured."
        src.sha256 = text_sha256(src.text)
        s.get_one(LemmaCache, b).data = b"CLC1-an-old-blob"
    assert {w.word for w in word_table(p).words} == {"band", "tour", "label", "press", "vinyl"}
    with p.reading() as s:
        assert all(r.data.startswith(b"CLC3") for r in s.scalars(select(LemmaCache)))
    with p.transaction() as s:
        s.delete(s.get_one(Source, b))
    assert warm_lemmas(p, gather(p)) == 1
    with p.reading() as s:
        assert list(s.scalars(select(LemmaCache.source_id))) == [a]


def test_words_from_a_warm_cache_do_not_import_spacy(sqlite_project: Project) -> None:
    add_source(sqlite_project, "Fans answered the labels.", "a")
    code = (
        "import sys; from coder.services.project.store import Project;"
        "from coder.services.analysis.word_counts import word_table;"
        f"p = Project.open({str(sqlite_project.target)!r});"
        "print([w.word for w in word_table(p).words], 'spacy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["['answer',", "'fan',", "'label']", "False"]
