"""Analysis gathering (issue 12): the project's codings as plain records for coder.analysis."""
