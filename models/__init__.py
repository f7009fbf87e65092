"""The model manifests, shipped inside the crosscheck package as ``crosscheck.manifests``.

This folder is the one source of truth: the build maps it to the package ``crosscheck.manifests``
(see ``[tool.setuptools.package-dir]`` in pyproject.toml), so an installed crosscheck reads the
same ``*.toml`` files with ``importlib.resources``.
"""
