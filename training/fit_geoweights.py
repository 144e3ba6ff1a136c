"""Fit the geoparser's signal weights (data/geoweights.json) and report what each signal adds.

    python training/fit_geoweights.py [--set tests/data/geoparse.jsonl] [--rounds 3] [--write]

The data are the geoparsing texts written for eventwire (never ../shared/gold). Texts are split in
two by position: the even ones fit the weights, the odd ones are held out. The objective is the
share of all gold places resolved within 161 km (so recognition and resolution both count).

The fit is coordinate ascent: each weight in turn is tried at a few multiples of its value (and
at 0), the best kept, for a few rounds. Then, on the held-out half, each signal is switched off
alone to show what it adds. `--write` saves the fitted weights.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from eventwire import Document, Pipeline  # noqa: E402
from eventwire.arguments.places import Geoparser  # noqa: E402
from eventwire.resolve.gazetteer import km  # noqa: E402

KM = 161.0
STEPS = (0.0, 0.5, 0.75, 1.25, 1.5, 2.0)


def prepare(pipeline: Pipeline, rows: list[dict]) -> list[tuple]:
    """Each text annotated once, with its KB hits and gold spans."""
    out = []
    for row in rows:
        sdoc = pipeline.annotator(Document(doc_id=row["id"], text=row["text"], date=dt.date(2024, 5, 15)))
        gold, cursor = [], 0
        for p in row["places"]:
            start = row["text"].find(p["text"], cursor)
            cursor = start + len(p["text"])
            gold.append((start, cursor, p["lat"], p["lon"]))
        out.append((sdoc, pipeline.kb.find(sdoc), gold))
    return out


def accuracy(geoparser: Geoparser, prepared: list[tuple]) -> float:
    """The share of gold places found and resolved within 161 km."""
    near = total = 0
    for sdoc, hits, gold in prepared:
        found = [(sdoc[t.start].idx, sdoc[t.end - 1].idx + len(sdoc[t.end - 1]), t.named or t.entry)
                 for t in geoparser(sdoc, hits)]
        used = set()
        for gs, ge, lat, lon in gold:
            total += 1
            hit = next((i for i, (s, e, _) in enumerate(found) if i not in used and s < ge and gs < e), None)
            if hit is not None:
                used.add(hit)
                near += km(found[hit][2].lat, found[hit][2].lon, lat, lon) <= KM
    return near / total if total else 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", type=Path, default=ROOT / "tests" / "data" / "geoparse.jsonl")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--write", action="store_true", help="save the fitted weights to data/geoweights.json")
    args = ap.parse_args()

    rows = [json.loads(line) for line in args.set.read_text(encoding="utf-8").splitlines() if line.strip()]
    pipeline = Pipeline().load()
    fit, held = prepare(pipeline, rows[0::2]), prepare(pipeline, rows[1::2])
    start = dict(pipeline.geoparser.weights)

    def score(weights: dict, part) -> float:
        return accuracy(Geoparser(pipeline.gazetteer, weights), part)

    weights, best = dict(start), score(start, fit)
    print(f"start: fit {best:.3f}, held out {score(start, held):.3f}  {start}")
    for r in range(args.rounds):
        changed = False
        for k in weights:
            base = weights[k] or 1.0
            for m in STEPS:
                trial = dict(weights, **{k: round(base * m, 4)})
                s = score(trial, fit)
                if s > best + 1e-9:
                    weights, best, changed = trial, s, True
        print(f"round {r + 1}: fit {best:.3f}  {weights}")
        if not changed:
            break
    final = score(weights, held)
    print(f"fitted: fit {best:.3f}, held out {final:.3f} (start {score(start, held):.3f})")

    print("\nwhat each signal adds (held-out half, all places within 161 km, that signal switched off):")
    print("| signal | weight | without it | change |")
    print("|---|---|---|---|")
    for k, w in weights.items():
        without = score(dict(weights, **{k: 0.0}), held)
        print(f"| {k} | {w:g} | {without:.3f} | {final - without:+.3f} |")

    if args.write:
        path = ROOT / "src" / "eventwire" / "data" / "geoweights.json"
        path.write_text(json.dumps({
            "fitted_by": "training/fit_geoweights.py",
            "data": f"{args.set.name}, even texts (odd texts held out)",
            "held_out_all_places_within_161km": round(final, 3),
            "weights": weights}, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
