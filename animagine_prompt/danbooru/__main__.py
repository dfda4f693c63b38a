"""``python -m animagine_prompt.danbooru lookup TAG`` / ``refresh``."""

import sys

from .cli import main

sys.exit(main())
