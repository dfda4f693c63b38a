"""``python -m animagine_tab``: the standalone Animagine tab."""

from .app import main

raise SystemExit(main())
