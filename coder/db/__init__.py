"""Database layer: typed models, engine setup and the schema lifecycle."""
