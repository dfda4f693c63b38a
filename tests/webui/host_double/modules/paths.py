"""Mirrors ``modules/paths.py`` / ``paths_internal.py``: ``script_path`` is the WebUI root (here: the double)."""

import os

script_path = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
data_path = script_path
