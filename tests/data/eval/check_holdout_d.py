#!/usr/bin/env python3
"""Validate the holdout_d evaluation files against RULES-*.md. Prints counts and ERRORS <n>."""
import json, re, os, sys
from collections import Counter
D = os.path.dirname(os.path.abspath(__file__))
errors = []
def err(m): errors.append(m)
def wc(t): return len(t.split())
def norm(t): return re.sub(r'\s+', ' ', t.strip().lower())

def load(name, prefix, keys):
    rows = []
    # As written, the files sat side by side (safeguarding.jsonl...); in the repository each
    # is tests/data/eval/<set>/holdout_d.jsonl. Only this path was changed.
    path = os.path.join(D, name[:-len('.jsonl')], 'holdout_d.jsonl')
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                err(f'{name}:{n} blank line'); continue
            try: o = json.loads(line)
            except Exception as e:
                err(f'{name}:{n} JSON error {e}'); continue
            if not isinstance(o, dict) or set(o) != set(keys):
                err(f'{name}:{n} keys {sorted(o) if isinstance(o, dict) else type(o)} != {sorted(keys)}'); continue
            exp = f'{prefix}-{n:04d}'
            if o['id'] != exp: err(f'{name}:{n} id {o["id"]!r} expected {exp}')
            if not isinstance(o['text'], str) or not o['text'].strip() or o['text'] != o['text'].strip():
                err(f'{name}:{n} bad text')
            rows.append(o)
    if len(rows) != 300: err(f'{name}: {len(rows)} rows, expected 300')
    ids = [r['id'] for r in rows]
    if len(set(ids)) != len(ids): err(f'{name}: duplicate ids')
    seen = {}
    for r in rows:
        k = norm(r['text'])
        if k in seen: err(f'{name}: duplicate text {r["id"]} = {seen[k]}')
        seen[k] = r['id']
    return rows

# ---------- safeguarding ----------
CATS = {'suicide_self_harm','physical_abuse','emotional_abuse','sexual_abuse','neglect','exploitation','domestic_abuse',
        'restraint_seclusion','child_to_parent_violence','carer_breaking_point','missing','fear_of_going_home'}
sg = load('safeguarding.jsonl', 'sg-holdd', ['id','text','label','category','style','writer'])
for r in sg:
    i = r['id']
    if r['label'] not in ('disclosure','none'): err(f'{i} label {r["label"]}')
    if r['style'] not in ('plain','indirect','idiom','ordinary'): err(f'{i} style {r["style"]}')
    if r['writer'] not in ('parent_carer','young_person'): err(f'{i} writer {r["writer"]}')
    if r['label'] == 'disclosure':
        if r['category'] not in CATS: err(f'{i} disclosure needs a category, got {r["category"]}')
        if r['style'] not in ('plain','indirect'): err(f'{i} disclosure with style {r["style"]}')
    else:
        if r['category'] is not None: err(f'{i} none must have null category')
        if r['style'] not in ('idiom','ordinary'): err(f'{i} none with style {r["style"]}')
    if not 3 <= wc(r['text']) <= 80: err(f'{i} length {wc(r["text"])} words outside 3-80')
sg_style = Counter((r['label'], r['style']) for r in sg)
sg_ind = Counter(r['category'] for r in sg if r['style'] == 'indirect')
sg_cat = Counter(r['category'] for r in sg if r['label'] == 'disclosure')
for c in CATS:
    if sg_ind[c] < 6: err(f'safeguarding: only {sg_ind[c]} indirect {c} (need >= 6)')
targets = {('disclosure','plain'):70, ('disclosure','indirect'):110, ('none','idiom'):90, ('none','ordinary'):30}
for k, v in targets.items():
    if abs(sg_style[k] - v) > v * 0.15: err(f'safeguarding: {k} = {sg_style[k]}, target ~{v}')
if sg_style[('disclosure','indirect')] <= sg_style[('disclosure','plain')]: err('safeguarding: most disclosures must be indirect')
sg_yp = sum(r['writer'] == 'young_person' for r in sg)
if not 80 <= sg_yp <= 120: err(f'safeguarding: {sg_yp} young_person rows, want about a third')

# ---------- redaction ----------
KINDS = {'child_name','adult_name','school','address','postcode','phone','email','reference','date_of_birth','social_handle'}
red = load('redaction.jsonl', 'red-holdd', ['id','text','pii'])
POSTCODE = re.compile(r'\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b', re.I)
EMAIL = re.compile(r'[\w.+-]+@[\w-]+(?:\.[\w-]+)+')
for r in red:
    i, t, p = r['id'], r['text'], r['pii']
    if not 5 <= wc(t) <= 90: err(f'{i} length {wc(t)} words outside 5-90')
    if not isinstance(p, list): err(f'{i} pii not a list'); continue
    pos = -1; texts = []
    covered = []
    for s in p:
        if not isinstance(s, dict) or set(s) != {'text','kind'}: err(f'{i} bad pii item {s}'); continue
        if s['kind'] not in KINDS: err(f'{i} bad kind {s["kind"]}')
        if s['text'] != s['text'].strip() or not s['text']: err(f'{i} span has outer whitespace/empty {s["text"]!r}')
        if s['text'] in texts: err(f'{i} span listed twice {s["text"]!r}')
        texts.append(s['text'])
        if s['text'] not in t: err(f'{i} span not a substring: {s["text"]!r}'); continue
        k = t.find(s['text'], pos + 1)
        if k < 0: err(f'{i} span out of order: {s["text"]!r}'); continue
        pos = k
        covered.append((t.find(s['text']), t.find(s['text']) + len(s['text'])))
        for m in re.finditer(re.escape(s['text']), t): covered.append((m.start(), m.end()))
    def is_cov(a, b): return any(x <= a and b <= y for x, y in covered)
    for m in EMAIL.finditer(t):
        if not is_cov(m.start(), m.end()): err(f'{i} uncovered email-like {m.group()!r}')
    for m in POSTCODE.finditer(t):
        if not is_cov(m.start(), m.end()): err(f'{i} uncovered postcode-like {m.group()!r}')
    for m in re.finditer(r'(?:\d[\s.-]?){10,}', t):
        if not is_cov(m.start(), m.end() - (1 if m.group()[-1] in ' .-' else 0)): err(f'{i} uncovered long digit run {m.group()!r}')
red_with = sum(1 for r in red if r['pii'])
red_kind_rows = Counter(k for r in red for k in {s['kind'] for s in r['pii']})
if not 180 <= red_with <= 220: err(f'redaction: {red_with} rows with details, target ~200')
for k in KINDS:
    if red_kind_rows[k] == 0: err(f'redaction: no rows with kind {k}')

# ---------- sentiment/themes ----------
THEMES = ["Communication","EHCP process and timeliness","Assessment, diagnosis and waiting times","School place and provision",
          "Transition to adulthood","Health and therapies","Social care and short breaks","Being listened to and staff attitude",
          "Information and the Local Offer","Inclusion, bullying and exclusion","Transport"]
PHEN = {"sarcasm","factual_complaint","comparative","mixed","negation","thanks_for_nothing","typos","short","understatement","praise"}
SENT = {'negative','neutral','positive'}
st = load('sentiment_themes.jsonl', 'st-holdd', ['id','text','sentiment','communication_sentiment','themes','phenomena','writer'])
for r in st:
    i = r['id']
    if r['sentiment'] not in SENT: err(f'{i} sentiment {r["sentiment"]}')
    if r['communication_sentiment'] is not None and r['communication_sentiment'] not in SENT: err(f'{i} comm {r["communication_sentiment"]}')
    if r['writer'] not in ('parent_carer','young_person'): err(f'{i} writer')
    if not isinstance(r['themes'], list) or len(set(r['themes'])) != len(r['themes']) or any(x not in THEMES for x in r['themes']): err(f'{i} bad themes {r["themes"]}')
    if not isinstance(r['phenomena'], list) or len(set(r['phenomena'])) != len(r['phenomena']) or any(x not in PHEN for x in r['phenomena']): err(f'{i} bad phenomena {r["phenomena"]}')
    n = wc(r['text'])
    if not 2 <= n <= 80: err(f'{i} length {n} words outside 2-80')
    if ('short' in r['phenomena']) != (n < 6): err(f'{i} short tag inconsistent with {n} words')
    if 'Communication' in r['themes'] and r['communication_sentiment'] is None: err(f'{i} Communication theme but null communication_sentiment')
    if ('sarcasm' in r['phenomena'] or 'thanks_for_nothing' in r['phenomena'] or 'factual_complaint' in r['phenomena']) and r['sentiment'] != 'negative':
        err(f'{i} sarcasm/thanks_for_nothing/factual_complaint should be negative')
    if 'praise' in r['phenomena'] and r['sentiment'] != 'positive': err(f'{i} praise but not positive')
st_sent = Counter(r['sentiment'] for r in st)
st_theme = Counter(x for r in st for x in r['themes'])
st_phen = Counter(x for r in st for x in r['phenomena'])
for th in THEMES:
    if st_theme[th] < 25: err(f'sentiment: theme {th!r} only {st_theme[th]} (need >= 25)')
for tag, mn in [('sarcasm',30),('factual_complaint',30),('comparative',20),('mixed',40),('short',40)]:
    if st_phen[tag] < mn: err(f'sentiment: {tag} {st_phen[tag]} < {mn}')
for k, v in [('negative',.45),('neutral',.25),('positive',.30)]:
    if abs(st_sent[k]/len(st) - v) > 0.06: err(f'sentiment: {k} share {st_sent[k]/len(st):.2f}, target {v}')
st_none = sum(1 for r in st if not r['themes'])
if not 8 <= st_none <= 25: err(f'sentiment: {st_none} rows with no theme, want about 15')
st_yp = sum(r['writer'] == 'young_person' for r in st)
if not 80 <= st_yp <= 120: err(f'sentiment: {st_yp} young_person rows, want about a third')

# ---------- across files ----------
allt = {}
for name, rows in (('sg', sg), ('red', red), ('st', st)):
    for r in rows:
        k = norm(r['text'])
        if k in allt and allt[k][0] != name: err(f'cross-file duplicate text {r["id"]} = {allt[k][1]}')
        allt.setdefault(k, (name, r['id']))

print('safeguarding:', dict(sg_style), '| young_person', sg_yp)
print('  disclosures by category:', dict(sorted(sg_cat.items())))
print('  indirect by category:', dict(sorted(sg_ind.items())))
print('redaction: rows with details', red_with, '| without', len(red) - red_with)
print('  rows per kind:', dict(red_kind_rows.most_common()))
print('  spans per kind:', dict(Counter(s['kind'] for r in red for s in r['pii']).most_common()))
print('sentiment:', dict(st_sent), '| young_person', st_yp, '| no theme', st_none)
print('  comm sentiment:', dict(Counter(str(r['communication_sentiment']) for r in st)))
print('  themes:', dict(st_theme.most_common()))
print('  phenomena:', dict(st_phen.most_common()))
for e in errors: print('ERROR', e)
print('ERRORS', len(errors))
sys.exit(1 if errors else 0)
