"""Where the researcher's Table 1 and Table 2 layouts are remembered: one project setting each.

The columns, caption and options given to an export are stored as JSON (see
coder.export.columns.TableConfig), so the next export from the CLI or the TUI lays the table out
the same way.
"""

from __future__ import annotations

from coder.export.columns import TableConfig
from coder.services.project.settings import Key, get_setting, put_setting
from coder.services.project.store import Project

SETTING = {"table1": Key.TABLE1, "table2": Key.TABLE2}


def load_config(project: Project, table: str) -> TableConfig:
    """The remembered layout of "table1" or "table2" (empty when never saved)."""
    return TableConfig.from_json(get_setting(project, SETTING[table]))


def save_config(project: Project, table: str, config: TableConfig) -> None:
    """Remember a table's layout (columns, caption, quotes) for the next export."""
    put_setting(project, SETTING[table], config.to_json())
