"""Exporters by name, shared by `extract`, `events` and `export`: jsonl, csv, acled-csv, geojson, parquet.

`write(events, fmt, path_or_None)`: None writes to standard output (not for parquet).
"""
from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Optional, TextIO

from . import data
from .errors import InputError
from .records import Actor, Event

INTER = {r["type"]: int(r["inter"]) for r in data.rows("inter.csv")}
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
ACLED_COLUMNS = ("event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
                 "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source",
                 "notes", "fatalities")


def flat(e: Event) -> dict:
    """One flat row of an event, for CSV, tables and GeoJSON properties."""
    row = {"event_id": e.event_id, "doc_id": e.doc_id, "event_date": e.event_date and e.event_date.isoformat(),
           "date_precision": e.date_precision, "plover_type": e.plover_type, "plover_mode": e.plover_mode,
           "acled_event_type": e.acled_event_type, "acled_sub_event_type": e.acled_sub_event_type}
    for key, a in (("actor1", e.actor1), ("actor2", e.actor2)):
        row[f"{key}"] = a.name if a else None
        row[f"{key}_mention"] = a.mention if a else None
        row[f"{key}_country"] = a.country if a else None
        row[f"{key}_type"] = a.type if a else None
        row[f"assoc_{key}"] = "; ".join(x.name for x in getattr(e, f"assoc_{key}")) or None
    loc = e.location
    row.update({"location": loc.name if loc else None, "country": loc.country if loc else None,
                "admin1": loc.admin1 if loc else None, "latitude": loc.lat if loc else None,
                "longitude": loc.lon if loc else None, "geo_precision": loc.geo_precision if loc else None,
                "geonameid": loc.geonameid if loc else None,
                "other_locations": "; ".join(p.name for p in e.other_locations),
                "fatalities": e.fatalities, "injuries": e.injuries,
                "quantity": json.dumps(e.quantity) if e.quantity else None,
                "sources": "; ".join(e.sources), "evidence": " … ".join(s.text for s in e.evidence),
                "confidence": e.confidence, "background": e.background})
    return row


def inter(actor: Optional[Actor], where: Optional[str]) -> Optional[int]:
    """ACLED's inter code of an actor (data/inter.csv): 1 state forces ... 8 external/other forces.
    A state's forces acting outside their own country are external forces (8), as ACLED codes them."""
    if actor is None or actor.type is None:
        return None
    code = INTER.get(actor.type)
    if code == 1 and actor.type == "state_forces" and where and actor.country and actor.country != where:
        return 8
    return code


def interaction(code1: Optional[int], code2: Optional[int]) -> Optional[int]:
    """ACLED's interaction code: the two inter codes, the lower digit first; one side only is X0."""
    codes = sorted(c for c in (code1, code2) if c)
    if not codes:
        return None
    return codes[0] * 10 + (codes[1] if len(codes) > 1 else 0)


def acled_row(e: Event, country_name: Callable[[Optional[str]], Optional[str]]) -> dict:
    loc = e.location
    where = loc.country if loc else None
    i1, i2 = inter(e.actor1, where), inter(e.actor2, where)
    return {
        "event_id_cnty": e.event_id, "event_date": e.event_date and e.event_date.isoformat(),
        "time_precision": TIME_PRECISION.get(e.date_precision, 3), "event_type": e.acled_event_type,
        "sub_event_type": e.acled_sub_event_type, "actor1": e.actor1.name if e.actor1 else "",
        "assoc_actor_1": "; ".join(a.name for a in e.assoc_actor1), "inter1": i1 or "",
        "actor2": e.actor2.name if e.actor2 else "", "assoc_actor_2": "; ".join(a.name for a in e.assoc_actor2),
        "inter2": i2 or "", "interaction": interaction(i1, i2) or "", "country": country_name(loc.country) if loc else "",
        "admin1": (loc.admin1 or "") if loc else "", "location": loc.name if loc else "",
        "latitude": loc.lat if loc else "", "longitude": loc.lon if loc else "",
        "geo_precision": loc.geo_precision if loc else "", "source": "; ".join(e.sources),
        "notes": " ".join(s.text for s in e.evidence), "fatalities": e.fatalities or 0,
    }


def _jsonl(events: Iterable[Event], out: TextIO):
    for e in events:
        out.write(e.to_json() + "\n")


def _csv(events: Iterable[Event], out: TextIO):
    writer = None
    for e in events:
        row = flat(e)
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(row))
            writer.writeheader()
        writer.writerow(row)
    if writer is None:
        csv.writer(out).writerow(flat_columns())


def _acled_csv(events: Iterable[Event], out: TextIO):
    from .resolve.kb import ActorKB

    kb = ActorKB()
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS)
    writer.writeheader()
    for e in events:
        if e.acled_event_type:  # ACLED does not code meetings, statements...
            writer.writerow(acled_row(e, kb.country_name))


def _geojson(events: Iterable[Event], out: TextIO):
    features = []
    for e in events:
        if e.location is None or e.location.lat is None:
            continue
        features.append({"type": "Feature", "id": e.event_id,
                         "geometry": {"type": "Point", "coordinates": [e.location.lon, e.location.lat]},
                         "properties": flat(e)})
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
    out.write("\n")


def _parquet(events: Iterable[Event], path: Path):
    import duckdb

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "events.jsonl"
        with open(src, "w", encoding="utf-8") as fh:
            _jsonl(events, fh)
        con = duckdb.connect()
        target = str(path).replace("'", "''")
        if src.stat().st_size == 0:
            cols = ", ".join(f"NULL::VARCHAR AS {c}" for c in flat_columns())
            con.execute(f"COPY (SELECT {cols} LIMIT 0) TO '{target}' (FORMAT parquet)")
        else:
            con.execute(f"COPY (SELECT * FROM read_json_auto('{src}', format='newline_delimited')) "
                        f"TO '{target}' (FORMAT parquet)")
        con.close()


def flat_columns() -> list[str]:
    from .records import Span
    import datetime as dt

    sample = Event(event_id="", doc_id="", plover_type="ASSAULT", confidence=0.0, event_date=dt.date.today(),
                   evidence=[Span(doc_id="", start=0, end=0, text="")])
    return list(flat(sample))


TEXT_WRITERS: dict[str, Callable[[Iterable[Event], TextIO], None]] = {
    "jsonl": _jsonl, "csv": _csv, "acled-csv": _acled_csv, "geojson": _geojson,
}
FORMATS = tuple(TEXT_WRITERS) + ("parquet",)


def check(fmt: str, path: Optional[Path] = None, formats: Iterable[str] = FORMATS) -> None:
    """Raise InputError now, before any work, if `fmt` is unknown or `path` cannot be written."""
    formats = tuple(formats)
    if fmt not in formats:
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(formats)}")
    if fmt == "parquet" and path is None:
        raise InputError("parquet is a binary format: give an output file with --output FILE.parquet")
    if path is None:
        return
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError(f"--output {path} is a folder; give a file name, e.g. {path / ('events.' + fmt)}")
    if not parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {parent} does not exist; create it first "
                         f"(mkdir -p {parent})")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError(f"cannot write {path}: permission denied")


def write(events: Iterable[Event], fmt: str, path: Optional[Path] = None) -> None:
    """Write events in format `fmt` to `path`, or to standard output when `path` is None."""
    check(fmt, path)
    if fmt == "parquet":
        _parquet(events, path)
        return
    if path is None:
        TEXT_WRITERS[fmt](events, sys.stdout)
        return
    with open(path, "w", encoding="utf-8", newline="") as fh:
        TEXT_WRITERS[fmt](events, fh)
