"""eventwire: dated news articles in, geocoded, source-attributed political event records out.

    >>> from eventwire import extract
    >>> events = extract("examples/")                      # a file, a folder, or Document objects
    >>> events = extract("Police fired tear gas at protesters in Kano on Tuesday.", date="2024-05-15")
    >>> events[0].plover_type, events[0].actor1.name, events[0].location.name

The same steps as the command line: `documents.read` -> `Pipeline` -> `Store` / `export.write`.
"""
from __future__ import annotations

import datetime as dt
import os
from functools import cache
from pathlib import Path
from typing import Iterator, Optional, Union

from .errors import EventwireError, InputError
from .pipeline import DOC_TIMEOUT, Pipeline
from .records import Actor, Document, Event, Failure, Place, Span
from .store import Store

__all__ = ["extract", "places", "Pipeline", "Store", "Document", "Event", "Failure", "Actor", "Place", "Span",
           "EventwireError", "InputError"]
__version__ = "0.2.0"
Input = Union[str, Path, Document, dict]


@cache
def default_pipeline(background: bool = False, doc_timeout: float = DOC_TIMEOUT) -> Pipeline:
    return Pipeline(background=background, doc_timeout=doc_timeout)


def extract(*inputs: Input, date: Union[str, dt.date, None] = None, background: bool = False,
            doc_timeout: float = DOC_TIMEOUT) -> list[Event]:
    """Event records of the given inputs, in input order, as `eventwire extract` gives them.

    Each input is a path (file or folder), a `Document`, a dict with the fields of a JSON Lines
    document (`doc_id`, `date`, `text`...), or the text of an article. `date` (YYYY-MM-DD or a
    date) is the publication date of inputs that carry none; raw text needs it unless it begins
    with ' date YYYY-MM-DD '. Raises InputError naming every input that could not be used.
    """
    when = _date(date)
    pipeline = default_pipeline(background, doc_timeout)
    events, failures = [], []
    for item, evs in pipeline.pipe(_items(inputs, when)):
        if isinstance(item, Failure) and item.kind == "failed":
            failures.append(str(item))
        events.extend(evs)
    if failures:
        raise InputError("; ".join(failures))
    return events


def places(*inputs: Input, date: Union[str, dt.date, None] = None) -> list[dict]:
    """The places of each input, as `eventwire places` writes them: one {"doc_id", "places": [...]}
    per document, every literal place name with its character offsets and GeoNames resolution.
    Inputs are as for `extract`; raises InputError naming every input that could not be read."""
    pipeline = default_pipeline()
    out, failures = [], []
    for item in _items(inputs, _date(date)):
        if isinstance(item, Failure):
            if item.kind == "failed":
                failures.append(str(item))
            continue
        out.append(pipeline.places(item))
    if failures:
        raise InputError("; ".join(failures))
    return out


def _items(inputs, date: Optional[dt.date]) -> Iterator:
    from . import documents

    if not inputs:
        raise InputError("extract() needs an input: a path, a folder, a Document, a dict or article text")
    for n, x in enumerate(inputs, 1):
        if isinstance(x, Document):
            yield x
        elif isinstance(x, dict):
            yield documents.from_fields(x, f"input {n}", date)
        elif isinstance(x, Path) or (isinstance(x, str) and _is_path(x)):
            yield from documents.read([x], date=date)
        elif isinstance(x, str):
            if not x.strip():
                raise InputError(f"input {n} is an empty string: give a path or the text of an article")
            if date is None and not documents.DATE_PREFIX.match(x):
                if "\n" not in x and len(x) < 256 and not x.strip().count(" "):
                    raise InputError(f"no such file or folder: {x!r}")
                raise InputError(f"input {n} looks like article text but has no publication date: "
                                 "call extract(text, date='YYYY-MM-DD')")
            yield documents.parse_text(x, "text", f"text-{_digest(x)}", date)
        else:
            raise InputError(f"input {n} is a {type(x).__name__}: extract() takes a path, a folder, a Document, "
                             "a dict (doc_id, date, text) or article text with date=" +
                             ("; decode bytes first (data.decode('utf-8'))" if isinstance(x, (bytes, bytearray)) else ""))


def _is_path(s: str) -> bool:
    if "\n" in s or len(s) > 4096:
        return False
    try:
        return os.path.exists(s)
    except (OSError, ValueError):  # a name too long, a NUL byte
        return False


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _date(value) -> Optional[dt.date]:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"date={value!r} is not a date: give YYYY-MM-DD or a datetime.date") from None
