"""Another process changing the same project: the workspace sees it on refresh."""

from __future__ import annotations

from textual import events

from coder.services.codebook.codes import create_code
from coder.services.coding.codings import apply_code

from .conftest import settle


async def test_f5_shows_another_coders_work(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        other = reopen()  # a second connection, as another process would have
        sid = ws.state.doc.source.info.id
        s, e = ws.state.doc.units.sentences[3]
        code = create_code(other, "Added elsewhere")
        apply_code(other, sid, s, e, code.id, coder="alice")
        assert ws.transcript.codings == []
        await pilot.press("f5")
        await settle(pilot)
        assert [(c.code_name, c.coder) for c in ws.transcript.codings] == [
            ("Added elsewhere", "alice")
        ]
        assert "Added elsewhere" in {i.name for i in ws.state.codes.values()}
        assert ws.state.counts[code.id].codings == 1
        assert ws.state.coverage[sid] > 0


async def test_refresh_when_the_terminal_regains_focus(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        other = reopen()
        sid = ws.state.doc.source.info.id
        s, e = ws.state.doc.units.sentences[2]
        bonding = next(c for c, i in ws.state.codes.items() if i.name == "Bonding")
        apply_code(other, sid, s, e, bonding, coder="bob")
        ws._last_refresh = 0  # long ago
        app.post_message(events.AppFocus())
        await settle(pilot)
        assert [c.coder for c in ws.transcript.codings] == ["bob"]
