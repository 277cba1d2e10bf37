"""Issue 13 item 8: binary files are refused, other encodings are detected and named."""

from __future__ import annotations

import os
import random
import struct
import zlib
from pathlib import Path

import pytest

from coder.ingest import IngestError, parse_bytes
from coder.services.project.store import Project
from coder.services.sources.transcripts import get_source, import_files

RU = (
    "Интервьюер: Как вы используете социальные сети?\n"
    "Анна: Мы каждую неделю публикуем дневники из студии. Фанатам нравятся демо.\n"
    "Интервьюер: А когда фанаты вам пишут?\n"
    "Анна: Я сама отвечаю на каждый комментарий, обычно в тот же вечер.\n"
)
ZH = (
    "采访者：你们如何使用社交媒体？\n"
    "安娜：我们每周都会发布录音室日记。粉丝们很喜欢小样。\n"
    "采访者：粉丝给你们写信的时候呢？\n"
    "安娜：我亲自回复每一条评论，通常是当天晚上。\n"
)


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rng = random.Random(7)
    raw = b"".join(b"\x00" + bytes(rng.randrange(256) for _ in range(48)) for _ in range(16))
    header = struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_random_bytes_without_nul_are_refused() -> None:
    for seed in range(5):
        rng = random.Random(seed)
        data = bytes(rng.randrange(1, 256) for _ in range(4000))
        with pytest.raises(IngestError, match="not text"):
            parse_bytes(data, ".txt")


def test_png_renamed_txt_is_refused() -> None:
    with pytest.raises(IngestError, match="PNG image"):
        parse_bytes(_png(), ".txt")
    with pytest.raises(IngestError, match="not text"):
        parse_bytes(_png().replace(b"\x00", b"\x01"), ".txt")


@pytest.mark.parametrize(
    ("text", "codec"), [(RU, "koi8_r"), (ZH, "gb18030")], ids=["koi8-r", "gb18030"]
)
def test_other_encodings_are_detected(text: str, codec: str) -> None:
    parsed = parse_bytes(text.encode(codec), ".txt")
    assert parsed.text == text.rstrip()
    assert parsed.encoding == codec
    if codec == "koi8_r":
        assert [t.speaker for t in parsed.turns][:2] == ["Интервьюер", "Анна"]


def test_invalid_utf8_is_refused_not_mojibake() -> None:
    data = "Interviewer: Café?\nAnna: naïve résumé\n".encode() + b"\xff\xfe broken\nAnna: ok\n"
    with pytest.raises(IngestError) as err:
        parse_bytes(data, ".txt")
    assert "UTF-8" in str(err.value) and "line 3" in str(err.value)


def test_import_outcome_names_the_encoding(sqlite_project: Project, tmp_path: Path) -> None:
    path = tmp_path / "ru.txt"
    path.write_bytes(RU.encode("koi8_r"))
    outcome = import_files(sqlite_project, [path])[0]
    assert outcome.status == "imported"
    assert "KOI8-R" in outcome.message
    assert get_source(sqlite_project, outcome.source_id or 0).text == RU.rstrip()
    plain = tmp_path / "plain.txt"
    plain.write_text("A: hello\nB: hi\n", "utf-8")
    assert import_files(sqlite_project, [plain])[0].message == ""


def test_random_file_import_fails_cleanly(sqlite_project: Project, tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(b for b in os.urandom(3000) if b))
    outcome = import_files(sqlite_project, [path])[0]
    assert outcome.status == "failed" and "not text" in outcome.message
    assert sqlite_project.counts()["sources"] == 0
