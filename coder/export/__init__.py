"""Writers and readers that turn plain data into files and back: journal tables (Word, CSV,
XLSX, Markdown), Word reports, and REFI-QDA codebooks (.qdc) and projects (.qdpx).

Nothing here opens a database session: coder.services.reports and coder.services.refi_project
gather the data into the dataclasses defined here, so these modules can be tested, reused by
the TUI, and kept free of SQLAlchemy (an import-linter contract enforces it).
"""
