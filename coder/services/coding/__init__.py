"""Applying and removing codes, and the reads the coding workspace needs."""
