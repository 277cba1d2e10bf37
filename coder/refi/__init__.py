"""REFI-QDA: .qdc codebooks and .qdpx projects, read, planned, modelled and written.

Takes and returns plain records (coder.refi.model, coder.vocab); never opens a session. The
services gather a project into these records (coder.services.exchange) and store what is read.
"""
