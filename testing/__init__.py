"""Test helpers shared by tests/ (importable, typed loosely)."""
