"""Test double of ``modules/processing_scripts`` (loaded after every extension, scripts.py:493)."""
