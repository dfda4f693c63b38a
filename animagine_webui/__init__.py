"""WebUI adapter: the only package that imports the host's ``modules``.

It is imported by ``scripts/animagine_xl.py`` while the host runs that file,
and adapts ``animagine_prompt`` (host-free) to the Script API and callbacks.
"""
