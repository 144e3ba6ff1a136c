"""Readers: every input format gives Documents, every bad input a Failure naming it, and a batch
never stops on one bad input."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import sys

import pytest

from conftest import DEV, EXAMPLE, load_jsonl, needs_shared, write_plain
from eventwire import documents
from eventwire.records import Document, Failure

BODY = "Militants killed 12 villagers in the Mopti region of Mali on Tuesday, the army said."


def read(*paths):
    return list(documents.read([str(p) for p in paths]))


def only(items, kind):
    return [i for i in items if isinstance(i, kind)]


# --- plain text --------------------------------------------------------------------------------------

def test_plain_text_file(tmp_path):
    path = write_plain(tmp_path / "mali-attack.txt", "2024-05-15", BODY)
    [doc] = read(path)
    assert isinstance(doc, Document)
    assert doc.doc_id == "mali-attack"
    assert doc.date == dt.date(2024, 5, 15)
    assert doc.text == path.read_text(encoding="utf-8")  # kept whole: evidence offsets point into it
    assert doc.text.endswith(BODY)
    assert doc.input == str(path)


def test_plain_text_with_utf8_bom_and_no_suffix(tmp_path):
    path = tmp_path / "article"
    path.write_bytes(b"\xef\xbb\xbf date 2023-10-31 " + BODY.encode())
    [doc] = read(path)
    assert doc.date == dt.date(2023, 10, 31)
    assert not doc.text.startswith("\ufeff")


@needs_shared
def test_real_example_article():
    [doc] = read(EXAMPLE)
    assert doc.doc_id == EXAMPLE.stem
    assert doc.date == dt.date(2024, 5, 15)
    assert doc.text == EXAMPLE.read_text(encoding="utf-8")


@pytest.mark.parametrize("content, words", [
    (BODY, "date"),                                   # no ' date YYYY-MM-DD ' prefix
    (" date 2024-05-15 ", "empty"),                   # a date but no text
    ("", "date"),                                     # an empty file
    (" date 2024-13-45 " + BODY, "invalid"),          # a date that does not exist
])
def test_plain_text_failures(tmp_path, content, words):
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    [item] = read(path)
    assert isinstance(item, Failure)
    assert item.input == str(path)
    assert words in item.reason.lower()
    assert str(path) in str(item)  # the message a user sees names the file


def test_undecodable_bytes_fail(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes(b"\xff\xfe\x00bad")
    [item] = read(path)
    assert isinstance(item, Failure)
    assert item.input == str(path)
    assert "UTF-8" in item.reason


def test_unreadable_path_fails(tmp_path):
    missing = tmp_path / "no-such-article.txt"
    [item] = read(missing)
    assert isinstance(item, Failure)
    assert item.input == str(missing)
    assert "cannot read" in item.reason


def test_batch_goes_on_after_failures(tmp_path):
    good1 = write_plain(tmp_path / "a.txt", "2024-05-15", BODY)
    bad = tmp_path / "b.txt"
    bad.write_bytes(b"\xff\xfe\x00bad")
    missing = tmp_path / "c.txt"
    good2 = write_plain(tmp_path / "d.txt", "2024-05-16", BODY)
    items = read(good1, bad, missing, good2)
    assert [type(i).__name__ for i in items] == ["Document", "Failure", "Failure", "Document"]
    assert [i.input for i in items] == [str(good1), str(bad), str(missing), str(good2)]


# --- folders --------------------------------------------------------------------------------------

def test_folder_is_read_recursively(tmp_path):
    write_plain(tmp_path / "top.txt", "2024-05-15", BODY)
    write_plain(tmp_path / "2024" / "05" / "deep.txt", "2024-05-14", BODY)
    (tmp_path / "2024" / "batch.jsonl").write_text(
        json.dumps({"doc_id": "from-jsonl", "date": "2024-05-13", "text": BODY}) + "\n", encoding="utf-8")
    # not inputs: a README, a hidden file, an unknown suffix
    write_plain(tmp_path / "README.txt", "2024-05-15", BODY)
    write_plain(tmp_path / ".hidden.txt", "2024-05-15", BODY)
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    items = read(tmp_path)
    assert all(isinstance(i, Document) for i in items), items
    assert sorted(i.doc_id for i in items) == ["2024/05/deep", "from-jsonl", "top"]


def test_folder_keeps_failures_of_its_files(tmp_path):
    write_plain(tmp_path / "good.txt", "2024-05-15", BODY)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "undated.txt").write_text(BODY, encoding="utf-8")
    items = read(tmp_path)
    assert [d.doc_id for d in only(items, Document)] == ["good"]
    [failure] = only(items, Failure)
    assert failure.input == str(tmp_path / "sub" / "undated.txt")


# --- JSON Lines ----------------------------------------------------------------------------------------

def test_jsonl_id_alias_optional_and_extra_fields(tmp_path):
    rows = [
        {"doc_id": "one", "date": "2024-05-15", "text": BODY, "title": "Attack in Mali", "url": "https://example.org/1",
         "source": "Wire", "language": "en"},
        {"id": 42, "date": "2024-05-14T09:30:00Z", "text": BODY, "query": "mali attack", "events": [{"x": 1}]},
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    one, two = read(path)
    assert (one.doc_id, one.title, one.url, one.source, one.language) == \
        ("one", "Attack in Mali", "https://example.org/1", "Wire", "en")
    assert two.doc_id == "42"               # `id` instead of `doc_id`, as a string
    assert two.date == dt.date(2024, 5, 14)  # a timestamp is cut to its day
    assert two.text == BODY
    assert two.input == f"{path}:2"
    assert "query" not in two.model_dump() and "events" not in two.model_dump()


def test_jsonl_bad_lines_fail_and_the_others_are_read(tmp_path):
    lines = [
        json.dumps({"doc_id": "a", "date": "2024-05-15", "text": BODY}),
        '{"doc_id": "broken", "date": "2024-05-15", "text": ',  # invalid JSON
        json.dumps({"doc_id": "c", "text": BODY}),               # no date
        json.dumps({"doc_id": "d", "date": "2024-05-15", "text": "   "}),  # empty text
        json.dumps(["not", "an", "object"]),
        json.dumps({"date": "2024-05-15", "text": BODY}),        # no id
        json.dumps({"doc_id": "g", "date": "15/05/2024", "text": BODY}),  # not ISO
        json.dumps({"doc_id": "h", "date": "2024-05-16", "text": BODY}),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read(path)
    assert [d.doc_id for d in only(items, Document)] == ["a", "h"]
    failures = only(items, Failure)
    assert [f.input for f in failures] == [f"{path}:{n}" for n in (2, 3, 4, 5, 6, 7)]
    reasons = [f.reason for f in failures]
    assert "invalid JSON" in reasons[0]
    assert "date" in reasons[1]
    assert "text" in reasons[2]
    assert "object" in reasons[3]
    assert "doc_id" in reasons[4]
    assert "date" in reasons[5]
    assert failures[1].doc_id == "c"


def test_jsonl_date_taken_from_text_prefix(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"doc_id": "x", "text": " date 2024-05-15 " + BODY}) + "\n", encoding="utf-8")
    [doc] = read(path)
    assert doc.date == dt.date(2024, 5, 15)


def test_json_array_of_documents(tmp_path):
    path = tmp_path / "docs.json"
    path.write_text(json.dumps([{"doc_id": "a", "date": "2024-05-15", "text": BODY},
                                {"doc_id": "b", "date": "2024-05-16", "text": BODY}]), encoding="utf-8")
    assert [d.doc_id for d in read(path)] == ["a", "b"]


@needs_shared
def test_gold_dev_file_reads_as_documents():
    gold = load_jsonl(DEV)
    items = read(DEV)
    assert all(isinstance(i, Document) for i in items)
    assert [d.doc_id for d in items] == [g["doc_id"] for g in gold]
    assert [d.date.isoformat() for d in items] == [g["date"][:10] for g in gold]
    assert [d.text for d in items] == [g["text"] for g in gold]
    assert [d.title for d in items] == [g.get("title") or None for g in gold]


# --- CSV -----------------------------------------------------------------------------------------------

def test_csv_documents(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text(
        'doc_id,date,title,text,extra\n'
        f'a,2024-05-15,Attack,"{BODY}",ignored\n'
        f'b,2024-05-16,,"First line.\nSecond line, with a comma.",\n'
        f'c,,No date,"{BODY}",\n',
        encoding="utf-8")
    items = read(path)
    a, b = only(items, Document)
    assert (a.doc_id, a.date, a.title, a.text) == ("a", dt.date(2024, 5, 15), "Attack", BODY)
    assert b.title is None
    assert b.text == "First line.\nSecond line, with a comma."
    [failure] = only(items, Failure)
    assert failure.doc_id == "c"
    assert failure.input.startswith(str(path) + ":")
    assert "date" in failure.reason


def test_csv_with_id_column(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text(f'id,date,text\n7,2024-05-15,"{BODY}"\n', encoding="utf-8")
    [doc] = read(path)
    assert doc.doc_id == "7"


def test_csv_without_the_needed_columns_fails(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text("name,body\nx,y\n", encoding="utf-8")
    [item] = read(path)
    assert isinstance(item, Failure)
    assert item.input == str(path)
    assert "header" in item.reason


# --- HTML ----------------------------------------------------------------------------------------------

ARTICLE_HTML = """<!DOCTYPE html>
<html><head><title>Militants kill 12 villagers in central Mali</title>
<meta property="article:published_time" content="2024-05-15T08:00:00+00:00">
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Militants kill 12 villagers in central Mali</h1>
<p>Militants killed 12 villagers in the Mopti region of Mali on Tuesday, the army said in a statement.</p>
<p>Residents said the gunmen arrived on motorbikes before dawn and set fire to several houses before fleeing.</p>
</article>
<footer>Copyright Example Wire</footer>
</body></html>
"""


def test_html_page_with_published_date(tmp_path):
    path = tmp_path / "mali.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    [doc] = read(path)
    assert isinstance(doc, Document), doc
    assert doc.doc_id == "mali"
    assert doc.date == dt.date(2024, 5, 15)
    assert "Militants killed 12 villagers in the Mopti region" in doc.text
    assert "Copyright" not in doc.text and "Home" not in doc.text  # boilerplate left out
    assert doc.title == "Militants kill 12 villagers in central Mali"


def test_html_page_without_a_date_fails(tmp_path):
    path = tmp_path / "undated.htm"
    path.write_text(ARTICLE_HTML.replace('<meta property="article:published_time" '
                                         'content="2024-05-15T08:00:00+00:00">', ""), encoding="utf-8")
    [item] = read(path)
    assert isinstance(item, Failure)
    assert item.input == str(path)
    assert "date" in item.reason


# --- standard input -----------------------------------------------------------------------------------

class _Stdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


@pytest.mark.parametrize("data, ids", [
    ((" date 2024-05-15 " + BODY).encode(), ["stdin-" + hashlib.sha1((" date 2024-05-15 " + BODY).encode()).hexdigest()[:12]]),
    ((json.dumps({"doc_id": "j1", "date": "2024-05-15", "text": BODY}) + "\n"
      + json.dumps({"id": "j2", "date": "2024-05-15", "text": BODY}) + "\n").encode(), ["j1", "j2"]),
])
def test_stdin_detects_the_format(monkeypatch, data, ids):
    monkeypatch.setattr(sys, "stdin", _Stdin(data))
    items = list(documents.read(["-"]))
    assert [i.doc_id for i in items] == ids
    assert all(isinstance(i, Document) for i in items)


def test_stdin_undecodable(monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Stdin(b"\xff\xfe\x00bad"))
    [item] = documents.read(["-"])
    assert isinstance(item, Failure) and item.input == "-"


def test_content_hash_follows_what_extraction_depends_on():
    a = Document(doc_id="a", date=dt.date(2024, 5, 15), text=BODY)
    assert a.content_hash == Document(doc_id="a", date=dt.date(2024, 5, 15), text=BODY, title="T").content_hash
    assert a.content_hash != Document(doc_id="a", date=dt.date(2024, 5, 16), text=BODY).content_hash
    assert a.content_hash != Document(doc_id="a", date=dt.date(2024, 5, 15), text=BODY + " ").content_hash
    assert a.content_hash != Document(doc_id="b", date=dt.date(2024, 5, 15), text=BODY).content_hash
