"""Test double of the WebUI's ``modules`` package (A1111 v1.10.1 / reForge main); see ../README.md."""
