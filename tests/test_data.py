"""The data files shipped in eventwire/data: they load, and their values are the spec's values."""
from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from importlib import resources

import pytest

from eventwire import data
from eventwire.resolve.kb import KIND_NAMES

DATA = resources.files("eventwire.data")


def read_csv(name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(DATA.joinpath(name).read_text(encoding="utf-8"))))


def read_jsonl(name: str) -> list[dict]:
    """Fresh from disk (not the package's cache). actors.jsonl may be growing while tests run: a last line
    without its newline is a line still being written, and is left out."""
    text = DATA.joinpath(name).read_text(encoding="utf-8")
    lines = text.splitlines()
    if lines and not text.endswith("\n"):
        lines = lines[:-1]
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def iso3():
    return {r["iso3"] for r in read_csv("countries.csv")}


@pytest.mark.parametrize("name", ["countries.csv", "triggers.csv", "cues.csv", "agents.csv", "places_extra.csv",
                                  "actors.jsonl"])
def test_data_files_load_through_the_package(name):
    rows = data.rows(name)
    assert rows, name
    assert all(isinstance(r, dict) for r in rows)


def test_sources_of_the_data_files_are_documented():
    text = DATA.joinpath("SOURCES.md").read_text(encoding="utf-8")
    for name in ("triggers.csv", "cues.csv", "agents.csv", "countries.csv", "actors.jsonl", "places_extra.csv",
                 "admin1.tsv"):
        assert f"`{name}`" in text, name


def test_countries(iso3):
    rows = read_csv("countries.csv")
    assert len(rows) > 240
    codes = [r["iso3"] for r in rows]
    assert len(codes) == len(set(codes)), [c for c, n in Counter(codes).items() if n > 1]
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in codes)
    iso2 = [r["iso2"] for r in rows if r["iso2"]]
    assert len(iso2) == len(set(iso2))
    assert all(r["name"] for r in rows)
    assert {"ISR", "LBN", "PSE", "UKR", "SDN", "MLI"} <= iso3


def test_admin1_table():
    table = data.admin1()
    assert len(table) > 3000
    assert all(re.fullmatch(r"[A-Z]{2}\.\w+", k) for k in table)
    assert all(names and all(names) for names in table.values())
    # the English name comes first where GeoNames files the region under its local name
    assert table["SY.13"][0] == "Damascus" and "Dimashq" in table["SY.13"]
    assert table["NG.11"][0] == "Federal Capital Territory"


def test_triggers(spec_plover_types, spec_acled, spec_assault_modes):
    rows = read_csv("triggers.csv")
    assert len(rows) > 100
    sub_to_type = {s: t for t, subs in spec_acled.items() for s in subs}
    phrases = [(r["phrase"], r["pos"]) for r in rows]
    assert len(phrases) == len(set(phrases)), [p for p, n in Counter(phrases).items() if n > 1]
    for r in rows:
        assert r["plover_type"] in spec_plover_types, r
        assert r["pos"] in ("V", "N", "*"), r
        assert 0.0 < float(r["weight"]) <= 1.0, r
        if r["acled_sub_event_type"]:
            assert r["acled_sub_event_type"] in sub_to_type, r
            assert r["acled_event_type"] == sub_to_type[r["acled_sub_event_type"]], r
        elif r["acled_event_type"]:
            assert r["acled_event_type"] in spec_acled, r
        if r["plover_type"] == "ASSAULT" and r["plover_mode"]:
            assert r["plover_mode"] in spec_assault_modes, r
    # every PLOVER type can be found
    assert {r["plover_type"] for r in rows} == spec_plover_types


def test_cues(spec_acled, spec_assault_modes):
    rows = read_csv("cues.csv")
    sub_to_type = {s: t for t, subs in spec_acled.items() for s in subs}
    for r in rows:
        assert r["plover_mode"] in spec_assault_modes, r
        assert int(r["rank"]) >= 1, r
        if r["acled_sub_event_type"]:
            assert sub_to_type[r["acled_sub_event_type"]] == r["acled_event_type"], r


def test_assault_modes_of_the_spec(spec_assault_modes):
    assert len(spec_assault_modes) == 15 and {"firearms", "suicide-attack", "heavy-weapons"} <= spec_assault_modes


def test_agents():
    rows = read_csv("agents.csv")
    terms = [r["term"] for r in rows]
    assert len(terms) == len(set(terms)), [t for t, n in Counter(terms).items() if n > 1]
    assert {r["kind"] for r in rows} <= set(KIND_NAMES)
    assert all(t == t.lower() and t.strip() == t for t in terms)


def test_places_extra(iso3):
    rows = read_csv("places_extra.csv")
    assert rows
    for r in rows:
        assert r["name"].strip(), r
        assert r["country"] in iso3, r
        assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180, r
        assert r["source"], r


def test_actors(spec_actor_types, iso3):
    rows = read_jsonl("actors.jsonl")
    assert len(rows) > 100
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    # a person's affiliation is an organisation of the KB or a country (the state they act for)
    affiliations = {r["name"] for r in rows} | {c["name"] for c in read_csv("countries.csv")}
    for r in rows:
        assert r["id"] and r["name"], r
        assert r["type"] in spec_actor_types, r
        assert r.get("country") is None or r["country"] in iso3, r
        assert isinstance(r.get("aliases", []), list), r
        if r.get("affiliation"):
            assert r["type"] == "person", r
            assert r["affiliation"] in affiliations, r
