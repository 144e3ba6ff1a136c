"""Readers: paths -> Document | Failure, one at a time, never stopping the batch.

Formats (../shared/spec/EVENTS.md, "Documents"):
- plain text whose text begins with `` date YYYY-MM-DD `` (doc_id = file stem);
- a folder of inputs (recursive);
- JSON Lines of documents (`doc_id` or `id`, `date`, `text`, optional `title`, `url`, `source`,
  `language`; other fields are ignored);
- CSV with the same columns;
- an HTML page (main text by trafilatura, publication date from the page's metadata);
- `-`: standard input, in any of the formats above (detected from its first character).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
from pathlib import Path
from typing import Iterable, Iterator, Union

from .records import Document, Failure

Item = Union[Document, Failure]
DATE_PREFIX = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\s")
TEXT_SUFFIXES = {".txt", ".text", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
CSV_SUFFIXES = {".csv"}
HTML_SUFFIXES = {".html", ".htm"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES | HTML_SUFFIXES
OPTIONAL_FIELDS = ("title", "url", "source", "language")


def read(inputs: Iterable[Union[str, Path]]) -> Iterator[Item]:
    """Yield a Document or a Failure for every document in `inputs` (paths, folders or "-")."""
    for inp in inputs:
        if str(inp) == "-":
            yield from read_bytes(sys.stdin.buffer.read(), "-", name="stdin")
            continue
        path = Path(inp)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and _is_input_file(p))
            for p in files:
                yield from read_file(p)
        else:
            yield from read_file(path)


def _is_input_file(path: Path) -> bool:
    return not path.name.startswith(".") and path.suffix.lower() in KNOWN_SUFFIXES - {""} and \
        not path.name.lower().startswith("readme")


def read_file(path: Path) -> Iterator[Item]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Failure(input=str(path), reason=f"cannot read the file ({exc.strerror or exc}); check the path and permissions")
        return
    yield from read_bytes(data, str(path), name=path.stem, suffix=path.suffix.lower())


def read_bytes(data: bytes, source: str, name: str, suffix: str | None = None) -> Iterator[Item]:
    """Decode `data` and parse it in the format given by `suffix` (or detected from the content)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Failure(input=source, reason=f"not UTF-8 text (byte {exc.start}: {exc.reason}); re-encode the file as UTF-8")
        return
    fmt = _format(suffix, text)
    if fmt == "jsonl":
        yield from parse_jsonl(text, source)
    elif fmt == "csv":
        yield from parse_csv(text, source)
    elif fmt == "html":
        yield parse_html(text, source, name)
    else:
        yield parse_text(text, source, name)


def _format(suffix: str | None, text: str) -> str:
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in (".txt", ".text"):
        return "text"
    head = text.lstrip()[:1]
    return {"{": "jsonl", "<": "html"}.get(head, "text")


def parse_text(text: str, source: str, doc_id: str) -> Item:
    """The plain-text form: `` date YYYY-MM-DD `` then the body; the whole text is kept."""
    m = DATE_PREFIX.match(text)
    if not m:
        return Failure(input=source, doc_id=doc_id,
                       reason="no publication date: a plain-text article must begin with ' date YYYY-MM-DD '")
    try:
        date = dt.date.fromisoformat(m.group(1))
    except ValueError:
        return Failure(input=source, doc_id=doc_id, reason=f"invalid publication date {m.group(1)!r}")
    if not text[m.end():].strip():
        return Failure(input=source, doc_id=doc_id, reason="empty text after the date line")
    return Document(doc_id=doc_id, text=text, date=date, input=source)


def from_fields(fields: dict, source: str) -> Item:
    """A Document from a JSON object or CSV row, or a Failure saying which field is wrong."""
    doc_id = fields.get("doc_id") or fields.get("id")
    if doc_id in (None, ""):
        return Failure(input=source, reason="no 'doc_id' (or 'id') field")
    doc_id = str(doc_id)
    text = fields.get("text")
    if not isinstance(text, str) or not text.strip():
        return Failure(input=source, doc_id=doc_id, reason="empty or missing 'text' field")
    raw = fields.get("date")
    if not raw:
        m = DATE_PREFIX.match(text)
        raw = m.group(1) if m else None
    if not raw:
        return Failure(input=source, doc_id=doc_id, reason="no 'date' field (publication date, YYYY-MM-DD)")
    try:
        date = dt.date.fromisoformat(str(raw).strip()[:10])
    except ValueError:
        return Failure(input=source, doc_id=doc_id, reason=f"invalid 'date' {raw!r}: expected YYYY-MM-DD")
    extra = {k: str(fields[k]) for k in OPTIONAL_FIELDS if fields.get(k) not in (None, "")}
    return Document(doc_id=doc_id, text=text, date=date, input=source, **extra)


def parse_jsonl(text: str, source: str) -> Iterator[Item]:
    stripped = text.lstrip()
    if stripped.startswith("["):  # a JSON array of documents is accepted too
        try:
            rows = json.loads(stripped)
        except json.JSONDecodeError as exc:
            yield Failure(input=source, reason=f"invalid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})")
            return
        for i, row in enumerate(rows, 1):
            yield _row(row, f"{source}[{i}]")
        return
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Failure(input=where, reason=f"invalid JSON ({exc.msg}, column {exc.colno}); each line must be one JSON object")
            continue
        yield _row(row, where)


def _row(row, where: str) -> Item:
    if not isinstance(row, dict):
        return Failure(input=where, reason="not a JSON object; each document must be an object with doc_id, date, text")
    return from_fields(row, where)


def parse_csv(text: str, source: str) -> Iterator[Item]:
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = reader.fieldnames or []
    except csv.Error as exc:
        yield Failure(input=source, reason=f"invalid CSV ({exc})")
        return
    if "text" not in header or not ({"doc_id", "id"} & set(header)):
        yield Failure(input=source, reason=f"CSV header must name doc_id (or id), date and text; found {header}")
        return
    try:
        for i, row in enumerate(reader, 2):
            yield from_fields(row, f"{source}:{i}")
    except csv.Error as exc:
        yield Failure(input=source, reason=f"invalid CSV at line {reader.line_num} ({exc})")


def parse_html(html: str, source: str, doc_id: str) -> Item:
    import trafilatura  # imported here: only HTML inputs pay for it

    try:
        result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        return Failure(input=source, doc_id=doc_id, reason=f"cannot parse the HTML ({exc})")
    body = getattr(result, "text", None) if result is not None else None
    if not body or not body.strip():
        return Failure(input=source, doc_id=doc_id, reason="no article text found in the HTML page")
    raw_date = getattr(result, "date", None)
    if not raw_date:
        return Failure(input=source, doc_id=doc_id,
                       reason="no publication date in the HTML page's metadata; convert it to ' date YYYY-MM-DD ' text")
    try:
        date = dt.date.fromisoformat(str(raw_date)[:10])
    except ValueError:
        return Failure(input=source, doc_id=doc_id, reason=f"invalid publication date {raw_date!r} in the HTML page")
    title = getattr(result, "title", None)
    url = getattr(result, "url", None)
    site = getattr(result, "sitename", None)
    return Document(doc_id=doc_id, text=body, date=date, title=title or None, url=url or None,
                    source=site or None, input=source)
