"""Team work on one project: who is coding, and (elsewhere) agreement and merging."""
