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


def dev_errors(score, gold_path: Path, preds: list[dict]) -> dict:
    """Dev's remaining errors grouped by cause: missed and spurious events by type, and the fields
    wrong on matched events."""
    gold = score.load(gold_path)
    by_doc = defaultdict(list)
    for p in preds:
        by_doc[p["doc_id"]].append(p)
    causes = {k: defaultdict(int) for k in ("missed gold event", "record matching no gold event", "sub_type",
                                            "actor1", "fatalities")}
    for doc in gold:
        ps, gs = by_doc.get(doc["doc_id"], []), doc.get("events", [])
        pairs = score.match_doc(ps, gs)
        got_p, got_g = {i for i, _, _ in pairs}, {j for _, j, _ in pairs}
        for j, g in enumerate(gs):
            if g.get("salient", True) and j not in got_g:
                causes["missed gold event"][f"{g['plover_type']} ({g.get('acled_sub_event_type') or 'no ACLED type'})"] += 1
        for i, p in enumerate(ps):
            if i not in got_p:
                causes["record matching no gold event"][p["plover_type"]] += 1
        for i, j, det in pairs:
            g, p = gs[j], ps[i]
            if not g.get("salient", True):
                continue
            if det["sub_type"] is False:
                causes["sub_type"][f"{g.get('acled_sub_event_type')} read as {p.get('acled_sub_event_type')}"] += 1
            if det["actor1"] is False:
                a2 = score.actor_match(p.get("actor1"), g.get("actor2")) if g.get("actor2") else False
                causes["actor1"]["none found" if not p.get("actor1") else
                                 "the other side (gold actor2)" if a2 else "another actor or name"] += 1
            if det["fatal"] is False:
                pf, gf = p.get("fatalities"), g.get("fatalities")
                causes["fatalities"]["none found" if pf is None else "lower than gold" if pf < gf else "higher than gold"] += 1
    return causes


def note_errors(shared: Path, notes_path: Path, preds: list[dict]) -> dict:
    """The notes' remaining errors, grouped by an observable cause, with counts."""
    spec = importlib.util.spec_from_file_location("score_notes", shared / "tools" / "score_notes.py")
    sn = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sn)
    notes = [json.loads(l) for l in notes_path.read_text().splitlines() if l.strip()]
    by_doc = defaultdict(list)
    for p in preds:
        by_doc[p["doc_id"]].append(p)
    causes = {"event type": defaultdict(int), "sub-event type": defaultdict(int), "actor1": defaultdict(int),
              "fatalities": defaultdict(int)}
    for note in notes:
        a = note["acled"]
        ps = by_doc.get(note["doc_id"], [])
        p = max(ps, key=lambda e: e["confidence"]) if ps else None
        r = sn.judge(note, p)
        if p is None:
            for k in causes:
                causes[k]["no record for the note"] += 1
            continue
        if not r["event_type"]:
            causes["event type"]["no ACLED type (read as a statement or meeting)" if not p.get("acled_event_type")
                                 else f"read as {p['acled_event_type']} instead of {a['event_type']}"] += 1
        elif not r["sub_event_type"]:
            causes["sub-event type"][f"{a['event_type']}: the wrong sub-type within the right type"] += 1
        if not r["actor1"]:
            act = p.get("actor1") or {}
            gold_a2 = sn.norm_actor(a.get("actor2"))
            if not act:
                causes["actor1"]["no actor1" + ("" if p.get("location") else " (and no place, so no country)")] += 1
            elif not r["event_type"]:
                causes["actor1"]["follows a wrong event type"] += 1
            elif gold_a2 and sn.norm_actor(act.get("name")) and (sn.contains_either(gold_a2, sn.norm_actor(act.get("name")))):
                causes["actor1"]["the other side of the event (ACLED's actor2)"] += 1
            elif act.get("country") is None:
                causes["actor1"]["no country known for a conventional name (place not found)"] += 1
            elif a["actor1"].startswith(("Military Forces", "Police Forces")) and act.get("type") == "state_forces":
                causes["actor1"]["state forces of another country"] += 1
            elif a["actor1"].startswith(("Military Forces", "Police Forces", "Government")):
                causes["actor1"]["a state actor named as another kind"] += 1
            elif act.get("name", "").startswith("Unidentified"):
                causes["actor1"]["Unidentified Armed Group where ACLED names the group"] += 1
            else:
                causes["actor1"]["another actor or another name for the group"] += 1
        if not r["fatalities"]:
            pf = p.get("fatalities")
            causes["fatalities"]["no figure found" if pf in (None, 0) else
                                 ("figure lower than ACLED's" if pf < a["fatalities"] else "figure higher than ACLED's")] += 1
    return causes


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
                    print("\ndev errors by cause")
                    for metric, counts in dev_errors(score, path, preds).items():
                        print(f"\n| {metric} | count |\n|---|---|")
                        for cause, n in sorted(counts.items(), key=lambda kv: -kv[1]):
                            print(f"| {cause} | {n} |")
                else:
                    table("notes_dev calibration (the primary record of each note)",
                          notes_calibration(path, preds), ("event type right", "sub-event type right"))
                    print("\nnotes_dev errors by cause (the primary record of each note)")
                    for metric, counts in note_errors(args.shared, path, preds).items():
                        print(f"\n| {metric}: cause | notes |\n|---|---|")
                        for cause, n in sorted(counts.items(), key=lambda kv: -kv[1]):
                            print(f"| {cause} | {n} |")


if __name__ == "__main__":
    main()
