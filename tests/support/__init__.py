"""Test support shared by the engine tests: a host model, a comparison key, strategies, a tag table."""
