"""Suggestions: the offline spaCy pipeline, its components, training and evaluation.

spaCy is imported here only after `defer_spacy_cli` (coder.suggest.spacy_cli), so that its
command-line tools, which coder never runs, do not load with it.
"""

from coder.suggest.spacy_cli import defer_spacy_cli

defer_spacy_cli()
