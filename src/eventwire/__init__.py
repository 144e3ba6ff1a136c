"""eventwire: dated news articles in, geocoded, source-attributed political event records out.

    >>> from eventwire import extract
    >>> events = extract("examples/")                      # a file, a folder, or Document objects
    >>> events[0].plover_type, events[0].actor1.name, events[0].location.name

The same steps as the command line: `documents.read` -> `Pipeline` -> `Store` / `export.write`.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Union

from .errors import EventwireError, InputError
from .pipeline import Pipeline
from .records import Actor, Document, Event, Failure, Place, Span
from .store import Store

__all__ = ["extract", "Pipeline", "Store", "Document", "Event", "Failure", "Actor", "Place", "Span",
           "EventwireError", "InputError"]
__version__ = "0.1.0"


@cache
def default_pipeline(background: bool = False) -> Pipeline:
    return Pipeline(background=background)


def extract(*inputs: Union[str, Path, Document], background: bool = False) -> list[Event]:
    """Event records of the given documents, files or folders (in input order).

    Raises InputError naming every input that could not be read or parsed.
    """
    from . import documents

    stream = (x for i in inputs for x in ([i] if isinstance(i, Document) else documents.read([i])))
    events, failures = [], []
    for item, evs in default_pipeline(background).pipe(stream):
        if isinstance(item, Failure):
            failures.append(str(item))
        events.extend(evs)
    if failures:
        raise InputError("; ".join(failures))
    return events
