"""Compare cross-domain configurations fold by fold (issue 14): per held-out section, per group of sections
(the tuning sections on which choices are made, the untouched ones, all ten), per type, and the error
classes of ``evaluate.error_classes`` per group.

    .venv/bin/python training/ner/xdcompare.py fast fast-kb [fast-doc …] [--json out.json] [--tuning "The thao,Giai tri"]
        [--sections "The thao,Giai tri"]

Each configuration's fold models are read from ``crossdomain.fold_dir`` and decoded once on their held-out
section (``extract``, as ``bench/ner.py --cross-domain`` does, so the numbers are the same).  Sections
without a fold model in *every* configuration are left out of the groups (a group's header lists the
sections it is over), so the configurations are always compared on the same articles.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "training/ner"))

from bantin.enrich.ner import evaluate as ev  # noqa: E402

# The sections on which the pooling weight was chosen (model card, "Cross-domain scores measured so far");
# KH - CN was a third, trained after that choice; Kinh te was trained last.  Neither is used for a choice.
TUNING = ("The thao", "Giai tri")
UNTOUCHED = ("Doi song", "Giao duc", "Phap luat", "The gioi", "Van hoa", "Xa hoi")
TYPES = ("PER", "LOC", "ORG", "MISC", "micro")


def predict(config: str, docs: list[ev.Doc], sections: tuple[str, ...] = ev.CATEGORIES) -> dict[str, list]:
    """Section -> predicted spans of each of its articles, for the ``sections`` with a fold model."""
    import crossdomain as xd
    from bantin.enrich.ner.extract import extract
    from bantin.enrich.ner.model import CRFModel

    gaz = xd.gazetteer_entries(config)
    out = {}
    for cat in sections:
        d = xd.fold_dir(config, cat)
        if not (d / "model.npz").exists():
            continue
        m = CRFModel(d / "model.npz", gaz, None)
        out[cat] = [[(e.start, e.end, e.type) for e in extract(m, x.text)] for x in docs if x.category == cat]
    return out


def _sc(s: ev.Score) -> dict:
    return {"p": round(s.p, 4), "r": round(s.r, 4), "f1": round(s.f1, 4), "tp": s.tp, "fp": s.fp, "fn": s.fn}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("configs", nargs="+")
    ap.add_argument("--tuning", default=",".join(TUNING))
    ap.add_argument("--json", default=None)
    ap.add_argument("--sections", default=None,
                    help="comma-separated held-out sections to decode and score (default: every one with a fold "
                         "model); e.g. only the tuning sections, while untouched folds exist that must not be "
                         "scored before the tuning choice is recorded")
    args = ap.parse_args()
    tuning = tuple(c.strip() for c in args.tuning.split(","))
    untouched = tuple(c for c in UNTOUCHED if c not in tuning)
    docs = ev.load_vlsp2018("all")
    by_cat = {c: [x for x in docs if x.category == c] for c in ev.CATEGORIES}
    sections = ev.CATEGORIES
    if args.sections:
        sections = tuple(c.strip() for c in args.sections.split(","))
        for c in sections:
            if c not in ev.CATEGORIES:
                raise SystemExit(f"unknown section {c!r}; one of {', '.join(ev.CATEGORIES)}")
    preds = {cfg: predict(cfg, docs, sections) for cfg in args.configs}
    report: dict = {"tuning": tuning, "untouched": untouched, "configs": {}}
    w = max(8, *(len(c) for c in args.configs))
    print("micro F1 (PER/LOC/ORG) per held-out section")
    print(f"{'section':<22}" + "".join(f"{c:>{w + 2}}" for c in args.configs))
    for cat in ev.CATEGORIES:
        tag = " (tuning)" if cat in tuning else ""
        row = []
        for cfg in args.configs:
            p = preds[cfg].get(cat)
            row.append(f"{ev.score([x.spans for x in by_cat[cat]], p)['micro'].f1:.4f}" if p else "-")
        print(f"{cat + tag:<22}" + "".join(f"{v:>{w + 2}}" for v in row))
    common = [c for c in ev.CATEGORIES if all(c in preds[cfg] for cfg in args.configs)]
    groups = {g: tuple(c for c in cats if c in common) for g, cats in
              (("tuning", tuning), ("untouched", untouched), ("all ten", ev.CATEGORIES))}
    full = {"tuning": len(tuning), "untouched": len(untouched), "all ten": len(ev.CATEGORIES)}
    for cfg in args.configs:
        rep = report["configs"][cfg] = {"sections": {}, "groups": {}}
        for cat, p in preds[cfg].items():
            rep["sections"][cat] = {t: _sc(s) for t, s in ev.score([x.spans for x in by_cat[cat]], p).items()}
        for g, cats in groups.items():
            have = [c for c in cats if c in preds[cfg]]
            gd = [x for c in have for x in by_cat[c]]
            gp = [s for c in have for s in preds[cfg][c]]
            if not gd:
                continue
            sc = ev.score([x.spans for x in gd], gp)
            rep["groups"][g] = {"sections": have, "scores": {t: _sc(s) for t, s in sc.items()},
                                "errors": ev.error_classes(gd, gp)}
    for g in groups:
        print(f"\n{g}: {len(groups[g])} of {full[g]} sections (those with a fold model in every configuration): "
              + ", ".join(groups[g]))
        print(f"{'':<22}" + "".join(f"{c:>{w + 2}}" for c in args.configs))
        for t in TYPES:
            cells = []
            for cfg in args.configs:
                x = report["configs"][cfg]["groups"].get(g)
                if not x:
                    cells.append("-")
                    continue
                s = x["scores"][t]
                cells.append(f"{s['f1']:.4f}")
            print(f"{'F1 ' + t:<22}" + "".join(f"{v:>{w + 2}}" for v in cells))
        for t in ("p", "r"):
            cells = [f"{report['configs'][cfg]['groups'][g]['scores']['micro'][t]:.4f}"
                     if g in report["configs"][cfg]["groups"] else "-" for cfg in args.configs]
            print(f"{'micro ' + t.upper():<22}" + "".join(f"{v:>{w + 2}}" for v in cells))
        keys = sorted({k for cfg in args.configs for k in report["configs"][cfg]["groups"].get(g, {}).get("errors", {})})
        for k in keys:
            cells = [str(report["configs"][cfg]["groups"].get(g, {}).get("errors", {}).get(k, 0))
                     for cfg in args.configs]
            print(f"  {k:<38}"[:40] + "".join(f"{v:>{w + 2}}" for v in cells))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
