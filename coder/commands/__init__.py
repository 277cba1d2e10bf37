"""Subcommands of `coder`, grouped by feature area; each module has `register(subparsers)`."""
