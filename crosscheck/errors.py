"""crosscheck's own exceptions. The CLI turns any of them into one ``Error: ...`` line."""


class CrosscheckError(Exception):
    """Base class: a problem the user can fix, with a message that says how."""

    exit_code = 1


class ConfigError(CrosscheckError):
    """A bad settings file, key or value. The message names the file and the key."""

    exit_code = 2


class InputError(CrosscheckError):
    """Unusable input arguments (a folder that does not exist, no articles at all)."""


class ModelError(CrosscheckError):
    """A model that cannot be found or loaded; the message says which and how to install it."""


class EngineError(CrosscheckError):
    """The engine cannot run the stories: Ray missing, a cluster that cannot be joined,
    workers that cannot load the models."""
