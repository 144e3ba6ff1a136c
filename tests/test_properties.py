"""Property-based tests (hypothesis): no input, however broken, makes a reader or the extraction raise.

Readers: `documents.read_bytes` with every suffix (None, .txt, .jsonl, .json, .csv, .html, .rss) on
random bytes, any unicode (RTL marks, zero-width characters, emoji, control characters, NUL),
invalid UTF-8, empty inputs, very long lines, malformed JSON Lines, broken CSV, deeply nested HTML
and RSS/Atom-ish XML yields only Documents (non-empty text, a date) and Failures (a reason, naming
the source); a bad input between two good files never costs the good ones. Extraction:
`Pipeline.process` on word salads and arbitrary unicode never raises, returns (Document, [Event])
or (Failure, []), and finishes within the document budget. The regression tests pin the bugs these
properties found first (feed character references and dates, JSON-escaped lone surrogates).

The default ("ci") profile is bounded and derandomized (about 40 examples per reader property, 20
per extraction property; well under a minute). The long version, e.g. overnight:

    EVENTWIRE_FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest tests/test_properties.py --hypothesis-seed=12345

(EVENTWIRE_FUZZ_EXAMPLES sets max_examples of every property and loads the "long" profile.)
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventwire import documents
from eventwire.errors import InputError
from eventwire.records import Document, Event, Failure

# --- profiles --------------------------------------------------------------------------------------

FUZZ_EXAMPLES = os.environ.get("EVENTWIRE_FUZZ_EXAMPLES")
_COMMON = dict(deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
    HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture])
settings.register_profile("ci", max_examples=40, derandomize=True, database=None, print_blob=True, **_COMMON)
settings.register_profile("long", max_examples=int(FUZZ_EXAMPLES or 10000), print_blob=True, **_COMMON)
settings.register_profile("ci-extraction", settings.get_profile("ci"), max_examples=20)
settings.register_profile("long-extraction", settings.get_profile("long"))
PROFILE = "long" if FUZZ_EXAMPLES else "ci"
settings.load_profile(PROFILE)
EXTRACTION = settings.get_profile(PROFILE + "-extraction")  # fewer examples: each one runs spaCy

SUFFIXES = (None, ".txt", ".jsonl", ".json", ".csv", ".html", ".rss")
SOURCE = "fuzz/input-7f3a"
DATE = dt.date(2024, 5, 15)
GOOD_BODY = "Militants killed 12 villagers in the Mopti region of Mali on Tuesday, the army said."
PROSE = [
    GOOD_BODY,
    "Police fired tear gas at protesters in Kano on Tuesday, and at least 20 people were arrested, witnesses said.",
    "Hezbollah fired rockets at Kiryat Shmona in northern Israel on Wednesday, the Israeli army said in a statement.",
    "The foreign ministers of Egypt and Qatar met in Cairo on Monday to discuss a ceasefire in the Gaza Strip.",
]

# --- strategies: text and bytes ----------------------------------------------------------------------

SPECIAL = [
    "\u200f", "\u200e", "\u202e", "\u202d", "\u2066", "\u2069",        # RTL/LTR marks and overrides
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",                  # zero-width characters, BOM
    "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\r", "\n", "\t",     # line and paragraph separators
    "\x00", "\x01", "\x1b", "\x7f", "\x9f",                            # control characters, NUL
    "\ufffd", "\ufffe", "\U0010ffff", "\ufdd0", "e\u0301",             # replacement, noncharacters, combining
    "👍🏽", "👨‍👩‍👧", "🇲🇱", "قتل مسلحون", "נהרגו", "٢٠٢٤", "２０２４", "ǅ", "ß", "İ",
]
PREFIXES = ["", " date 2024-05-15 ", " date 2024-13-45 ", "date 2024-02-30\n", "\ufeff date 2024-05-15 ",
            " date ٢٠٢٤-٠٥-١٥ ", "\n\n date 2024-05-15\t", " DATE 2024-05-15 ", " date 2024-05-15"]
# Text that encodes as UTF-8 (no lone surrogates: those are tested as bytes, below).
chars = st.one_of(st.characters(codec="utf-8"), st.sampled_from(SPECIAL))
unicode_text = st.lists(chars, max_size=150).map("".join)
prose = st.sampled_from(PROSE)
texts = st.builds(lambda p, a, b: p + a + b, st.sampled_from(PREFIXES), st.one_of(prose, unicode_text),
                  st.one_of(st.just(""), unicode_text, prose))

BAD_UTF8 = [b"\xff", b"\xfe", b"\x80", b"\xc3", b"\xc0\xaf", b"\xe2\x82", b"\xed\xa0\x80", b"\xed\xbf\xbf",
            b"\xf4\x90\x80\x80", b"\xf0\x9f\x98", b"\xf8\x88\x80\x80\x80"]


def _splice(data: bytes, junk: list, at: int) -> bytes:
    at = at % (len(data) + 1)
    return data[:at] + b"".join(junk) + data[at:]


utf8_bytes = texts.map(lambda s: s.encode("utf-8"))
invalid_utf8 = st.one_of(
    st.builds(_splice, utf8_bytes, st.lists(st.sampled_from(BAD_UTF8), min_size=1, max_size=3), st.integers(0, 10**6)),
    # lone surrogates are impossible in a str read from UTF-8, but not in bytes
    st.lists(st.one_of(chars, st.characters(categories=["Cs"])), min_size=1, max_size=60)
    .map(lambda cs: "".join(cs)).filter(lambda s: any("\ud800" <= c <= "\udfff" for c in s))
    .map(lambda s: (" date 2024-05-15 " + s).encode("utf-8", "surrogatepass")),
    # Latin-1 and cp1252 files
    st.builds(lambda p, s: (p + s + " café, Niño, Zürich").encode("latin-1", "replace"),
              st.sampled_from(PREFIXES[:2]), st.one_of(prose, st.text(st.characters(max_codepoint=255), max_size=80))),
)
EMPTYISH = [b"", b" ", b"\n", b"\r\n\r\n", b"\t \x0b\x0c", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n", b" date 2024-05-15 ",
            b" date 2024-05-15 \n\n  ", b"date", b"{}", b"[]", b"[{}]", b"\"\"", b"null", b"0", b"{\n}",
            b"doc_id,date,text\n", b"doc_id,date,text\r\n,,\n", b",", b"\"", b"<", b"<html></html>", b"<rss></rss>",
            b"<feed/>", b"<?xml version='1.0'?>", b"\xe2\x80\x8f", b"\xe2\x80\x8b\n"]
emptyish = st.sampled_from(EMPTYISH)


def _long(prefix: str, unit: str, chars_: int, tail: str) -> bytes:
    return (prefix + unit * max(1, chars_ // len(unit)) + tail).encode("utf-8")


long_lines = st.builds(
    _long,
    st.sampled_from(PREFIXES + ['{"doc_id": "x", "date": "2024-05-15", "text": "', 'doc_id,date,text\nx,2024-05-15,"',
                                "<html><body><p>", "<rss><channel><item><title>", "[" * 50]),
    st.sampled_from(["a", "word ", GOOD_BODY + " ", "é", "\u200f", "🇲🇱", '"', ",", "<b>", "\t", "\\", "{", "\r"]),
    st.integers(1_000, 250_000),
    st.sampled_from(["", "\n", '"}', "</p></body></html>", "\n" + GOOD_BODY]),
)

# --- strategies: JSON and JSON Lines --------------------------------------------------------------

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), unicode_text)
json_values = st.recursive(json_scalars, lambda c: st.one_of(st.lists(c, max_size=4),
                                                          st.dictionaries(unicode_text, c, max_size=4)), max_leaves=12)
ids = st.one_of(st.sampled_from(["a", "doc-1", "1", "0", "", " ", "a/b", "../x"]), st.integers(), unicode_text, json_values)
DATES = ["2024-05-15", "2024-05-15T10:00:00Z", "2024-05-15junk", "2024-5-15", "2024-13-45", "2024-02-30", "", " ",
         "yesterday", "15/05/2024", " 2024-05-15 ", "２０２４-05-15", "٢٠٢٤-٠٥-١٥", "9999-12-31", "0001-01-01"]
dates = st.one_of(st.sampled_from(DATES), st.dates().map(str), json_values)
fields_text = st.one_of(st.sampled_from(PROSE + ["", "   ", "\u200b", " date 2024-05-15 " + GOOD_BODY]), texts, json_values)
objects = st.fixed_dictionaries({}, optional={
    "doc_id": ids, "id": ids, "date": dates, "text": fields_text, "title": json_values, "url": json_values,
    "source": json_values, "language": st.one_of(st.sampled_from(["en", "fr", "", "xx-YY"]), json_values),
    "extra": json_values})
good_objects = st.fixed_dictionaries({"doc_id": st.sampled_from(["a", "b", "c"]), "date": st.just("2024-05-15"),
                                      "text": prose})


def _dumps(value, ascii_: bool = True, indent=None) -> str:
    return json.dumps(value, ensure_ascii=ascii_, indent=indent)


def _truncate(s: str, at: int) -> str:
    return s[: at % max(len(s), 1)]


jsonl_line = st.one_of(
    st.builds(_dumps, st.one_of(objects, good_objects), st.booleans()),
    st.builds(_truncate, st.builds(_dumps, st.one_of(objects, good_objects)), st.integers(0, 10**4)),  # truncated
    unicode_text,                                                                                     # random lines
    st.builds(_dumps, json_values),                                                                   # wrong types
    st.builds(_dumps, st.lists(st.one_of(objects, st.lists(objects, max_size=2)), max_size=3)),       # nested arrays
    st.integers(1, 3000).map(lambda d: "[" * d + "]" * d),
    st.integers(1, 3000).map(lambda d: '{"a": ' * d + "1" + "}" * d),
    st.integers(1, 3000).map(lambda d: '{"doc_id": "x", "text": ' + "[" * d),
    st.builds(lambda o, c: _dumps(o).replace('"text": "', f'"text": "\\u{c:04x} '), good_objects,  # lone surrogates
              st.integers(0xD800, 0xDFFF)),
)
jsonl_bytes = st.builds(lambda lines, sep, p: (p + sep.join(lines)).encode("utf-8"), st.lists(jsonl_line, max_size=8),
                        st.sampled_from(["\n", "\r\n", "\n\n", "\r"]), st.sampled_from(["", "\ufeff", "  \n"]))
json_bytes = st.one_of(
    jsonl_bytes,
    st.builds(_dumps, st.one_of(objects, st.lists(st.one_of(objects, good_objects), max_size=5), json_values),
              st.booleans(), st.sampled_from([None, 2])).map(lambda s: s.encode("utf-8")),
    st.builds(_truncate, st.builds(_dumps, st.lists(objects, min_size=1, max_size=4), st.booleans(), st.just(2)),
              st.integers(0, 10**4)).map(lambda s: s.encode("utf-8")),
)

# --- strategies: CSV ---------------------------------------------------------------------------------

csv_field = st.one_of(st.sampled_from(["a", "b", "2024-05-15", "2024-13-45", "", " ", GOOD_BODY, '"', '""', '"unclosed',
                                       'stray"quote', 'a,b', "x\ny", "x\r\ny", "\r", " date 2024-05-15 x", "é"]),
                      unicode_text, prose)
HEADERS = [["doc_id", "date", "text"], ["id", "date", "text", "title"], ["text", "doc_id"], [" doc_id ", "date", " text "],
           ["doc_id", "date", "text", "text"], ["doc_id", "Date", "Text"], ["date"], []]


@st.composite
def csv_bytes(draw):
    header = draw(st.one_of(st.sampled_from(HEADERS),
                            st.lists(st.sampled_from(["doc_id", "id", "date", "text", "title", "url", "", "x"]), max_size=6)))
    delims = draw(st.lists(st.sampled_from([",", ";", "\t", "|", " ", ""]), min_size=1, max_size=3))

    def field(value: str) -> str:
        how = draw(st.sampled_from(["raw", "raw", "quoted", "unclosed", "stray"]))
        if how == "quoted":
            return '"' + value.replace('"', '""') + '"'
        if how == "unclosed":
            return '"' + value
        if how == "stray":
            return value[: len(value) // 2] + '"' + value[len(value) // 2:]
        return value

    lines = [draw(st.sampled_from([",", ",", ";", "\t"])).join(header)]
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.booleans()):  # a well-formed row
            row = [str(draw(st.sampled_from(["a", "b", "c"]))), "2024-05-15", '"' + draw(prose).replace('"', '""') + '"']
            lines.append(",".join(row[: len(header)] if len(header) < 3 else row + [""] * (len(header) - 3)))
        else:  # a ragged row of random fields
            values = draw(st.lists(csv_field, max_size=6))
            lines.append(draw(st.sampled_from(delims)).join(field(v) for v in values))
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines) + draw(st.sampled_from(["", "\n", '"', "\n\n\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "latin-1", "utf-8-sig"]))
    return text.encode(encoding, "replace")


# --- strategies: HTML ----------------------------------------------------------------------------------

TAGS = ["div", "span", "p", "article", "section", "table", "td", "ul", "li", "b", "main", "font", "a"]
SOUP = ["<div>", "</div>", "<p>", "</p>", "<b>", "<i></b>", "<script>", "</script>", "<style>", "<!--", "-->", "<![CDATA[",
        "]]>", "<br/>", "<img src=x onerror=1>", "<a href='", "&amp;", "&nbsp;", "&#0;", "&#x1F600;", "&#xD800;", "&#x110000;", "&bogus;", "&",
        "<", "</", "<<>>", "<html>", "<head>", "</head>", "<body>", "<title>", "<meta charset='latin-1'>",
        '<meta name="date" content="2024-05-15">', '<meta property="article:published_time" content="2024-13-99">',
        "<!DOCTYPE html>", "<?xml version='1.0'?>", "<table><tr><td>", "<svg><math>", "<template>", "<noscript>"]
html_dates = st.one_of(st.sampled_from(DATES), st.dates(min_value=dt.date(1000, 1, 1)).map(str))


@st.composite
def html_bytes(draw):
    depth = draw(st.one_of(st.sampled_from([0, 1, 10, 255, 256, 257, 1000, 2000, 5000]), st.integers(0, 2500)))
    tag = draw(st.sampled_from(TAGS))
    soup = st.lists(st.one_of(st.sampled_from(SOUP), prose, unicode_text), max_size=25).map("".join)
    body = draw(st.one_of(st.lists(prose, min_size=1, max_size=4).map(lambda ps: "".join(f"<p>{p}</p>" for p in ps)), soup))
    closed = draw(st.booleans())
    page = f"<{tag}>" * depth + body + (f"</{tag}>" * depth if closed else "")
    if draw(st.booleans()):
        head = f'<head><title>{draw(unicode_text)}</title><meta name="date" content="{draw(html_dates)}"></head>'
        page = f"<html>{head}<body>{page}</body>" + ("</html>" if closed else "")
    if draw(st.booleans()):  # cut it anywhere
        page = _truncate(page, draw(st.integers(0, 10**6)))
    return page.encode(draw(st.sampled_from(["utf-8", "utf-8", "latin-1"])), "replace")


# --- strategies: RSS / Atom ----------------------------------------------------------------------------

FEED_TEXT = PROSE + ["", " ", "<p>Police said</p>", "&lt;p&gt;escaped &amp; twice&lt;/p&gt;", "<![CDATA[<b>Killed</b> 3]]>",
                     "&amp;", "&bogus;", "&#0;", "&#x1F600;", "&#65;", "&#xD800;", "&#x110000;", "&#99999999999;", "]]>", "<",
                     "<b>", "</item>", "<item>"]
feed_text = st.one_of(st.sampled_from(FEED_TEXT), unicode_text, st.builds(lambda a, b: a + b, prose, unicode_text))
FEED_DATES = ["Wed, 15 May 2024 10:00:00 GMT", "2024-05-15T10:00:00Z", "2024-05-15", "15 May 2024", "yesterday", "",
              "Tue, 31 Feb 2024 25:61:61 +9999", "2024-02-30", "9999-12-31T23:59:59-12:00", "Fri, 31 Dec 9999 23:59:59 -1200",
              "0000-00-00", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00",
              "1000-01-01T00:00:00+14:00", "2024-05-15T10:00:00+25:00", "Mon, 15 May 2024", "2024-W20-3", "20240515"]
feed_dates = st.one_of(
    st.sampled_from(FEED_DATES),
    st.datetimes().map(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S +0000")),
    st.builds(lambda d, tz: d.isoformat() + tz, st.datetimes(), st.sampled_from(["Z", "+14:00", "-12:00"])),
)


@st.composite
def feed_bytes(draw, text=feed_text, when=feed_dates):
    kind = draw(st.sampled_from(["rss", "atom", "rdf", "rss"]))
    entries = []
    for _ in range(draw(st.integers(0, 4))):
        title, body, link, guid, date = draw(text), draw(text), draw(text), draw(text), draw(when)
        parts = {"title": title, "body": body, "link": link, "id": guid, "date": date}
        keep = draw(st.sets(st.sampled_from(sorted(parts))))
        p = {k: (v if k in keep else None) for k, v in parts.items()}
        if kind == "atom":
            entries.append("<entry>" + "".join(x for x in [
                p["title"] is not None and f"<title>{p['title']}</title>",
                p["body"] is not None and f"<content type='html'>{p['body']}</content>",
                p["link"] is not None and f"<link href='{p['link']}'/>",
                p["id"] is not None and f"<id>{p['id']}</id>",
                p["date"] is not None and f"<updated>{p['date']}</updated>"] if x) + "</entry>")
        else:
            entries.append("<item>" + "".join(x for x in [
                p["title"] is not None and f"<title>{p['title']}</title>",
                p["body"] is not None and f"<description>{p['body']}</description>",
                p["link"] is not None and f"<link>{p['link']}</link>",
                p["id"] is not None and f"<guid>{p['id']}</guid>",
                p["date"] is not None and (f"<dc:date>{p['date']}</dc:date>" if kind == "rdf" else f"<pubDate>{p['date']}</pubDate>")]
                if x) + "</item>")
    site = draw(text)
    if kind == "atom":
        doc = f"<feed xmlns='http://www.w3.org/2005/Atom'><title>{site}</title>{''.join(entries)}</feed>"
    elif kind == "rdf":
        doc = ("<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns='http://purl.org/rss/1.0/' "
               f"xmlns:dc='http://purl.org/dc/elements/1.1/'><channel><title>{site}</title></channel>{''.join(entries)}</rdf:RDF>")
    else:
        doc = f"<rss version='2.0'><channel><title>{site}</title>{''.join(entries)}</channel></rss>"
    if draw(st.booleans()):
        doc = "<?xml version='1.0' encoding='" + draw(st.sampled_from(["utf-8", "latin-1", "bogus"])) + "'?>\n" + doc
    if draw(st.booleans()):  # truncate, or drop junk in the middle
        at = draw(st.integers(0, 10**5))
        doc = _truncate(doc, at) if draw(st.booleans()) else doc[: at % (len(doc) + 1)] + draw(unicode_text) + doc[at % (len(doc) + 1):]
    return doc.encode("utf-8")


any_bytes = st.one_of(st.binary(max_size=400), utf8_bytes, invalid_utf8, emptyish, jsonl_bytes, json_bytes, csv_bytes(),
                      html_bytes(), feed_bytes(), long_lines)

# --- the reader properties -------------------------------------------------------------------------------


def check(items, source: str = SOURCE):
    """Only Documents and Failures; a Failure says why and names the source; a Document has text and a date
    and can be used by the rest of the batch (its content hash is computable)."""
    for item in items:
        assert type(item) in (Document, Failure), item
        if isinstance(item, Failure):
            assert item.reason.strip(), item
            assert source in item.input, item
            assert item.kind in ("failed", "skipped")
        else:
            assert item.text.strip(), item
            assert isinstance(item.date, dt.date), item
            assert item.doc_id, item
            assert source in (item.input or ""), item
            assert len(item.content_hash) == 40


def read_all_suffixes(data: bytes, name, date):
    for suffix in SUFFIXES:
        check(list(documents.read_bytes(data, SOURCE, name, suffix=suffix, date=date)))


names = st.sampled_from([None, "doc", "a/b"])
given_dates = st.sampled_from([None, DATE])


@given(st.binary(max_size=2000), names, given_dates)
def test_random_bytes(data, name, date):
    read_all_suffixes(data, name, date)


@given(utf8_bytes, names, given_dates)
def test_any_unicode_text(data, name, date):
    read_all_suffixes(data, name, date)


@given(invalid_utf8, names, given_dates)
def test_invalid_utf8_is_a_failure(data, name, date):
    read_all_suffixes(data, name, date)
    for suffix in SUFFIXES:
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            [item] = documents.read_bytes(data, SOURCE, name, suffix=suffix, date=date)
            assert isinstance(item, Failure) and "UTF-8" in item.reason


@given(emptyish, names, given_dates)
def test_empty_inputs(data, name, date):
    read_all_suffixes(data, name, date)


@settings(max_examples=min(settings().max_examples, 15) if PROFILE == "ci" else settings().max_examples)
@given(long_lines, names, given_dates)
def test_very_long_lines(data, name, date):
    read_all_suffixes(data, name, date)


@given(jsonl_bytes, names, given_dates)
def test_malformed_json_lines(data, name, date):
    read_all_suffixes(data, name, date)


@given(json_bytes, names, given_dates)
def test_malformed_json(data, name, date):
    read_all_suffixes(data, name, date)


@given(csv_bytes(), names, given_dates)
def test_broken_csv(data, name, date):
    read_all_suffixes(data, name, date)


@given(html_bytes(), names, given_dates)
def test_nested_and_broken_html(data, name, date):
    read_all_suffixes(data, name, date)


def test_2000_nested_divs():
    article = "".join(f"<p>{p}</p>" for p in PROSE)
    for page in ("<div>" * 2000 + article + "</div>" * 2000, "<div>" * 2000 + article, "<div>" * 20000 + article):
        for date in (None, DATE):
            read_all_suffixes(page.encode(), "page", date)


@given(feed_bytes(), names, given_dates)
def test_rss_and_atom_ish_xml(data, name, date):
    read_all_suffixes(data, name, date)


_batch = itertools.count()


@given(any_bytes, st.sampled_from(SUFFIXES))
def test_bad_input_between_two_good_files(tmp_path, data, suffix):
    folder = tmp_path / f"batch-{next(_batch)}"
    folder.mkdir()
    first, last = folder / "first-good-4c1d.txt", folder / "last-good-4c1d.txt"
    for path in (first, last):
        path.write_text(f" date 2024-05-15 {GOOD_BODY}", encoding="utf-8")
    bad = folder / ("bad" + (suffix or ""))
    bad.write_bytes(data)
    items = list(documents.read([first, bad, last]))
    check([i for i in items if (i.input or "").startswith(str(bad))], str(bad))
    good = {i.doc_id: i for i in items if isinstance(i, Document) and i.input in (str(first), str(last))}
    assert sorted(good) == ["first-good-4c1d", "last-good-4c1d"], items
    assert all(d.date == DATE and d.text.endswith(GOOD_BODY) for d in good.values())
    assert isinstance(items[0], Document) and isinstance(items[-1], Document)


# --- regressions: the bugs these properties found first -------------------------------------------------
# (feedparser raising on character references; feed dates outside years 1-9999; JSON-escaped lone
# surrogates stopping documents.read). Each must give a Failure or a Document, never an exception.

def _rss(title: str, date: str = "Wed, 15 May 2024 10:00:00 GMT") -> bytes:
    return f"<rss><channel><item><title>{title}</title><pubDate>{date}</pubDate></item></channel></rss>".encode()


@given(st.one_of(st.integers(0xD800, 0xDFFF), st.integers(0x110000, 2**70), st.integers(0, 0x10FFFF)),
       st.sampled_from([None, ".rss", ".xml", ".html"]), st.booleans())
def test_feed_numeric_character_references(code, suffix, hexa):
    """Was: <title>&#xD800;</title> raised UnicodeEncodeError (&#x110000;: ValueError, &#99999999999;:
    OverflowError) out of feedparser.parse."""
    ref = f"&#x{code:X};" if hexa else f"&#{code};"
    check(list(documents.read_bytes(_rss(f"Police said {ref} more"), SOURCE, "feed", suffix=suffix)))


@given(st.one_of(st.sampled_from(["0000-00-00", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00",
                                  "9999-12-31T23:59:59-12:00", "Sat, 01 Jan 0001 00:00:00 +1400"]),
                 st.builds(lambda y, tz: f"{y:04d}-01-01T00:00:00{tz}", st.sampled_from([0, 1, 9999]),
                           st.sampled_from(["Z", "+01:00", "-12:00", "+14:00"]))))
def test_feed_dates_out_of_range(date):
    """Was: <pubDate>0000-00-00</pubDate> (year -1) or 9999-12-31T23:59:59-12:00 (year 10000) made
    dt.date(*stamp[:3]) raise ValueError in parse_feed."""
    check(list(documents.read_bytes(_rss("Police said more", date), SOURCE, "feed", suffix=".rss")))


@given(st.integers(0xD800, 0xDFFF), st.sampled_from(["text", "doc_id", "title"]), st.sampled_from([".jsonl", ".json"]))
def test_json_escaped_lone_surrogates(tmp_path, code, field, suffix):
    """Was: {"doc_id":"a","date":"2024-05-15","text":"x \\ud800"} gave a Document whose content_hash raised
    UnicodeEncodeError, so documents.read stopped the whole batch."""
    row = {"doc_id": "a", "date": "2024-05-15", "text": GOOD_BODY, "title": "Attack"}
    line = json.dumps(row).replace(f'"{row[field]}"', f'"{row[field]} \\u{code:04x}"')
    path = tmp_path / f"surrogate{suffix}"
    good = tmp_path / "after-surrogate.txt"
    path.write_text(line + "\n", encoding="utf-8")
    good.write_text(f" date 2024-05-15 {GOOD_BODY}", encoding="utf-8")
    items = list(documents.read([path, good]))
    check(items[:-1], str(path))
    assert isinstance(items[-1], Document) and items[-1].doc_id == "after-surrogate"


# --- extraction ----------------------------------------------------------------------------------------------

EVENT_WORDS = ["killed", "attacked", "fired", "rockets", "at", "protesters", "police", "arrested", "shelled", "bombed",
               "clashed", "with", "militants", "gunmen", "army", "soldiers", "rebels", "Hezbollah", "Hamas", "IDF",
               "villagers", "demonstrators", "tear gas", "met", "signed", "an agreement", "ceasefire", "accused",
               "threatened", "sanctions", "wounded", "injured", "at least", "dozens of", "said", "according to",
               "Reuters", "on Tuesday", "last week", "yesterday", "in May", "on 12 May 2024", "the", "a", "of", "in",
               "and", "near", "northern", "southern", "region", "province", "killing", "people", "were", "was",
               "minister", "president", "government", "Mr.", "U.S.", "the United Nations", "ISIS", "Boko Haram"]
PLACES = ["Mali", "Mopti", "Kano", "Nigeria", "Gaza", "Rafah", "Lebanon", "Tyre", "Kiryat Shmona", "Israel", "Tehran",
          "Iran", "Peshawar", "Pakistan", "Cairo", "Egypt", "Kyiv", "Ukraine", "Kharkiv", "Khartoum", "Sudan", "Goma",
          "Paris", "Springfield", "Georgia", "Jordan", "Chad", "Niger", "Congo", "New York", "Washington", "Sahel"]
NUMBERS = ["12", "two", "dozens", "1,200", "3.5", "-1", "one hundred", "0", "99999999999999999999", "2024", "1st",
           "10-15", "½", "٣", "1e9", "thousands"]
PUNCT = [".", ",", ";", ":", "!", "?", '"', "'", "(", ")", "-", "—", "...", "\n", "\n\n", "\t", "/", "%", "$", "#", "@",
         "“", "”", "‘", "’"]
word = st.one_of(st.sampled_from(EVENT_WORDS), st.sampled_from(PLACES), st.sampled_from(NUMBERS),
                 st.integers(-10**6, 10**12).map(str), st.sampled_from(PUNCT), st.sampled_from(SPECIAL))
salad = st.lists(word, max_size=120).map(" ".join)
arbitrary = st.lists(st.one_of(st.characters(), st.sampled_from(SPECIAL)), max_size=300).map("".join)  # lone surrogates too
extraction_texts = st.one_of(
    salad, arbitrary,
    st.builds(lambda a, b, c: a + b + c, salad, arbitrary, salad),
    st.lists(st.one_of(salad, prose), min_size=1, max_size=12).map("\n\n".join),
    st.lists(word, min_size=500, max_size=2000).map(" ".join),
)
BUDGET = 20.0
MARGIN = 5.0


@pytest.fixture
def budget_pipeline(pipeline):
    """The session pipeline with a 20 s budget per document, restored afterwards."""
    old = pipeline.doc_timeout
    pipeline.doc_timeout = BUDGET
    yield pipeline
    pipeline.doc_timeout = old


@EXTRACTION
@given(extraction_texts, st.dates(), st.sampled_from([None, "en"]))
def test_process_never_raises_and_keeps_the_budget(budget_pipeline, text, date, language):
    doc = Document(doc_id="fuzz-doc", date=date, text=text, language=language)
    start = time.monotonic()
    result = budget_pipeline.process(doc)
    elapsed = time.monotonic() - start
    assert elapsed < BUDGET + MARGIN, f"took {elapsed:.1f} s: {text[:200]!r}"
    item, events = result
    assert isinstance(events, list)
    if isinstance(item, Failure):
        assert events == [] and item.reason.strip() and item.doc_id == "fuzz-doc"
        return
    assert type(item) is Document and item.doc_id == doc.doc_id and item.text == text
    for event in events:
        assert type(event) is Event and event.doc_id == doc.doc_id
        for ev in event.evidence:  # evidence offsets point into the text as read
            assert 0 <= ev.start <= ev.end <= len(text) and text[ev.start:ev.end] == ev.text


@EXTRACTION
@given(st.one_of(objects, good_objects, extraction_texts.map(lambda t: " date 2024-05-15 " + t)),
       st.sampled_from([None, "2024-05-15", DATE, "2024-13-45", "bogus"]))
def test_extract_returns_events_or_raises_input_error(budget_pipeline, value, date):
    import eventwire

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(eventwire, "default_pipeline", lambda *args: budget_pipeline)
        try:
            events = eventwire.extract(value, date=date)
        except InputError as exc:
            assert str(exc).strip()
            return
    assert isinstance(events, list) and all(type(e) is Event for e in events)
