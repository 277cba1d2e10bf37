"""Writers that turn plain data into files: journal tables (Word, CSV, XLSX, Markdown) and
Word reports. (REFI-QDA codebooks and projects live in coder.refi.)

Nothing here opens a database session: coder.services.reports gathers the data into the
dataclasses defined here, so these modules can be tested, reused by the TUI, and kept free of
SQLAlchemy (an import-linter contract enforces it).
"""
