"""Test double of ``modules/api`` (A1111 v1.10.1)."""
