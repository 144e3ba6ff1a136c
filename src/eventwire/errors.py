"""Errors meant for users: each message says what went wrong and what to do next.

The library raises these and never prints or exits; the CLI turns them into one-line messages
and exit codes (cli.py), in one place.
"""


class EventwireError(Exception):
    """Base class; `str(error)` is shown to the user as is."""

    exit_code = 1


class InputError(EventwireError):
    """An input cannot be read, decoded or parsed (one document or a whole file)."""

    exit_code = 2


class ModelError(EventwireError):
    """A model or data file that ships with eventwire cannot be loaded."""

    exit_code = 3


class StoreError(EventwireError):
    """The store cannot be opened or written."""

    exit_code = 4
