"""The open project: engine and transactions, undo history, settings, checks, the sample study."""
