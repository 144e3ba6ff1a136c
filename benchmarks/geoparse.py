"""Geoparsing figures for eventwire: recognition, resolution, speed and the gazetteer index's cost.

    python benchmarks/geoparse.py [--set tests/data/geoparse.jsonl] [--errors] [--repeat 3]

The set is JSON Lines written for eventwire, one {"id", "region", "text", "places": [{"text", "name",
"country", "lat", "lon"}]} per line: every literal place name of the text with its GeoNames point.
Prints, overall and by region:

* toponym recognition: precision, recall and F1 of the predicted place spans against the gold
  ones (a prediction counts if its characters overlap a gold place's);
* resolution: the share of recognised gold places resolved within 161 km (the distance the
  geoparsing literature scores at), and the share of all gold places resolved within 161 km;
* speed: documents per second of annotation alone and of annotation plus geoparsing;
* the gazetteer index: load time from the user cache, a cold build's time (--cold), and the
  resident memory it adds.

Figures only: nothing here asserts a speed or a score.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

KM = 161.0


def km(a_lat, a_lon, b_lat, b_lon) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a_lat, a_lon, b_lat, b_lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def gold_spans(row) -> list[tuple[int, int, dict]]:
    """Character spans of the gold places, in order (a repeated name takes its next occurrence)."""
    out, cursor = [], 0
    for p in row["places"]:
        start = row["text"].find(p["text"], cursor)
        if start < 0:
            start = row["text"].find(p["text"])
        if start < 0:
            continue
        out.append((start, start + len(p["text"]), p))
        cursor = start + len(p["text"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", type=Path, default=ROOT / "tests" / "data" / "geoparse.jsonl")
    ap.add_argument("--errors", action="store_true", help="list every miss, false place and far resolution")
    ap.add_argument("--repeat", type=int, default=3, help="passes for the speed figures")
    ap.add_argument("--cold", action="store_true", help="also time a build of the index without the cache")
    args = ap.parse_args()

    from eventwire import Document, Pipeline
    from eventwire.resolve.gazetteer import Gazetteer

    rows = [json.loads(line) for line in args.set.read_text(encoding="utf-8").splitlines() if line.strip()]
    pipeline = Pipeline(subtype_model=None)
    pipeline.annotator.nlp
    pipeline.kb._matcher
    before = rss_mb()
    t0 = time.perf_counter()
    pipeline.gazetteer._tables
    load = time.perf_counter() - t0
    added = rss_mb() - before
    cold = None
    if args.cold:
        import os
        os.environ["EVENTWIRE_NO_CACHE"] = "1"
        t0 = time.perf_counter()
        Gazetteer()._tables
        cold = time.perf_counter() - t0

    docs = [Document(doc_id=r["id"], text=r["text"], date=dt.date(2024, 5, 15)) for r in rows]
    sdocs = [pipeline.annotator(d) for d in docs]
    stats = defaultdict(lambda: defaultdict(int))
    errors = []
    for row, sdoc in zip(rows, sdocs):
        gold = gold_spans(row)
        found = pipeline.geoparser(sdoc, pipeline.kb.find(sdoc))
        pred = [(sdoc[t.start].idx, sdoc[t.end - 1].idx + len(sdoc[t.end - 1]), t) for t in found]
        for key in ("ALL", row.get("region", "?")):
            s = stats[key]
            s["gold"] += len(gold)
            s["pred"] += len(pred)
        used = set()
        for gs, ge, g in gold:
            hit = next((i for i, (ps, pe, _) in enumerate(pred) if i not in used and ps < ge and gs < pe), None)
            if hit is None:
                errors.append(f"MISS  {row['id']} {g['text']!r}")
                continue
            used.add(hit)
            entry = pred[hit][2].named or pred[hit][2].entry  # the name itself, not "southern X"
            d = km(entry.lat, entry.lon, g["lat"], g["lon"])
            for key in ("ALL", row.get("region", "?")):
                stats[key]["tp"] += 1
                stats[key]["near"] += d <= KM
            if d > KM:
                errors.append(f"FAR   {row['id']} {g['text']!r} -> {entry.name} ({entry.country}) {d:,.0f} km")
        for i, (ps, pe, t) in enumerate(pred):
            if i not in used:
                errors.append(f"FALSE {row['id']} {row['text'][ps:pe]!r} -> {t.entry.name} ({t.entry.country})")

    print(f"geoparsing set: {len(rows)} texts, {stats['ALL']['gold']} gold places ({args.set.name})")
    print("| region | texts | gold | precision | recall | F1 | resolved <=161 km (recognised) | all gold <=161 km |")
    print("|---|---|---|---|---|---|---|---|")
    by_region = defaultdict(int)
    for r in rows:
        by_region[r.get("region", "?")] += 1
    for key in ["ALL"] + sorted(k for k in stats if k != "ALL"):
        s = stats[key]
        p = s["tp"] / s["pred"] if s["pred"] else 0.0
        r = s["tp"] / s["gold"] if s["gold"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        res = s["near"] / s["tp"] if s["tp"] else 0.0
        allg = s["near"] / s["gold"] if s["gold"] else 0.0
        n = len(rows) if key == "ALL" else by_region[key]
        print(f"| {key} | {n} | {s['gold']} | {p:.3f} | {r:.3f} | {f:.3f} | {res:.3f} | {allg:.3f} |")

    # speed: annotation alone, then annotation + KB matching + geoparsing
    def timed(fn) -> float:
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            for d in docs:
                fn(d)
            best = min(best, time.perf_counter() - t0)
        return len(docs) / best

    annotate_only = timed(pipeline.annotator)

    def with_places(d):
        sdoc = pipeline.annotator(d)
        pipeline.geoparser(sdoc, pipeline.kb.find(sdoc))

    print(f"\nspeed (docs/s, best of {args.repeat}): annotation {annotate_only:,.1f}; "
          f"annotation + KB + geoparsing {timed(with_places):,.1f}")
    print(f"gazetteer index: loaded in {load:.2f} s (from the user cache if present), "
          f"{added:,.0f} MB resident added" + (f"; cold build {cold:.1f} s" if cold is not None else ""))
    if args.errors:
        print("\n" + "\n".join(errors))


if __name__ == "__main__":
    main()
