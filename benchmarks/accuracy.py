"""Accuracy figures for docs/accuracy.md: the two scorers, rules alone vs rules + model, and calibration.

    .venv/bin/python benchmarks/accuracy.py [--shared ../shared] [--variants rules,model]

For each variant it extracts ../shared/gold/dev.jsonl (news articles) and
../shared/gold/notes_dev.jsonl (coder-style descriptions), scores them with the shared scorers
(score.py, score_notes.py) and prints:
- the headline figures of both scorers;
- calibration: per confidence band, how many records there are and the share that is right.
  On dev a record is right when it matches a salient gold event (score.py's matching), and strictly
  right when type, date, place and actor1 agree too; on the notes, the primary record of a note is
  right when its ACLED sub-event type is ACLED's.
It measures only: nothing here tunes eventwire.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

BANDS = [(0.0, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)]


def extract(path: Path, variant: str) -> list[dict]:
    from eventwire import documents
    from eventwire.pipeline import Pipeline

    pipeline = Pipeline(subtype_model=None) if variant == "rules" else Pipeline()
    out = []
    for item, events in pipeline.pipe(documents.read([path])):
        out += [json.loads(e.to_json()) for e in events]
    return out


def scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("score", shared / "tools" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def band(c: float) -> str:
    for lo, hi in BANDS:
        if lo <= c < hi:
            return f"{lo:.1f}-{min(hi, 1.0):.1f}"
    return "?"


def dev_calibration(score, gold_path: Path, preds: list[dict]) -> dict:
    gold = score.load(gold_path)
    by_doc = defaultdict(list)
    for p in preds:
        by_doc[p["doc_id"]].append(p)
    rows = defaultdict(lambda: [0, 0, 0])
    for doc in gold:
        ps, gs = by_doc.get(doc["doc_id"], []), doc.get("events", [])
        hit = {}
        for i, j, det in score.match_doc(ps, gs):
            if gs[j].get("salient", True):
                hit[i] = det
        for i, p in enumerate(ps):
            r = rows[band(p["confidence"])]
            r[0] += 1
            if i in hit:
                r[1] += 1
                d = hit[i]
                r[2] += bool(d["type_exact"] and d["date_exact"] and d["loc_ok"] is not False and d["actor1"])
    return rows


def notes_calibration(notes_path: Path, preds: list[dict]) -> dict:
    gold = {json.loads(l)["doc_id"]: json.loads(l)["acled"] for l in notes_path.read_text().splitlines() if l.strip()}
    primary = {}
    for p in preds:
        if p["doc_id"] not in primary or p["confidence"] > primary[p["doc_id"]]["confidence"]:
            primary[p["doc_id"]] = p
    rows = defaultdict(lambda: [0, 0, 0])
    for doc_id, p in primary.items():
        g = gold.get(doc_id)
        if g is None:
            continue
        r = rows[band(p["confidence"])]
        r[0] += 1
        r[1] += (p.get("acled_event_type") or "") == g["event_type"]
        r[2] += (p.get("acled_sub_event_type") or "") == g["sub_event_type"]
    return rows


def table(title: str, rows: dict, heads: tuple[str, str]):
    print(f"\n{title}\n| confidence | records | {heads[0]} | {heads[1]} |\n|---|---|---|---|")
    for lo, hi in BANDS:
        key = f"{lo:.1f}-{min(hi, 1.0):.1f}"
        n, a, b = rows.get(key, [0, 0, 0])
        if n:
            print(f"| {key} | {n} | {a / n:.2f} | {b / n:.2f} |")
    n = sum(r[0] for r in rows.values())
    for cut in (0.5, 0.7):
        keep = [(k, r) for k, r in rows.items() if float(k.split("-")[0]) >= cut]
        m = sum(r[0] for _, r in keep)
        if m:
            print(f"| >= {cut} | {m} of {n} | {sum(r[1] for _, r in keep) / m:.2f} | {sum(r[2] for _, r in keep) / m:.2f} |")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--variants", default="rules,model", help="comma-separated: rules, model")
    args = ap.parse_args(argv)
    dev, notes = args.shared / "gold" / "dev.jsonl", args.shared / "gold" / "notes_dev.jsonl"
    score = scorer(args.shared)
    for variant in args.variants.split(","):
        print(f"\n## variant: {variant}")
        with tempfile.TemporaryDirectory() as tmp:
            for name, path, tool in (("dev", dev, "score.py"), ("notes_dev", notes, "score_notes.py")):
                preds = extract(path, variant)
                out = Path(tmp) / f"{name}.jsonl"
                out.write_text("".join(json.dumps(p) + "\n" for p in preds))
                res = subprocess.run([sys.executable, str(args.shared / "tools" / tool), str(path), str(out)],
                                     capture_output=True, text=True)
                print(f"\n### {name} ({tool})\n```\n{res.stdout.strip()}\n```")
                if name == "dev":
                    table("dev calibration (a record is right when it matches a salient gold event)",
                          dev_calibration(score, path, preds), ("matched", "strictly right"))
                else:
                    table("notes_dev calibration (the primary record of each note)",
                          notes_calibration(path, preds), ("event type right", "sub-event type right"))


if __name__ == "__main__":
    main()
