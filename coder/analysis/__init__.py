"""Pure computation on plain records, without a database: agreement and analysis statistics.

Filled by issues 11 and 12; it exists now so the layers contract can name it.
"""
