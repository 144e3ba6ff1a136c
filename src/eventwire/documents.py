"""Readers: inputs -> Document | Failure, one at a time, never stopping the batch.

Formats (../shared/spec/EVENTS.md, "Documents"):
- plain text whose text begins with `` date YYYY-MM-DD `` (or any text, with `date=` given);
- a folder of inputs (recursive);
- JSON Lines of documents (`doc_id` or `id`, `date`, `text`, optional `title`, `url`, `source`,
  `language`; other fields are ignored); a `.json` file may also hold one array of such objects or
  one object;
- CSV with the same columns (a record that cannot be parsed is a Failure naming its line, and
  reading goes on at the next line, so no row is swallowed by another);
- an HTML page (main text by trafilatura, publication date only from the page's own metadata);
- an RSS or Atom feed (feedparser): one document per item;
- `-`: standard input, in any of the formats above (detected from its content).

Ids: a file's doc_id is its path under the folder given, without the suffix (`a/report`); a file
named directly is its stem; text on standard input gets `stdin-` and a hash of its content. A
second, different document with an id already read in the same call is a Failure, never a
replacement; the same document read twice is skipped. A date is never invented: an undated input
is a Failure unless `date=` gives one.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import sys
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from .records import Document, Failure

Item = Union[Document, Failure]
DATE_PREFIX = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\s")
TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSON_SUFFIXES = {".json"}
CSV_SUFFIXES = {".csv"}
HTML_SUFFIXES = {".html", ".htm"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES | CSV_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES
OPTIONAL_FIELDS = ("title", "url", "source", "language")
# An HTML page's text is an article only if it has prose: enough words, and a line that reads as a sentence.
MIN_ARTICLE_WORDS = 15
SENTENCE_END = tuple(".!?\"'”’)")
SENTENCE_WORDS = 7
SURROGATE = re.compile("[\ud800-\udfff]")
UNDATED = "give the publication date with --date YYYY-MM-DD (or date= in Python)"


def read(inputs: Iterable[Union[str, Path]], date: Optional[dt.date] = None) -> Iterator[Item]:
    """Yield a Document or a Failure for every document in `inputs` (paths, folders or "-").
    `date` is the publication date of inputs that carry none."""
    return unique(_read_all(inputs, date))


def _read_all(inputs, date) -> Iterator[Item]:
    for inp in inputs:
        if str(inp) == "-":
            yield from read_bytes(sys.stdin.buffer.read(), "-", name=None, date=date)
            continue
        path = Path(inp)
        if path.is_dir():
            files = sorted((p for p in path.rglob("*") if p.is_file() and _is_input_file(p)),
                           key=lambda p: p.relative_to(path).as_posix())
            for p in files:
                yield from read_file(p, p.relative_to(path).with_suffix("").as_posix(), date)
        else:
            yield from read_file(path, path.stem, date)


def unique(items: Iterable[Item]) -> Iterator[Item]:
    """Pass items through, turning a second document with an already used doc_id into a Failure
    (different content) or a skip (the same document again)."""
    seen: dict[str, tuple[str, str]] = {}
    for item in items:
        if isinstance(item, Document):
            where = item.input or item.doc_id
            if any(SURROGATE.search(v) for v in (item.doc_id, item.text, item.title or "")):
                yield Failure(input=where, doc_id=item.doc_id.encode("utf-8", "replace").decode(),
                              reason="invalid character in the text: a lone UTF-16 surrogate (such as the JSON "
                                     "escape \\ud800); fix the encoding of the source")
                continue
            if item.doc_id in seen:
                first_hash, first_input = seen[item.doc_id]
                if first_hash == item.content_hash:
                    yield Failure(input=where, doc_id=item.doc_id, kind="skipped",
                                  reason=f"the same document as {first_input} (same doc_id, date and text)")
                else:
                    yield Failure(input=where, doc_id=item.doc_id,
                                  reason=f"doc_id {item.doc_id!r} is already used in this batch by {first_input}; "
                                         "give each document its own doc_id")
                continue
            seen[item.doc_id] = (item.content_hash, where)
        yield item


def _is_input_file(path: Path) -> bool:
    return not path.name.startswith(".") and path.suffix.lower() in KNOWN_SUFFIXES and \
        not path.name.lower().startswith("readme")


def read_file(path: Path, doc_id: Optional[str] = None, date: Optional[dt.date] = None) -> Iterator[Item]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Failure(input=str(path), reason=f"cannot read the file ({exc.strerror or exc}); check the path and permissions")
        return
    yield from read_bytes(data, str(path), name=doc_id or path.stem, suffix=path.suffix.lower(), date=date)


def read_bytes(data: bytes, source: str, name: Optional[str], suffix: Optional[str] = None,
               date: Optional[dt.date] = None) -> Iterator[Item]:
    """Decode `data` and parse it in the format given by `suffix` (or detected from the content).
    `name` is the doc_id of a single-document format; None derives one from the content."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Failure(input=source, reason=f"not UTF-8 text (byte {exc.start}: {exc.reason}); re-encode the file as UTF-8")
        return
    if "\x00" in text:
        yield Failure(input=source, reason="binary data (NUL bytes), not a text document")
        return
    name = name or "stdin-" + hashlib.sha1(data).hexdigest()[:12]
    fmt = detect_format(suffix, text)
    if fmt == "jsonl":
        yield from parse_jsonl(text, source, date)
    elif fmt == "json":
        yield from parse_json(text, source, date)
    elif fmt == "csv":
        yield from parse_csv(text, source, date)
    elif fmt == "html":
        yield parse_html(text, source, name, date)
    elif fmt == "feed":
        yield from parse_feed(text, source, name, date)
    else:
        yield parse_text(text, source, name, date)


def detect_format(suffix: Optional[str], text: str) -> str:
    """jsonl, json, csv, html, feed or text: from the suffix when it is known, else from the content."""
    by_suffix = [(JSONL_SUFFIXES, "jsonl"), (JSON_SUFFIXES, "json"), (CSV_SUFFIXES, "csv"),
                 (HTML_SUFFIXES, "html"), (FEED_SUFFIXES, "feed"), (TEXT_SUFFIXES, "text")]
    for suffixes, fmt in by_suffix:
        if suffix in suffixes:
            return fmt
    head = text.lstrip()[:1000]
    if head.startswith("{"):
        return "jsonl"
    if head.startswith("["):
        return "json"
    if head.startswith("<"):
        return "feed" if re.search(r"<(rss|feed|rdf:RDF)\b", head) else "html"
    first = text.lstrip().split("\n", 1)[0]
    try:
        header = {h.strip().lower() for h in next(csv.reader([first]))}
    except (csv.Error, StopIteration):
        header = set()
    if "text" in header and header & {"doc_id", "id"}:
        return "csv"
    return "text"


def parse_text(text: str, source: str, doc_id: str, date: Optional[dt.date] = None) -> Item:
    """The plain-text form: `` date YYYY-MM-DD `` then the body (or any text, with `date`);
    the whole text is kept."""
    m = DATE_PREFIX.match(text)
    if not m:
        if date is None:
            return Failure(input=source, doc_id=doc_id,
                           reason="no publication date: a plain-text article must begin with ' date YYYY-MM-DD ', "
                                  f"or {UNDATED}")
        if not text.strip():
            return Failure(input=source, doc_id=doc_id, reason="empty text")
        return Document(doc_id=doc_id, text=text, date=date, input=source)
    try:
        published = dt.date.fromisoformat(m.group(1))
    except ValueError:
        return Failure(input=source, doc_id=doc_id, reason=f"invalid publication date {m.group(1)!r}")
    if not text[m.end():].strip():
        return Failure(input=source, doc_id=doc_id, reason="empty text after the date line")
    return Document(doc_id=doc_id, text=text, date=published, input=source)


def from_fields(fields: dict, source: str, date: Optional[dt.date] = None) -> Item:
    """A Document from a JSON object or CSV row, or a Failure saying which field is wrong."""
    doc_id = fields.get("doc_id") or fields.get("id")
    if doc_id in (None, "") or isinstance(doc_id, (dict, list)):
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
        if date is None:
            return Failure(input=source, doc_id=doc_id,
                           reason=f"no 'date' field (publication date, YYYY-MM-DD); add one, or {UNDATED}")
        raw = date.isoformat()
    try:
        published = dt.date.fromisoformat(str(raw).strip()[:10])
    except ValueError:
        return Failure(input=source, doc_id=doc_id, reason=f"invalid 'date' {raw!r}: expected YYYY-MM-DD")
    extra = {k: str(fields[k]) for k in OPTIONAL_FIELDS if fields.get(k) not in (None, "")}
    return Document(doc_id=doc_id, text=text, date=published, input=source, **extra)


def parse_json(text: str, source: str, date: Optional[dt.date] = None) -> Iterator[Item]:
    """A `.json` file: one array of documents, one document object, or JSON Lines."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if text.lstrip().startswith("{") and "\n" in text.strip():
            yield from parse_jsonl(text, source, date)  # JSON Lines in a .json file
            return
        yield Failure(input=source, reason=f"invalid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})")
        return
    except RecursionError:
        yield Failure(input=source, reason="invalid JSON (nested too deeply)")
        return
    if isinstance(value, dict):
        yield _row(value, source, date)
    elif isinstance(value, list):
        for i, row in enumerate(value, 1):
            yield _row(row, f"{source}[{i}]", date)
    else:
        yield Failure(input=source, reason="JSON must be a document object, an array of them, or JSON Lines")


def parse_jsonl(text: str, source: str, date: Optional[dt.date] = None) -> Iterator[Item]:
    if text.lstrip().startswith("["):  # a JSON array of documents is accepted too
        yield from parse_json(text, source, date)
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
        except RecursionError:
            yield Failure(input=where, reason="invalid JSON (nested too deeply)")
            continue
        yield _row(row, where, date)


def _row(row, where: str, date: Optional[dt.date]) -> Item:
    if not isinstance(row, dict):
        return Failure(input=where, reason="not a JSON object; each document must be an object with doc_id, date, text")
    return from_fields(row, where, date)


def parse_csv(text: str, source: str, date: Optional[dt.date] = None) -> Iterator[Item]:
    """CSV with a header row. Each record is parsed strictly; a record that does not parse (an
    unclosed quote, a stray quote) or has the wrong number of fields is a Failure naming its first
    line, and parsing starts again on the next line, so the rows after it are still read."""
    lines = text.splitlines(keepends=True)
    try:
        header = next(csv.reader(lines[:1], strict=True), [])
    except csv.Error as exc:
        yield Failure(input=source, reason=f"invalid CSV header ({exc})")
        return
    names = [h.strip() for h in header]
    if "text" not in names or not ({"doc_id", "id"} & set(names)):
        yield Failure(input=source, reason=f"CSV header must name doc_id (or id), date and text; found {names}")
        return
    i = 1  # index into `lines` of the next record's first line
    while i < len(lines):
        start = i
        reader = csv.reader((lines[k] for k in range(start, len(lines))), strict=True)
        try:
            for record in reader:
                where, i = f"{source}:{i + 1}", start + reader.line_num
                if not any(f.strip() for f in record):
                    continue
                if len(record) != len(names):
                    yield Failure(input=where, reason=f"CSV record has {len(record)} fields, the header has "
                                                      f"{len(names)}; check its quotes and commas")
                else:
                    yield from_fields(dict(zip(names, record)), where, date)
            break
        except csv.Error as exc:
            yield Failure(input=f"{source}:{i + 1}",
                          reason=f"invalid CSV record ({exc}): an unclosed or stray quote? Reading goes on at the next line")
            i += 1


def parse_html(html: str, source: str, doc_id: str, date: Optional[dt.date] = None) -> Item:
    import trafilatura  # imported here: only HTML inputs pay for it

    try:
        result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                             date_extraction_params={"extensive_search": False,
                                                                     "original_date": True})
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        return Failure(input=source, doc_id=doc_id, reason=f"cannot parse the HTML ({type(exc).__name__}: {exc})")
    body = getattr(result, "text", None) if result is not None else None
    if not is_article(body):
        return Failure(input=source, doc_id=doc_id,
                       reason="no article text found in the HTML page (only navigation, scripts or fragments)")
    published = _date(getattr(result, "date", None)) or date
    if published is None:
        return Failure(input=source, doc_id=doc_id,
                       reason=f"no publication date in the HTML page's metadata; {UNDATED}")
    title = getattr(result, "title", None)
    url = getattr(result, "url", None)
    site = getattr(result, "sitename", None)
    return Document(doc_id=doc_id, text=body, date=published, title=title or None, url=url or None,
                    source=site or None, input=source)


def is_article(body: Optional[str]) -> bool:
    """Prose, not a menu: enough words, and at least one line that reads as a sentence."""
    if not body or len(body.split()) < MIN_ARTICLE_WORDS:
        return False
    return any(len(line.split()) >= SENTENCE_WORDS and line.rstrip().endswith(SENTENCE_END)
               for line in body.splitlines())


def parse_feed(text: str, source: str, name: str, date: Optional[dt.date] = None) -> Iterator[Item]:
    """An RSS or Atom feed: one document per item (title, then content or summary as text; the
    published or updated date; the link as `url`). An item's doc_id is the feed's and a hash of the
    item's id or link, so a refreshed feed gives its old items the same ids."""
    import feedparser  # imported here: only feeds pay for it

    try:
        feed = feedparser.parse(text)
    except Exception as exc:  # feedparser raises on some character references and encodings
        yield Failure(input=source, reason=f"cannot parse the feed ({type(exc).__name__}: {exc})")
        return
    if not feed.entries:
        reason = f"no items in the feed ({feed.bozo_exception})" if feed.get("bozo") else "no items in the feed"
        yield Failure(input=source, reason=reason)
        return
    site = feed.feed.get("title") or None
    for n, entry in enumerate(feed.entries, 1):
        try:
            yield _feed_item(entry, n, source, name, site, date)
        except Exception as exc:  # an odd item is that item's failure, not the feed's
            yield Failure(input=f"{source}[{n}]", reason=f"cannot read the feed item ({type(exc).__name__}: {exc})")


def _feed_item(entry, n: int, source: str, name: str, site: Optional[str], date: Optional[dt.date]) -> Item:
    key = entry.get("id") or entry.get("link") or entry.get("title") or str(n)
    doc_id = f"{name}/{hashlib.sha1(key.encode('utf-8', 'replace')).hexdigest()[:12]}"
    where = f"{source}[{n}]"
    parts = [entry.get("content", [{}])[0].get("value") if entry.get("content") else None, entry.get("summary")]
    body = _html_text(next((p for p in parts if p and p.strip()), ""))
    title = _html_text(entry.get("title") or "")
    if not body and not title:
        return Failure(input=where, doc_id=doc_id, reason="feed item without title, content or summary")
    published = _feed_date(entry) or date
    if published is None:
        return Failure(input=where, doc_id=doc_id, reason=f"feed item without a valid published or updated date; {UNDATED}")
    text = f"{title}\n\n{body}" if title and body and not body.startswith(title) else (body or title)
    return Document(doc_id=doc_id, text=text, date=published, title=title or None,
                    url=entry.get("link") or None, source=site, input=where)


def _feed_date(entry) -> Optional[dt.date]:
    """The item's publication day as written (RFC 822 or ISO 8601), never a normalised guess:
    feedparser turns "30 Feb" into 1 March and moves late-evening times to the next UTC day."""
    from email.utils import parsedate_tz

    for raw_key, parsed_key in (("published", "published_parsed"), ("updated", "updated_parsed")):
        raw = str(dict.get(entry, raw_key) or "").strip()  # dict.get: no feedparser fallback mapping
        if not raw:
            continue
        parts = parsedate_tz(raw)
        year = re.search(r"(?<!\d)(\d{4})(?!\d)", raw)
        try:
            if parts and (year is None or int(year.group(1)) == parts[0]):
                return dt.date(*parts[:3])
            return dt.datetime.fromisoformat(raw.replace("Z", "+00:00")).date()
        except (TypeError, ValueError, OverflowError):
            pass
        stamp = dict.get(entry, parsed_key)  # another format feedparser knows: kept only if it says what the text says
        if stamp and year and int(year.group(1)) == stamp.tm_year and re.search(rf"(?<!\d)0?{stamp.tm_mday}(?!\d)", raw):
            try:
                return dt.date(*stamp[:3])
            except ValueError:
                pass
    return None


def _html_text(fragment: str) -> str:
    """The text of an HTML fragment, paragraphs kept as lines."""
    if "<" not in fragment:
        return fragment.strip()
    import lxml.html

    try:
        root = lxml.html.fromstring(f"<div>{fragment}</div>")
    except Exception:  # lxml raises ParserError and others on junk
        return re.sub(r"<[^>]+>", " ", fragment).strip()
    for block in root.iter("p", "br", "div", "li", "h1", "h2", "h3"):
        block.tail = "\n" + (block.tail or "")
    return "\n".join(line.strip() for line in root.text_content().splitlines() if line.strip())


def _date(raw) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(str(raw)[:10]) if raw else None
    except ValueError:
        return None
