"""The command line, through typer's CliRunner. The commands use the session's pipeline (monkeypatched
`eventwire.cli.Pipeline`), except one run that builds its own, to check that path too."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import duckdb
import pytest
from typer.testing import CliRunner

import eventwire.cli
import eventwire.pipeline
from conftest import NEWS, write_plain
from eventwire import Event, Store
from eventwire.cli import app

RECALL = "Hezbollah began its attacks on Israel on October 8, joining the Hamas war."
MALI = "Militants killed 12 villagers in the Mopti region of Mali on Tuesday, the army said."


@pytest.fixture
def runner():
    return CliRunner()


def events_of(stdout: str) -> list[Event]:
    return [Event.model_validate_json(line) for line in stdout.splitlines() if line.strip()]


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def folder(tmp_path):
    """The inline news as plain-text files (in nested folders) plus one recalled event."""
    root = tmp_path / "articles"
    for i, (name, (date, body)) in enumerate(NEWS.items()):
        write_plain(root / ("sub" if i % 2 else "") / f"{name}.txt", date, body)
    write_plain(root / "recall.txt", "2024-05-15", RECALL)
    return root


@pytest.fixture
def db(cli_pipeline, runner, folder, tmp_path):
    path = tmp_path / "events.duckdb"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(path)])
    assert result.exit_code == 0, result.stderr
    return path


# --- extract -----------------------------------------------------------------------------------------------

def test_extract_a_file(cli_pipeline, runner, tmp_path):
    path = write_plain(tmp_path / "mali.txt", "2024-05-15", MALI)
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.stderr
    [e] = events_of(result.stdout)
    assert (e.doc_id, e.plover_type, e.fatalities, e.event_date) == ("mali", "ASSAULT", 12, dt.date(2024, 5, 14))


def test_extract_stdin_text(cli_pipeline, runner):
    result = runner.invoke(app, ["extract", "-"], input=" date 2024-05-15 " + MALI)
    assert result.exit_code == 0, result.stderr
    [e] = events_of(result.stdout)
    assert e.doc_id.startswith("stdin-") and e.fatalities == 12


def test_extract_stdin_jsonl(cli_pipeline, runner):
    lines = [json.dumps({"doc_id": k, "date": d, "text": t, "query": "ignored"}) for k, (d, t) in NEWS.items()]
    result = runner.invoke(app, ["extract", "-"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    assert {e.doc_id for e in events_of(result.stdout)} == set(NEWS)


def test_extract_reports_failures_and_goes_on(cli_pipeline, runner, tmp_path):
    good = write_plain(tmp_path / "good.txt", "2024-05-15", MALI)
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    undated = tmp_path / "undated.txt"
    undated.write_text(MALI, encoding="utf-8")
    jsonl = tmp_path / "batch.jsonl"
    jsonl.write_text(json.dumps({"id": "j", "date": "2024-05-15", "text": MALI}) + "\n{not json\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(binary), str(good), str(undated), str(jsonl),
                                 str(tmp_path / "missing.txt")])
    assert result.exit_code != 0
    err = one_line(result.stderr)
    for name in ("binary.txt", "undated.txt", "batch.jsonl:2", "missing.txt"):
        assert name in err, name
    assert "good.txt" not in err
    assert sorted(e.doc_id for e in events_of(result.stdout)) == ["good", "j"]


def test_extract_csv_to_a_file(cli_pipeline, runner, tmp_path):
    path = write_plain(tmp_path / "mali.txt", "2024-05-15", MALI)
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["extract", str(path), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    [row] = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert (row["doc_id"], row["plover_type"], row["fatalities"]) == ("mali", "ASSAULT", "12")


def test_extract_table(cli_pipeline, runner, tmp_path):
    path = write_plain(tmp_path / "mali.txt", "2024-05-15", MALI)
    result = runner.invoke(app, ["extract", str(path), "--format", "table"])
    assert result.exit_code == 0, result.stderr
    assert "ASSAULT" in result.stdout and "Mopti" in result.stdout
    assert "1 event(s)" in result.stderr


def test_extract_unknown_format(cli_pipeline, runner, tmp_path):
    path = write_plain(tmp_path / "mali.txt", "2024-05-15", MALI)
    result = runner.invoke(app, ["extract", str(path), "--format", "xml"])
    assert result.exit_code == 2
    assert "xml" in result.stderr


def test_extract_background_option(cli_pipeline, runner, tmp_path):
    path = write_plain(tmp_path / "recall.txt", "2024-05-15", RECALL)
    assert events_of(runner.invoke(app, ["extract", str(path)]).stdout) == []
    [e] = events_of(runner.invoke(app, ["extract", str(path), "--background"]).stdout)
    assert e.background and e.event_date == dt.date(2023, 10, 8)


def test_extract_min_confidence_option(cli_pipeline, runner, tmp_path):
    path = write_plain(tmp_path / "mali.txt", "2024-05-15", MALI)
    assert len(events_of(runner.invoke(app, ["extract", str(path), "--min-confidence", "0"]).stdout)) == 1
    result = runner.invoke(app, ["extract", str(path), "--min-confidence", "1"])   # nothing is certain
    assert result.exit_code == 0 and events_of(result.stdout) == []


def test_extract_with_its_own_pipeline(runner, tmp_path, pipeline):
    """One run without the shared pipeline: the CLI builds a working one itself, with the same results."""
    assert eventwire.cli.Pipeline is eventwire.pipeline.Pipeline   # not the monkeypatched factory
    path = write_plain(tmp_path / "mali.txt", "2024-05-15", MALI)
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.stderr
    [doc] = eventwire.documents.read([path])
    assert [e.event_id for e in events_of(result.stdout)] == [e.event_id for e in pipeline(doc)]


# --- ingest --------------------------------------------------------------------------------------------

def test_ingest_stores_every_document(db, folder):
    with Store(db) as store:
        assert store.count("documents") == len(NEWS) + 1
        # a file's doc_id is its path under the folder given, without the suffix
        expected = {("sub/" if i % 2 else "") + name for i, name in enumerate(NEWS)} | {"recall"}
        assert {e.doc_id for e in store.events()} == expected
        assert store.count("failures") == 0


def test_ingest_twice_adds_nothing(cli_pipeline, runner, db, folder):
    with Store(db) as store:
        before = sorted(e.event_id for e in store.events())
        counts = (store.count("documents"), store.count("events"))
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    assert "stored 0 document(s) and 0 event(s)" in one_line(result.stderr)
    assert f"{len(NEWS) + 1} unchanged" in one_line(result.stderr)
    with Store(db) as store:
        assert sorted(e.event_id for e in store.events()) == before
        assert (store.count("documents"), store.count("events")) == counts


def test_ingest_replaces_a_changed_document(cli_pipeline, runner, db, folder):
    write_plain(folder / "peshawar.txt", "2023-01-31", MALI)   # same doc_id, another text
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--batch", "2"])
    assert result.exit_code == 0, result.stderr
    with Store(db) as store:
        mine = [e for e in store.events() if e.doc_id == "peshawar"]
        assert [(e.plover_type, e.fatalities, e.location.name) for e in mine] == [("ASSAULT", 12, "Mopti")]
        assert store.count("documents") == len(NEWS) + 1


def test_ingest_failures(cli_pipeline, runner, tmp_path):
    path = tmp_path / "events.duckdb"
    good = write_plain(tmp_path / "in" / "good.txt", "2024-05-15", MALI)
    bad = tmp_path / "in" / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00bad")
    result = runner.invoke(app, ["ingest", str(good.parent), "--db", str(path)])
    assert result.exit_code != 0
    assert str(bad) in one_line(result.stderr)
    assert "1 failed" in one_line(result.stderr)
    with Store(path) as store:
        assert store.count("documents") == 1
        [failure] = store.failures()
        assert failure.input == str(bad) and "UTF-8" in failure.reason


# --- events ----------------------------------------------------------------------------------------------

def query(runner, db, *options) -> list[Event]:
    result = runner.invoke(app, ["events", "--db", str(db), "--format", "jsonl", *options])
    assert result.exit_code == 0, result.stderr
    return events_of(result.stdout)


def test_events_filters(runner, db):
    everything = query(runner, db, "--background")
    assert len(everything) >= len(NEWS) + 1

    def ids(events):
        return sorted(e.event_id for e in events)

    current = [e for e in everything if not e.background]
    assert ids(query(runner, db)) == ids(current)
    assert len(current) < len(everything)

    by_type = query(runner, db, "--type", "assault")
    assert by_type and ids(by_type) == ids(e for e in current if e.plover_type == "ASSAULT")

    by_country = query(runner, db, "--country", "LBN")
    assert by_country and ids(by_country) == ids(e for e in current if e.location and e.location.country == "LBN")

    window = query(runner, db, "--since", "2024-05-14", "--until", "2024-05-14")
    assert window and ids(window) == ids(e for e in current if e.event_date == dt.date(2024, 5, 14))
    assert ids(query(runner, db, "--since", "2024-01-01")) == \
        ids(e for e in current if e.event_date and e.event_date >= dt.date(2024, 1, 1))

    by_actor = query(runner, db, "--actor", "Hezbollah")
    assert by_actor and all("hezbollah" in f"{e.actor1} {e.actor2}".lower() for e in by_actor)
    assert len(by_actor) < len(current)


def test_events_table_and_limit(runner, db):
    result = runner.invoke(app, ["events", "--db", str(db), "--limit", "2"])
    assert result.exit_code == 0, result.stderr
    assert "2 event(s)" in result.stderr
    assert len(query(runner, db, "--limit", "1")) == 1


def test_events_without_a_store(runner, tmp_path):
    result = runner.invoke(app, ["events", "--db", str(tmp_path / "nowhere.duckdb")])
    assert result.exit_code != 0
    assert "nowhere.duckdb" in one_line(result.stderr)


# --- export ----------------------------------------------------------------------------------------------

def test_export_formats(runner, db, tmp_path):
    stored = query(runner, db)
    ids = sorted(e.event_id for e in stored)

    out = tmp_path / "acled.csv"
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "acled-csv", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    with open(out, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert reader.fieldnames[0] == "event_id_cnty" and reader.fieldnames[-1] == "fatalities"
    assert sorted(r["event_id_cnty"] for r in rows) == sorted(e.event_id for e in stored if e.acled_event_type)

    out = tmp_path / "events.parquet"
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "parquet", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert f"wrote {len(stored)} event(s)" in one_line(result.stderr)
    got = duckdb.connect().execute("SELECT event_id FROM read_parquet(?)", [str(out)]).fetchall()
    assert sorted(r[0] for r in got) == ids

    result = runner.invoke(app, ["export", "--db", str(db), "--format", "geojson"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["type"] == "FeatureCollection"
    assert {f["id"] for f in data["features"]} <= set(ids) and data["features"]

    result = runner.invoke(app, ["export", "--db", str(db), "--format", "jsonl", "--background"])
    assert len(events_of(result.stdout)) > len(stored)


def test_export_parquet_needs_an_output(runner, db):
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "parquet"])
    assert result.exit_code != 0
    assert "--output" in one_line(result.stderr)


def test_places_writes_every_place_with_offsets(cli_pipeline, runner, tmp_path):
    text = "Gunmen attacked a market in Kaya (Centre-Nord) on Monday, and Moscow said nothing. Niamey stayed calm."
    path = write_plain(tmp_path / "sahel.txt", "2024-05-15", text)
    out = tmp_path / "places.jsonl"
    result = runner.invoke(app, ["places", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    [line] = [json.loads(x) for x in out.read_text().splitlines()]
    assert line["doc_id"] == "sahel"
    body = path.read_text(encoding="utf-8")
    found = {p["text"]: p for p in line["places"]}
    for p in line["places"]:
        assert body[p["start"]:p["end"]] == p["text"]  # offsets into the document's text
    assert found["Kaya"]["country"] == "BFA" and found["Kaya"]["feature"] == "city"
    assert found["Niamey"]["country"] == "NER"
    assert "Moscow" not in found  # "Moscow said": the government, not the place


def test_places_in_python_mirror_the_command():
    import eventwire
    [doc] = eventwire.places("Police fired tear gas in Nairobi, Kenya, on Monday.", date="2024-05-15")
    assert [(p["text"], p["country"]) for p in doc["places"]] == [("Nairobi", "KEN"), ("Kenya", "KEN")]
