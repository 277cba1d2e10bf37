"""`python -m coder.cli`: the same as the `coder` command."""

from __future__ import annotations

import sys

from coder.cli import main

sys.exit(main())
