"""Whole projects in and out of coder in the REFI-QDA exchange format (.qdpx)."""
