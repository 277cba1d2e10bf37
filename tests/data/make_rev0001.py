"""Build tests/data/project-rev0001.coder: a project at the first schema revision, with data.

Committed once so the migration test upgrades a real old file, as a researcher's would be.
Rerun only if the first revision itself changes (it must not): python tests/data/make_rev0001.py
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from coder.db.lifecycle import alembic_config

ROWS = """
INSERT INTO coders (id, guid, name, created_at) VALUES
  (1, 'c0de0000-0000-4000-8000-000000000001', 'alex', '2025-01-02 10:00:00');
INSERT INTO organisations (id, guid, name) VALUES (1, 'c0de0000-0000-4000-8000-000000000002', 'I');
INSERT INTO cases (id, guid, name, description, organisation_id) VALUES
  (1, 'c0de0000-0000-4000-8000-000000000003', 'P09', '', 1);
INSERT INTO attributes (id, guid, name, type, scope, position) VALUES
  (1, 'c0de0000-0000-4000-8000-000000000004', 'Years', 'integer', 'case', 0);
INSERT INTO attribute_values (id, attribute_id, case_id, organisation_id, value_text, value_int)
  VALUES (1, 1, 1, NULL, '7', 7);
INSERT INTO sources (id, guid, name, filename, format, encoding, text, sha256, words,
  imported_at, case_id) VALUES
  (1, 'c0de0000-0000-4000-8000-000000000005', 'P09', 'P09.txt', 'txt', 'utf-8',
   'Q: Do you reply?' || char(10) || char(10) || 'A: Always, to every comment.',
   '769c7d5e9d739af5a2577cd55b762296d663dc20c347ba3581d7cf5421cf171c', 9,
   '2025-01-02 10:00:00', 1);
INSERT INTO turns (id, source_id, position, speaker, start_pos, end_pos, timestamp) VALUES
  (1, 1, 0, 'Q', 3, 16, NULL), (2, 1, 1, 'A', 21, 46, NULL);
INSERT INTO codes (id, guid, parent_id, name, description, inclusion, exclusion, keywords,
  examples, color, position, codable) VALUES
  (1, 'c0de0000-0000-4000-8000-000000000006', NULL, 'Bonding', 'ties', '', '', '[]', '[]',
   '#1f77b4', 0, 1),
  (2, 'c0de0000-0000-4000-8000-000000000007', 1, 'Reacting', 'caring', '', '', '["reply"]',
   '[]', '#4a93cc', 0, 1);
INSERT INTO codings (id, guid, source_id, code_id, start_pos, end_pos, snippet, coder_id,
  created_at, memo) VALUES
  (1, 'c0de0000-0000-4000-8000-000000000008', 1, 2, 21, 46, 'Always, to every comment.', 1,
   '2025-01-02 10:05:00', 'clear case');
INSERT INTO memos (id, guid, kind, title, text, code_id, source_id, coder_id, created_at,
  updated_at) VALUES
  (1, 'c0de0000-0000-4000-8000-000000000009', 'code', 'Implication', 'Reply to all.', 2, NULL,
   1, '2025-01-02 10:06:00', '2025-01-02 10:06:00');
"""


def build(path: Path) -> None:
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    cfg = alembic_config(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    engine.dispose()
    db = sqlite3.connect(path)
    db.executescript(ROWS)
    db.commit()
    db.close()


if __name__ == "__main__":
    build(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).with_name("project-rev0001.coder")
    )
