"""coder: terminal-first qualitative analysis of interview transcripts."""

__version__ = "0.1.0"
