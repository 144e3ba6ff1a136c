"""Offline language identification for eventwire: py3langid against langdetect.

    python benchmarks/language_id.py [--detectors py3langid,langdetect] [--threshold 0.90]
        [--min-letters 40] [--repeat 5] [--shared DIR] [--samples FILE] [--errors] [--json out.json]

For each detector it measures, on the hand-written multilingual samples in
benchmarks/data/language_samples.jsonl (one {"lang", "kind", "text"} per line):

* accuracy of the top language, per language and overall;
* the English false-skip rate: the share of English texts whose top language is not "en"
  (the critical error: an English article wrongly skipped is lost), also per kind of English
  text (headline, lead, paragraph, foreign names, very short, ALL CAPS, " date ..." prefix);
* the same false-skip rate on the real English gold documents, read from
  <shared>/gold/dev.jsonl and <shared>/gold/notes_dev.jsonl (field "text"; never copied here);
* under the decision rule "non-English only when the top language is not 'en' with
  probability >= --threshold and the text has at least --min-letters letters": the English
  false-skip rate (samples and gold) and the recall on non-English samples;
* time per document (ms) on the samples (and on the gold documents), the import + model load
  time, the first-call latency, and the peak resident memory the detector adds;
* determinism: whether two passes over the samples give identical answers.

Each detector runs in its own fresh subprocess so that load time and memory are its own.
--errors lists every English text called non-English (RULE-SKIP when the rule skips it too)
and every non-English text the rule lets through.
langdetect runs with DetectorFactory.seed = 0 and detect_langs (probabilities); py3langid with
LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True). Figures only: nothing here
asserts a speed.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve()
SAMPLES = HERE.parent / "data" / "language_samples.jsonl"
SHARED = HERE.parents[1].parent / "shared"
GOLD_FILES = ("dev.jsonl", "notes_dev.jsonl")
DETECTORS = ("py3langid", "langdetect")
ENGLISH_KINDS = ("headline", "lead", "paragraph", "names", "short", "caps", "dateprefix")


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def peak_rss_mb() -> float:
    """Peak resident set (ru_maxrss) of this process in MB: kilobytes on Linux, bytes on macOS."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def current_rss_mb() -> float | None:
    """Current resident set in MB (Linux /proc only; None elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


# --------------------------------------------------------------------------- detectors

def load_detector(name: str):
    """Import the package and load its model; return classify(text) -> (lang, probability)."""
    if name == "py3langid":
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

        def classify(text: str) -> tuple[str, float]:
            lang, prob = identifier.classify(text)
            return lang, float(prob)

        return classify
    if name == "langdetect":
        from langdetect import DetectorFactory, detect_langs, detector_factory
        from langdetect.lang_detect_exception import LangDetectException

        DetectorFactory.seed = 0
        detector_factory.init_factory()  # loads the profiles now, not at the first call

        def classify(text: str) -> tuple[str, float]:
            try:
                ranked = detect_langs(text)
            except LangDetectException:  # no usable features (e.g. digits only)
                return "und", 0.0
            return (ranked[0].lang, float(ranked[0].prob)) if ranked else ("und", 0.0)

        return classify
    raise SystemExit(f"unknown detector {name!r}; known: {', '.join(DETECTORS)}")


def version_of(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def worker(name: str, samples: list[str], gold: dict[str, list[str]], repeat: int) -> dict:
    """Everything measured inside one fresh process for one detector."""
    rss0, peak0 = current_rss_mb(), peak_rss_mb()
    t0 = time.perf_counter()
    numpy_s = numpy_mb = None
    if name == "py3langid":  # numpy is a dependency (eventwire loads it anyway): show its share
        import numpy  # noqa: F401

        numpy_s, numpy_mb = time.perf_counter() - t0, peak_rss_mb() - peak0
    classify = load_detector(name)
    load_s = time.perf_counter() - t0
    rss_loaded, peak_loaded = current_rss_mb(), peak_rss_mb()

    t0 = time.perf_counter()
    classify("Police fired tear gas at protesters in the capital on Monday.")
    first_call_ms = (time.perf_counter() - t0) * 1000

    sample_preds = [classify(t) for t in samples]
    again = [classify(t) for t in samples]
    t0 = time.perf_counter()
    for _ in range(repeat):
        for t in samples:
            classify(t)
    sample_ms = (time.perf_counter() - t0) * 1000 / (repeat * len(samples))

    gold_preds, gold_ms = {}, {}
    for fname, texts in gold.items():
        t0 = time.perf_counter()
        gold_preds[fname] = [classify(t) for t in texts]
        gold_ms[fname] = (time.perf_counter() - t0) * 1000 / max(len(texts), 1)

    unseeded_diff = None
    if name == "langdetect":  # how far answers drift without the seed
        from langdetect import DetectorFactory

        DetectorFactory.seed = None
        unseeded = [classify(t) for t in samples]
        unseeded_diff = sum(a[0] != b[0] for a, b in zip(sample_preds, unseeded))
        DetectorFactory.seed = 0

    return {
        "name": name,
        "version": version_of(name),
        "load_s": load_s,
        "numpy_s": numpy_s,
        "numpy_mb": numpy_mb,
        "first_call_ms": first_call_ms,
        "sample_ms": sample_ms,
        "gold_ms": gold_ms,
        "rss_added_load_mb": None if rss0 is None else rss_loaded - rss0,
        "peak_added_load_mb": peak_loaded - peak0,
        "peak_added_total_mb": peak_rss_mb() - peak0,
        "repeat_identical": sample_preds == again,
        "repeat_lang_diff": sum(a[0] != b[0] for a, b in zip(sample_preds, again)),
        "unseeded_lang_diff": unseeded_diff,
        "sample_preds": sample_preds,
        "gold_preds": gold_preds,
    }


# --------------------------------------------------------------------------- report

def pct(num: int, den: int) -> str:
    return f"{100 * num / den:5.1f}% ({num}/{den})" if den else "   n/a"


def report(res: dict, samples: list[dict], gold: dict[str, list[dict]], args) -> dict:
    name, preds = res["name"], res["sample_preds"]

    def skip_rule(text: str, lang: str, prob: float) -> bool:
        return lang != "en" and prob >= args.threshold and letters(text) >= args.min_letters

    print(f"\n=== {name} {res['version']} ===")
    numpy_note = "" if res["numpy_s"] is None else f" (numpy import {res['numpy_s'] * 1000:.0f} ms of it)"
    print(f"import + model load      {res['load_s'] * 1000:8.1f} ms{numpy_note}   first call {res['first_call_ms']:.1f} ms")
    rss = res["rss_added_load_mb"]
    print(f"memory added             peak {res['peak_added_load_mb']:6.1f} MB after load, "
          f"{res['peak_added_total_mb']:6.1f} MB after all texts"
          + ("" if rss is None else f"; resident {rss:6.1f} MB after load")
          + ("" if res["numpy_mb"] is None else f" (numpy {res['numpy_mb']:.1f} MB of the peak)"))
    print(f"time per document        {res['sample_ms']:8.3f} ms on samples (mean of {args.repeat} passes)"
          + "".join(f"; {res['gold_ms'][f]:.3f} ms on {f}" for f in res["gold_ms"]))
    det = "identical" if res["repeat_identical"] else f"{res['repeat_lang_diff']} top-language changes"
    print(f"determinism              two passes: {det}"
          + ("" if res["unseeded_lang_diff"] is None
             else f"; with seed=None {res['unseeded_lang_diff']} top-language changes vs seed=0"))

    per_lang, confusions = defaultdict(lambda: [0, 0]), Counter()
    for s, (lang, _) in zip(samples, preds):
        per_lang[s["lang"]][1] += 1
        if lang == s["lang"]:
            per_lang[s["lang"]][0] += 1
        else:
            confusions[(s["lang"], lang)] += 1
    ok = sum(v[0] for v in per_lang.values())
    macro = sum(v[0] / v[1] for v in per_lang.values()) / len(per_lang)
    print(f"accuracy (top language)  overall {pct(ok, len(samples))}, macro {100 * macro:.1f}%")
    print("  " + "  ".join(f"{lang} {100 * c / n:.0f}%" for lang, (c, n) in per_lang.items()))
    if confusions:
        print("  confusions: " + ", ".join(f"{g}->{p} x{n}" for (g, p), n in confusions.most_common(12)))

    en = [(s, p) for s, p in zip(samples, preds) if s["lang"] == "en"]
    non_en = [(s, p) for s, p in zip(samples, preds) if s["lang"] != "en"]
    en_skip = [(s, p) for s, p in en if p[0] != "en"]
    en_skip_rule = [(s, p) for s, p in en if skip_rule(s["text"], *p)]
    rec = sum(p[0] != "en" for _, p in non_en)
    rec_rule = sum(skip_rule(s["text"], *p) for s, p in non_en)
    reachable = sum(letters(s["text"]) >= args.min_letters for s, _ in non_en)

    print(f"English false-skip       top != 'en':        samples {pct(len(en_skip), len(en))}")
    by_kind = Counter(s.get("kind", "?") for s, _ in en)
    bad_kind = Counter(s.get("kind", "?") for s, _ in en_skip)
    print("  by kind: " + ", ".join(f"{k} {bad_kind[k]}/{by_kind[k]}" for k in ENGLISH_KINDS if by_kind[k]))
    print(f"  rule (p>={args.threshold:.2f}, >={args.min_letters} letters): "
          f"samples {pct(len(en_skip_rule), len(en))}")
    gold_summary = {}
    for fname, docs in gold.items():
        gp = res["gold_preds"][fname]
        bad = [(d, p) for d, p in zip(docs, gp) if p[0] != "en"]
        bad_rule = [(d, p) for d, p in zip(docs, gp) if skip_rule(d["text"], *p)]
        gold_summary[fname] = {"false_skip": len(bad), "false_skip_rule": len(bad_rule), "n": len(docs)}
        print(f"  gold {fname:<16} top != 'en' {pct(len(bad), len(docs))}   rule {pct(len(bad_rule), len(docs))}")
        if args.errors:
            for d, p in bad:
                print(f"      {d.get('doc_id', '?')}: {p[0]} {p[1]:.3f}")
    print(f"non-English recall       top != 'en' {pct(rec, len(non_en))}   rule {pct(rec_rule, len(non_en))}"
          f"   (texts with >= {args.min_letters} letters: {reachable})")
    sweep = []
    for thr in (0.5, 0.7, 0.8, 0.9, 0.95, 0.99):
        fs = sum(p[0] != "en" and p[1] >= thr and letters(s["text"]) >= args.min_letters for s, p in en)
        gs = sum(p[0] != "en" and p[1] >= thr and letters(d["text"]) >= args.min_letters
                 for f, docs in gold.items() for d, p in zip(docs, res["gold_preds"][f]))
        rc = sum(p[0] != "en" and p[1] >= thr and letters(s["text"]) >= args.min_letters for s, p in non_en)
        sweep.append(f"{thr:.2f}: en-skip {fs}/{len(en)} gold {gs} recall {100 * rc / len(non_en):.0f}%")
    print(f"  threshold sweep (>= {args.min_letters} letters): " + "; ".join(sweep))
    if args.errors:
        for s, p in en_skip:
            mark = "RULE-SKIP " if skip_rule(s["text"], *p) else ""
            print(f"      {mark}en[{s.get('kind')}] -> {p[0]} {p[1]:.3f}: {s['text'][:70]!r}")
        for s, p in non_en:
            if not skip_rule(s["text"], *p):
                print(f"      missed {s['lang']}[{s.get('kind')}] -> {p[0]} {p[1]:.3f}: {s['text'][:50]!r}")

    return {
        "name": name, "version": res["version"], "load_ms": res["load_s"] * 1000,
        "first_call_ms": res["first_call_ms"], "sample_ms": res["sample_ms"], "gold_ms": res["gold_ms"],
        "peak_added_load_mb": res["peak_added_load_mb"], "peak_added_total_mb": res["peak_added_total_mb"],
        "accuracy": ok / len(samples), "macro_accuracy": macro,
        "per_language": {k: v[0] / v[1] for k, v in per_lang.items()},
        "en_false_skip": len(en_skip) / len(en), "en_false_skip_rule": len(en_skip_rule) / len(en),
        "non_en_recall": rec / len(non_en), "non_en_recall_rule": rec_rule / len(non_en),
        "gold": gold_summary, "deterministic": res["repeat_identical"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--detectors", default=",".join(DETECTORS), help="comma-separated subset of: " + ", ".join(DETECTORS))
    parser.add_argument("--samples", type=Path, default=SAMPLES, help="JSONL with lang, kind, text")
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared folder holding gold/*.jsonl")
    parser.add_argument("--threshold", type=float, default=0.90, help="min probability to call a text non-English")
    parser.add_argument("--min-letters", type=int, default=40, help="min letters to call a text non-English")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over the samples")
    parser.add_argument("--errors", action="store_true", help="list the English false skips and missed non-English texts")
    parser.add_argument("--json", type=Path, help="also write the summary figures here")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()

    samples = read_jsonl(args.samples)
    gold: dict[str, list[dict]] = {}
    for fname in GOLD_FILES:
        path = args.shared / "gold" / fname
        if path.exists():
            gold[fname] = [d for d in read_jsonl(path) if d.get("text")]
        elif not args.worker:
            print(f"(no {path}: skipping that gold file)")

    if args.worker:  # child process: measure one detector, answer in JSON on stdout
        out = worker(args.worker, [s["text"] for s in samples],
                     {f: [d["text"] for d in docs] for f, docs in gold.items()}, args.repeat)
        json.dump(out, sys.stdout)
        return

    langs = Counter(s["lang"] for s in samples)
    print(f"samples: {len(samples)} texts in {len(langs)} languages ({args.samples.name}); "
          + ", ".join(f"{k} {n}" for k, n in langs.items()))
    print("gold English documents: " + (", ".join(f"{f} {len(d)}" for f, d in gold.items()) or "none"))
    print(f"python {sys.version.split()[0]} on {sys.platform}")

    summaries = []
    for name in [d.strip() for d in args.detectors.split(",") if d.strip()]:
        cmd = [sys.executable, str(HERE), "--worker", name, "--samples", str(args.samples),
               "--shared", str(args.shared), "--repeat", str(args.repeat)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"\n=== {name}: failed ===\n{proc.stderr.strip()[-2000:]}")
            continue
        summaries.append(report(json.loads(proc.stdout), samples, gold, args))

    if summaries:
        print("\n=== summary ===")
        print(f"{'detector':<11}{'acc':>7}{'en-skip':>9}{'rule':>7}{'gold-skip':>11}{'rule':>6}"
              f"{'nonEN-rec':>11}{'rule':>7}{'ms/doc':>8}{'load ms':>9}{'+MB':>7}")
        for s in summaries:
            gs = sum(g["false_skip"] for g in s["gold"].values())
            gr = sum(g["false_skip_rule"] for g in s["gold"].values())
            gn = sum(g["n"] for g in s["gold"].values())
            print(f"{s['name']:<11}{100 * s['accuracy']:6.1f}%{100 * s['en_false_skip']:8.1f}%"
                  f"{100 * s['en_false_skip_rule']:6.1f}%{f'{gs}/{gn}':>11}{f'{gr}/{gn}':>6}"
                  f"{100 * s['non_en_recall']:10.1f}%{100 * s['non_en_recall_rule']:6.1f}%"
                  f"{s['sample_ms']:8.2f}{s['load_ms']:9.0f}{s['peak_added_total_mb']:7.1f}")
    if args.json:
        args.json.write_text(json.dumps(summaries, indent=2) + "\n")


if __name__ == "__main__":
    main()
