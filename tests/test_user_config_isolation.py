"""The suite runs the same whoever runs it: never with the researcher's saved coder name."""

from __future__ import annotations

import os
from pathlib import Path

from coder.services.team.identity import config_path, configured_user_name


def test_the_suite_does_not_read_the_researchers_config_or_coder_name() -> None:
    """With `coder config user "Ruth Evans"` saved (as the README says to), four
    pseudonymisation tests failed: the tests coded as Ruth Evans, a name the sample replaces."""
    assert not config_path().is_relative_to(Path.home() / ".config")
    assert configured_user_name() is None
    assert "CODER_NAME" not in os.environ
