#!/usr/bin/env python3
"""Validate the holdout_e evaluation files against RULES-*.md in this folder."""
import json, os, re, sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
errors = []
def err(msg): errors.append(msg)

def load(name, prefix):
    rows = []
    # As written, the files sat side by side (safeguarding.jsonl...); in the repository each
    # is tests/data/eval/<set>/holdout_e.jsonl. Only this path was changed.
    path = os.path.join(HERE, name[:-len(".jsonl")], "holdout_e.jsonl")
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                err(f"{name}:{n} blank line"); continue
            try:
                rows.append(json.loads(line))
            except Exception as e:
                err(f"{name}:{n} JSON error {e}")
    if len(rows) != 300: err(f"{name}: {len(rows)} rows, expected 300")
    for i, r in enumerate(rows, 1):
        want = f"{prefix}-{i:04d}"
        if not isinstance(r, dict) or r.get("id") != want:
            err(f"{name}: row {i} id {r.get('id') if isinstance(r, dict) else r!r}, expected {want}")
    ids = [r.get("id") for r in rows if isinstance(r, dict)]
    if len(set(ids)) != len(ids): err(f"{name}: duplicate ids")
    return rows

def words(t): return len(t.split())

def span_pos(s, t, others):
    """first occurrence of s at word boundaries and not inside an occurrence of a longer listed span"""
    cover = []
    for o in others:
        if o != s and len(o) > len(s):
            cover += [(m.start(), m.end()) for m in re.finditer(re.escape(o), t)]
    fallback = -1
    for m in re.finditer(re.escape(s), t):
        a, b = m.start(), m.end()
        if (a == 0 or not (t[a-1].isalnum() and s[0].isalnum())) and (b == len(t) or not (t[b].isalnum() and s[-1].isalnum())):
            if fallback < 0: fallback = a
            if not any(x <= a and b <= y for x, y in cover): return a
    return fallback


CATS = {"suicide_self_harm","physical_abuse","emotional_abuse","sexual_abuse","neglect","exploitation",
        "domestic_abuse","restraint_seclusion","child_to_parent_violence","carer_breaking_point","missing",
        "fear_of_going_home"}
WRITERS = {"parent_carer","young_person"}
KINDS = {"child_name","adult_name","school","address","postcode","phone","email","reference",
         "date_of_birth","social_handle"}
SENT = {"negative","neutral","positive"}
THEMES = {"Communication","EHCP process and timeliness","Assessment, diagnosis and waiting times",
          "School place and provision","Transition to adulthood","Health and therapies",
          "Social care and short breaks","Being listened to and staff attitude",
          "Information and the Local Offer","Inclusion, bullying and exclusion","Transport"}
PHEN = {"sarcasm","factual_complaint","comparative","mixed","negation","thanks_for_nothing","typos",
        "short","understatement","praise"}

# ---------- safeguarding ----------
sg = load("safeguarding.jsonl", "sg-holde")
for r in sg:
    rid = r.get("id")
    if set(r) != {"id","text","label","category","style","writer"}: err(f"{rid}: keys {sorted(r)}"); continue
    if not isinstance(r["text"], str) or not r["text"].strip(): err(f"{rid}: empty text")
    if r["label"] not in {"disclosure","none"}: err(f"{rid}: label {r['label']}")
    if r["writer"] not in WRITERS: err(f"{rid}: writer {r['writer']}")
    if r["style"] not in {"plain","indirect","idiom","ordinary"}: err(f"{rid}: style {r['style']}")
    if r["label"] == "disclosure":
        if r["category"] not in CATS: err(f"{rid}: disclosure needs category, got {r['category']}")
        if r["style"] not in {"plain","indirect"}: err(f"{rid}: disclosure with style {r['style']}")
    else:
        if r["category"] is not None: err(f"{rid}: none must have null category")
        if r["style"] not in {"idiom","ordinary"}: err(f"{rid}: none with style {r['style']}")
    w = words(r["text"])
    if not 3 <= w <= 80: err(f"{rid}: {w} words, rule says 3-80")
ind = Counter(r["category"] for r in sg if r.get("style") == "indirect")
for c in CATS:
    if ind[c] < 6: err(f"safeguarding: only {ind[c]} indirect disclosures for {c} (need >=6)")
sty = Counter(r.get("style") for r in sg)
if sty["indirect"] <= sty["plain"]: err("safeguarding: most disclosures should be indirect")

# ---------- redaction ----------
red = load("redaction.jsonl", "red-holde")
for r in red:
    rid = r.get("id")
    if set(r) != {"id","text","pii"}: err(f"{rid}: keys {sorted(r)}"); continue
    t = r["text"]
    if not isinstance(t, str) or not t.strip(): err(f"{rid}: empty text")
    if not isinstance(r["pii"], list): err(f"{rid}: pii not a list"); continue
    last = -1; seen = set()
    for d in r["pii"]:
        if not isinstance(d, dict) or set(d) != {"text","kind"}: err(f"{rid}: bad pii item {d}"); continue
        if d["kind"] not in KINDS: err(f"{rid}: kind {d['kind']}")
        s = d["text"]
        if not s or s != s.strip(): err(f"{rid}: span has empty/outer whitespace {s!r}")
        if s in seen: err(f"{rid}: span listed twice {s!r}")
        seen.add(s)
        pos = span_pos(s, t, [x.get('text','') for x in r['pii'] if isinstance(x, dict)])
        if s not in t: err(f"{rid}: span not exact substring {s!r}"); continue
        if pos < 0: err(f"{rid}: span {s!r} only occurs inside a longer word"); continue
        if pos < last: err(f"{rid}: span {s!r} out of order of appearance")
        last = pos
    w = words(t)
    if not 5 <= w <= 90: err(f"{rid}: {w} words, rule says 5-90")
with_pii = sum(1 for r in red if r.get("pii"))
if not 180 <= with_pii <= 220: err(f"redaction: {with_pii} rows with PII, rule asks about 200")

# ---------- sentiment / themes ----------
st = load("sentiment_themes.jsonl", "st-holde")
for r in st:
    rid = r.get("id")
    if set(r) != {"id","text","sentiment","communication_sentiment","themes","phenomena","writer"}:
        err(f"{rid}: keys {sorted(r)}"); continue
    t = r["text"]
    if not isinstance(t, str) or not t.strip(): err(f"{rid}: empty text")
    if r["sentiment"] not in SENT: err(f"{rid}: sentiment {r['sentiment']}")
    if r["communication_sentiment"] is not None and r["communication_sentiment"] not in SENT:
        err(f"{rid}: communication_sentiment {r['communication_sentiment']}")
    if r["writer"] not in WRITERS: err(f"{rid}: writer {r['writer']}")
    for key, allowed in (("themes", THEMES), ("phenomena", PHEN)):
        v = r[key]
        if not isinstance(v, list): err(f"{rid}: {key} not list"); continue
        if len(set(v)) != len(v): err(f"{rid}: duplicate {key}")
        for x in v:
            if x not in allowed: err(f"{rid}: bad {key} value {x!r}")
    if "Communication" in r["themes"] and r["communication_sentiment"] is None:
        err(f"{rid}: Communication theme but communication_sentiment null")
    w = words(t)
    if "short" in r["phenomena"] and w >= 6: err(f"{rid}: tagged short but {w} words")
    if "short" not in r["phenomena"] and w < 6: err(f"{rid}: {w} words but not tagged short")
    if not 2 <= w <= 80: err(f"{rid}: {w} words, rule says 2-80")
    if "sarcasm" in r["phenomena"] and r["sentiment"] == "positive": err(f"{rid}: sarcasm labelled positive")
    if "thanks_for_nothing" in r["phenomena"] and r["sentiment"] != "negative": err(f"{rid}: thanks_for_nothing not negative")
    if "praise" in r["phenomena"] and r["sentiment"] == "negative": err(f"{rid}: praise labelled negative")
tc = Counter(x for r in st for x in r.get("themes", []))
for th in THEMES:
    if tc[th] < 25: err(f"sentiment_themes: theme {th!r} only {tc[th]} times (need >=25)")
pc = Counter(x for r in st for x in r.get("phenomena", []))
for tag, need in (("sarcasm",30),("factual_complaint",30),("comparative",20),("mixed",40),("short",40)):
    if pc[tag] < need: err(f"sentiment_themes: {tag} {pc[tag]} < {need}")
sc = Counter(r.get("sentiment") for r in st)
for s, target in (("negative",135),("neutral",75),("positive",90)):
    if abs(sc[s]-target) > 20: err(f"sentiment_themes: {s} {sc[s]} far from ~{target}")
nt = sum(1 for r in st if not r.get("themes"))
if not 8 <= nt <= 25: err(f"sentiment_themes: {nt} rows with no theme (about 15 asked)")

# ---------- writers: about a third young people ----------
for name, rows in (("safeguarding", sg), ("sentiment_themes", st)):
    yp = sum(1 for r in rows if r.get("writer") == "young_person")
    if not 80 <= yp <= 130: err(f"{name}: {yp} young_person rows (about a third asked)")

# ---------- duplicate texts within and across files ----------
def norm(t): return re.sub(r"[^a-z0-9]+", " ", t.lower()).strip()
where = {}
for name, rows in (("sg", sg), ("red", red), ("st", st)):
    for r in rows:
        k = norm(r.get("text", ""))
        if k in where: err(f"duplicate text: {r.get('id')} and {where[k]}")
        else: where[k] = r.get("id")

# ---------- summary ----------
print("safeguarding label:", dict(Counter(r.get("label") for r in sg)))
print("safeguarding style:", dict(sty))
print("safeguarding category:", dict(Counter(r.get("category") for r in sg)))
print("safeguarding writer:", dict(Counter(r.get("writer") for r in sg)))
print("redaction rows with pii:", with_pii, "without:", 300 - with_pii)
print("redaction rows per kind:", dict(Counter(k for r in red for k in {d['kind'] for d in r.get('pii', [])})))
print("redaction spans per kind:", dict(Counter(d['kind'] for r in red for d in r.get('pii', []))))
print("sentiment:", dict(sc))
print("communication_sentiment:", dict(Counter(str(r.get("communication_sentiment")) for r in st)))
print("themes:", dict(tc)); print("no theme:", nt)
print("phenomena:", dict(pc))
print("st writer:", dict(Counter(r.get("writer") for r in st)))
for e in errors: print("ERROR", e)
print("ERRORS", len(errors))
sys.exit(1 if errors else 0)
