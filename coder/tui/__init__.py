"""The coding workspace (Textual). Only coder.launch imports it, so the core never does.

Textual redraws at most 60 times a second by default, which alone adds up to 16 ms between a
key press and its effect on screen. Coding is a keyboard rhythm, so coder asks for 120 frames
a second (Textual only draws when something changed); a researcher's own TEXTUAL_FPS wins.
"""

from __future__ import annotations

import os

os.environ.setdefault("TEXTUAL_FPS", "120")
