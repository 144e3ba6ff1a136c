"""Exporters: every format is read back with an independent reader and checked against the events."""
from __future__ import annotations

import csv
import json

import duckdb
import pytest

from eventwire import Event, export
from eventwire.errors import EventwireError

ACLED_COLUMNS = ["event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
                 "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source",
                 "notes", "fatalities"]


@pytest.fixture(scope="module")
def events(news_events):
    # the inline news hold both kinds: events ACLED codes (attacks, arrests) and one it does not (a meeting)
    assert any(e.acled_event_type is None for e in news_events)
    assert any(e.acled_event_type for e in news_events)
    return news_events


def test_jsonl(events, tmp_path):
    path = tmp_path / "events.jsonl"
    export.write(events, "jsonl", path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(events)
    back = [Event.model_validate_json(line) for line in lines]
    assert back == list(events)


def test_jsonl_to_stdout(events, capsys):
    export.write(events, "jsonl", None)
    out = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["event_id"] for line in out] == [e.event_id for e in events]


def test_csv(events, tmp_path):
    path = tmp_path / "events.csv"
    export.write(events, "csv", path)
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(events)
    for row, e in zip(rows, events):
        assert row["event_id"] == e.event_id
        assert row["plover_type"] == e.plover_type
        assert row["event_date"] == (e.event_date.isoformat() if e.event_date else "")
        assert row["actor1"] == (e.actor1.name if e.actor1 else "")
        assert row["assoc_actor1"] == ("; ".join(a.name for a in e.assoc_actor1) or "")
        assert row["location"] == (e.location.name if e.location else "")
        assert row["fatalities"] == ("" if e.fatalities is None else str(e.fatalities))
        assert row["sources"] == "; ".join(e.sources)
        assert float(row["confidence"]) == pytest.approx(e.confidence)


def test_csv_of_no_events_has_a_header(tmp_path):
    path = tmp_path / "none.csv"
    export.write([], "csv", path)
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 1 and "event_id" in rows[0]


def test_acled_csv(events, tmp_path, pipeline):
    path = tmp_path / "acled.csv"
    export.write(events, "acled-csv", path)
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert reader.fieldnames == ACLED_COLUMNS
    coded = [e for e in events if e.acled_event_type]   # meetings and statements are left out
    assert [r["event_id_cnty"] for r in rows] == [e.event_id for e in coded]
    for row, e in zip(rows, coded):
        assert row["event_date"] == (e.event_date.isoformat() if e.event_date else "")
        assert row["time_precision"] == {"day": "1", "week": "2", "month": "3", "year": "3"}[e.date_precision]
        assert (row["event_type"], row["sub_event_type"]) == (e.acled_event_type, e.acled_sub_event_type)
        assert row["actor1"] == (e.actor1.name if e.actor1 else "")
        assert row["assoc_actor_1"] == "; ".join(a.name for a in e.assoc_actor1)
        codes = [int(row[k]) for k in ("inter1", "inter2") if row[k]]
        assert all(1 <= c <= 8 for c in codes)
        if codes:   # ACLED's interaction: the lower inter code first, X0 for one side only
            assert int(row["interaction"]) == min(codes) * 10 + (max(codes) if len(codes) == 2 else 0)
        if e.location is not None:
            assert row["country"] == pipeline.kb.country_name(e.location.country)
            assert row["location"] == e.location.name
            assert float(row["latitude"]) == e.location.lat and float(row["longitude"]) == e.location.lon
            assert row["geo_precision"] == str(e.location.geo_precision)
        assert int(row["fatalities"]) == (e.fatalities or 0)   # ACLED: not reported -> 0
        assert e.evidence[0].text in row["notes"]


def test_geojson(events, tmp_path):
    path = tmp_path / "events.geojson"
    export.write(events, "geojson", path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    placed = {e.event_id: e for e in events if e.location and e.location.lat is not None}
    assert placed
    assert [f["id"] for f in data["features"]] == list(placed)
    for f in data["features"]:
        e = placed[f["id"]]
        assert f["type"] == "Feature"
        assert f["geometry"]["type"] == "Point"
        assert f["geometry"]["coordinates"] == [e.location.lon, e.location.lat]   # GeoJSON order: lon, lat
        assert f["properties"]["event_id"] == e.event_id
        assert f["properties"]["plover_type"] == e.plover_type


def test_parquet(events, tmp_path):
    path = tmp_path / "events.parquet"
    export.write(events, "parquet", path)
    con = duckdb.connect()
    rows = con.execute("SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    columns = [d[0] for d in con.description]
    assert len(rows) == len(events)
    ids = [r[columns.index("event_id")] for r in rows]
    assert sorted(ids) == sorted(e.event_id for e in events)
    by_id = {e.event_id: e for e in events}
    for r in rows:
        row = dict(zip(columns, r))
        e = by_id[row["event_id"]]
        assert row["plover_type"] == e.plover_type
        assert row["doc_id"] == e.doc_id
    con.close()


def test_parquet_of_no_events(tmp_path):
    path = tmp_path / "none.parquet"
    export.write([], "parquet", path)
    assert duckdb.connect().execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchone()[0] == 0


def test_parquet_needs_a_file(events):
    with pytest.raises(EventwireError, match="output"):
        export.write(events, "parquet", None)


def test_unknown_format(events, tmp_path):
    with pytest.raises(EventwireError, match="xml"):
        export.write(events, "xml", tmp_path / "x.xml")


def test_formats_listed():
    assert set(export.FORMATS) == {"jsonl", "csv", "acled-csv", "geojson", "parquet"}
    assert list(export.ACLED_COLUMNS) == ACLED_COLUMNS


def test_inter_codes_follow_acled():
    from eventwire.records import Actor

    army = Actor(name="Military Forces of Nigeria", mention="troops", country="NGA", type="state_forces")
    crowd = Actor(name="Protesters (Nigeria)", mention="protesters", country="NGA", type="protesters")
    group = Actor(name="Unidentified Armed Group (Nigeria)", mention="gunmen", country="NGA", type="political_militia")
    assert export.inter(army, "NGA") == 1
    assert export.inter(army, "NER") == 8    # a state's forces abroad are external forces
    assert export.inter(crowd, "NGA") == 6 and export.inter(group, "NGA") == 3
    assert export.interaction(export.inter(crowd, "NGA"), export.inter(army, "NGA")) == 16
    assert export.interaction(6, None) == 60 and export.interaction(None, None) is None
