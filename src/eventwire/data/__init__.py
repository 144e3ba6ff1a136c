"""The project's data files, loaded once through importlib.resources.

Each file's source and licence are in SOURCES.md beside it.
"""
from __future__ import annotations

import csv
import io
import json
from functools import cache
from importlib import resources


def _text(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def raw(name: str) -> bytes:
    """A data file's bytes (to hash it)."""
    return resources.files(__package__).joinpath(name).read_bytes()


@cache
def rows(name: str) -> tuple[dict, ...]:
    """Rows of a CSV (header) or JSON Lines data file, as dicts; empty CSV cells become None."""
    text = _text(name)
    if name.endswith(".jsonl"):
        return tuple(json.loads(line) for line in text.splitlines() if line.strip())
    return tuple({k: (v if v != "" else None) for k, v in r.items()} for r in csv.DictReader(io.StringIO(text)))


@cache
def admin1() -> dict[str, tuple[str, ...]]:
    """First-level regions: "CC.code" -> their names, the English one used in news and by ACLED
    first ("Damascus", not GeoNames' "Dimashq"), then GeoNames' name, its ASCII form and other
    English spellings ("Zaporizhia", "Zaporozhye")."""
    english = {}
    for line in _text("admin1_en.tsv").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[1].strip():
            english[parts[0]] = [parts[1].strip(), *(a.strip() for a in (parts[2] if len(parts) > 2 else "").split("|"))]
    out = {}
    for line in _text("admin1.tsv").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3:
            names = english.get(parts[0], []) + [parts[1], parts[2]]
            out[parts[0]] = tuple(dict.fromkeys(n for n in names if n))
    return out


@cache
def admin1_seats() -> dict[str, int]:
    """First-level regions' capitals: "CC.code" -> the seat's GeoNames id (a cities500 place)."""
    out = {}
    for line in _text("admin1_seats.tsv").splitlines():
        parts = line.split("\t")
        if len(parts) >= 4 and parts[3].strip().isdigit():
            out[parts[0]] = int(parts[3])
    return out


def geoweights() -> dict[str, float]:
    """The geoparser's signal weights (fitted by training/fit_geoweights.py)."""
    return dict(json.loads(_text("geoweights.json"))["weights"])


@cache
def fingerprint() -> str:
    """A hash of every data file: lexicons, KB and gazetteer supplements change what is extracted."""
    import hashlib

    h = hashlib.sha1()
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".csv", ".jsonl", ".tsv", ".npz")):
            h.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return h.hexdigest()[:12]
