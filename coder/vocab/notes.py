"""Transcribers' notes in a transcript: text that no participant said.

Transcripts mark what is heard but not said, "(laughs)", "(long pause)", "[crosstalk]",
"[inaudible 00:12:03]", and editors put their own words in square brackets, "[Label H]" for a
name taken out. A quote keeps the editor's brackets but drops the non-verbal notes
(coder.export.exemplars); word frequency counts neither, since "laugh" would otherwise be one of
the commonest words of a lively interview and "[Label H]" would count "label" once per name
taken out.
"""

from __future__ import annotations

import re

NONVERBAL = (
    r"(?:laugh(?:s|ed|ing|ter)?|chuckl(?:e|es|ed|ing)|sigh(?:s|ed|ing)?|cough(?:s|ed|ing)?"
    r"|pause[sd]?|long pause|inaudible|unintelligible|indistinct|cross-?talk|silence|applause)"
)
"""A non-verbal note's word, as transcribers write it inside ( ) or [ ]."""

NOTE_SPAN = 80
"""The longest note looked for, in characters: a bracket left open is not a note to the end of
the line."""

NOTE = re.compile(
    rf"\[[^\[\]\n]{{1,{NOTE_SPAN - 2}}}\]"  # anything in square brackets: the transcriber's
    rf"|\((?:[^()\n]{{0,24}}\s)?{NONVERBAL}\)",  # "(laughs)", "(both laugh)", "(long pause)"
    re.IGNORECASE,
)
"""A transcriber's or editor's note: `[…]` on one line, or a non-verbal note in ( )."""
