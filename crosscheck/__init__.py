"""crosscheck: cross-check news coverage claim by claim."""

__version__ = "0.1.0"
