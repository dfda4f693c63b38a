"""Host-free core of sd-webui-animagine.

Everything here runs without a Stable Diffusion WebUI: the tag knowledge base,
the prompt grammar, the Animagine XL formatter, presets and lint. The WebUI
adapter (``animagine_webui``) and the gradio tab only call into this package.
"""

__version__ = "0.1.0"
