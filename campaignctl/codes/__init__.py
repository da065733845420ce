"""Unique codes: capacity arithmetic, keyed generation, print files, validation."""
