"""Pure analysis of codings: plain records in, frozen dataclasses out; no database, no UI."""
