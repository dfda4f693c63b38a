"""The file the WebUI loads: it only re-exports the script and registers callbacks.

A1111 puts the extension folder on ``sys.path`` only while this file runs, so
the packages are imported here, at the top (HOST_API §5). Keep exactly one
``scripts.Script`` subclass in this namespace: the host registers every one it finds.
"""

from animagine_webui import callbacks
from animagine_webui.script import AnimagineScript

__all__ = ["AnimagineScript"]

callbacks.register()
