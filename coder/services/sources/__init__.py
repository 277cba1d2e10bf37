"""What a project is about: transcripts, participants (cases) and their sheets, text search."""
