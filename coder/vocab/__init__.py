"""The shared vocabulary: plain frozen records and kinds that every layer may import.

A leaf package: it imports nothing else of coder's, so the service layer, the exporters, the
readers and the interfaces can all speak in the same types without importing each other.
"""
