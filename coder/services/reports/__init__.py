"""Gathering the journal tables (Table 1, Table 2) and documents into plain records."""
