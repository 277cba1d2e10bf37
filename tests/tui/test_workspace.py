"""The quick-code bar keeps codes that share their first words apart when space is short."""

from __future__ import annotations

from coder.tui.widgets.quickbar import distinct_names

from .conftest import settle


def test_shared_first_words_shrink_to_initials() -> None:
    names = ["Bonding", "Freedom to participate and share", "Freedom of expression"]
    assert distinct_names(names) == ["Bonding", "F.participate and share", "F.expression"]
    assert distinct_names(["Trust", "Trust"]) == ["Trust", "Trust"]  # nothing left to tell


async def test_at_80_columns_every_quick_code_is_told_apart(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = str(app.workspace.query_one("QuickBar").render())
        assert "6 ■ F.p" in bar and "7 ■ F.e" in bar
