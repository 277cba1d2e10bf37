"""Pure computation on plain records: no database, no Session, no Textual.

The service layer gathers rows into the plain inputs these modules take, so the statistics can
be tested against reference packages and timed without a project.
"""
