"""The quick-code bar keeps codes that share their first words apart when space is short."""

from __future__ import annotations

import re

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
        assert "6 F.p" in bar and "7 F.e" in bar


async def test_at_80_columns_nine_quick_codes_can_be_read(app, reopen) -> None:  # type: ignore[no-untyped-def]
    """With nine numbered codes the bar drops the swatch (the number wears the colour) so each
    name keeps at least four letters."""
    from coder.services.codebook.codes import create_code

    setup = reopen()
    create_code(setup, "Touring")
    create_code(setup, "Merchandise")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        state = app.workspace.state
        assert all(state.code_on(k) for k in range(1, 10))
        bar = str(app.workspace.query_one("QuickBar").render())
        for k in range(1, 10):
            name = state.codes[state.code_on(k)].name
            assert f"{k} {name[:4]}" in bar or f"{k} " in bar and name[:1] in bar, (k, bar)
        shown = re.findall(r"(\d) (\S+)", bar)
        assert [k for k, _ in shown] == [str(k) for k in range(1, 10)]
        assert all(len(word.rstrip("…")) >= 4 for _, word in shown), bar


async def test_two_quick_codes_of_one_name_say_whose_each_is(app, reopen) -> None:  # type: ignore[no-untyped-def]
    """h13user: a new theme named like Bonding's sub-code put two plain "Reacting" on the bar."""
    from coder.services.codebook.codes import create_code

    setup = reopen()
    create_code(setup, "Reacting")
    async with app.run_test(size=(160, 24)) as pilot:
        await settle(pilot)
        state = app.workspace.state
        keys = [k for k in range(1, 10) if state.code_on(k) is not None]
        reacting = [k for k in keys if state.codes[state.code_on(k)].name == "Reacting"]
        assert len(reacting) == 2
        bar = str(app.workspace.query_one("QuickBar").render())
        sub, theme = sorted(reacting, key=lambda k: state.codes[state.code_on(k)].parent_id is None)
        assert f"{sub} ■ Bonding/Reacting" in bar
        assert f"{theme} ■ Reacting" in bar
