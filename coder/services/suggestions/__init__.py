"""Code suggestions: scoring passages, recording decisions, training and its child process."""
