#!/usr/bin/env python3
"""Checker for holdout_f evaluation files. Prints counts and ERRORS n."""
import json, re, collections, sys
import os
# As written, the files sat side by side (safeguarding.jsonl...); in the repository each is
# tests/data/eval/<set>/holdout_f.jsonl. Only this path was changed.
HERE=os.path.dirname(os.path.abspath(__file__))
def path(name): return os.path.join(HERE, name[:-len('.jsonl')], 'holdout_f.jsonl')
errors=[]
def err(m): errors.append(m)
def load(name, prefix):
    rows=[]
    for n,l in enumerate(open(path(name),encoding='utf-8'),1):
        try: rows.append(json.loads(l))
        except Exception as e: err(f'{name}:{n} bad json {e}')
    if len(rows)!=300: err(f'{name}: {len(rows)} rows, want 300')
    for i,r in enumerate(rows,1):
        if r.get('id')!=f'{prefix}-{i:04d}': err(f'{name}: row {i} id {r.get("id")}')
    ids=[r.get('id') for r in rows]
    if len(set(ids))!=len(ids): err(f'{name}: duplicate ids')
    return rows
def words(t): return len(t.split())
def near(name,label,got,want,tol):
    if abs(got-want)>tol: err(f'{name}: {label}={got}, want ~{want} (+-{tol})')
def atleast(name,label,got,want):
    if got<want: err(f'{name}: {label}={got}, want >={want}')
report=[]
# ---------- safeguarding
CATS={'suicide_self_harm','physical_abuse','emotional_abuse','sexual_abuse','neglect','exploitation','domestic_abuse','restraint_seclusion','child_to_parent_violence','carer_breaking_point','missing','fear_of_going_home'}
sg=load('safeguarding.jsonl','sg-holdf')
for r in sg:
    i=r.get('id')
    if set(r)!={'id','text','label','category','style','writer'}: err(f'{i}: keys {sorted(r)}'); continue
    if r['label'] not in ('disclosure','none'): err(f'{i}: label')
    if r['style'] not in ('plain','indirect','idiom','ordinary'): err(f'{i}: style')
    if r['writer'] not in ('parent_carer','young_person'): err(f'{i}: writer')
    if r['label']=='disclosure':
        if r['category'] not in CATS: err(f'{i}: category {r["category"]}')
        if r['style'] not in ('plain','indirect'): err(f'{i}: disclosure style {r["style"]}')
    else:
        if r['category'] is not None: err(f'{i}: none with category')
        if r['style'] not in ('idiom','ordinary'): err(f'{i}: none style {r["style"]}')
    if not isinstance(r['text'],str) or not (3<=words(r['text'])<=80): err(f'{i}: length {words(r["text"])}')
st=collections.Counter(r['style'] for r in sg)
near('sg','plain',st['plain'],70,8); near('sg','indirect',st['indirect'],110,10)
near('sg','idiom',st['idiom'],90,8); near('sg','ordinary',st['ordinary'],30,6)
ind=collections.Counter(r['category'] for r in sg if r['style']=='indirect')
for c in CATS: atleast('sg',f'indirect {c}',ind[c],6)
allc=collections.Counter(r['category'] for r in sg if r['label']=='disclosure')
wr=collections.Counter(r['writer'] for r in sg); near('sg','young_person',wr['young_person'],100,20)
report.append(f'safeguarding: label {dict(collections.Counter(r["label"] for r in sg))} style {dict(st)} writer {dict(wr)}')
report.append(f'  categories (all/indirect): '+', '.join(f'{c} {allc[c]}/{ind[c]}' for c in sorted(CATS)))
# ---------- redaction
KINDS={'child_name','adult_name','school','address','postcode','phone','email','reference','date_of_birth','social_handle'}
red=load('redaction.jsonl','red-holdf')
kc=collections.Counter(); withpii=0
def whole(text,span):
    for m in re.finditer(re.escape(span),text):
        a,b=m.start(),m.end()
        if (a==0 or not text[a-1].isalnum()) and (b==len(text) or not text[b].isalnum()): return a
    return -1
for r in red:
    i=r.get('id')
    if set(r)!={'id','text','pii'}: err(f'{i}: keys'); continue
    t=r['text']
    if not (5<=words(t)<=90): err(f'{i}: length {words(t)}')
    if r['pii']: withpii+=1
    seen=set(); last=-1; kinds=set()
    for p in r['pii']:
        if set(p)!={'text','kind'}: err(f'{i}: pii keys'); continue
        if p['kind'] not in KINDS: err(f'{i}: kind {p["kind"]}')
        if p['text']!=p['text'].strip() or not p['text']: err(f'{i}: span whitespace')
        if p['text'] in seen: err(f'{i}: span listed twice {p["text"]}')
        seen.add(p['text']); kinds.add(p['kind'])
        pos=whole(t,p['text'])
        if pos<0: err(f'{i}: span not whole-word substring: {p["text"]!r}')
        if pos<last: err(f'{i}: spans not in order of first appearance')
        last=max(last,pos)
        if p['kind']=='phone' and p['text'][:5]=='07700' and not re.search(r'900',p['text']): err(f'{i}: phone not Ofcom range')
    for k in kinds: kc[k]+=1
    # every other occurrence of a listed name in a different case must be listed too
    for p in r['pii']:
        if p['kind'] in ('child_name','adult_name'):
            for m in re.finditer(re.escape(p['text']),t,re.I):
                form=t[m.start():m.end()]
                a,b=m.start(),m.end()
                if (a==0 or not t[a-1].isalnum()) and (b==len(t) or not t[b].isalnum()):
                    if form not in seen and not any(form in s for s in seen if s!=form):
                        err(f'{i}: unlisted form {form!r}')
    # digits phone-like leftovers in no-pii rows
    if not r['pii'] and re.search(r'\b0\d{3,4}\s?\d{6}\b|@\w',t): err(f'{i}: looks like unlabelled pii')
    for m in re.finditer(r'\d[\d ]{8,}\d',t):
        if not any(m.group() in p['text'] or p['text'] in m.group() for p in r['pii']): err(f'{i}: unlabelled long number {m.group()!r}')
near('red','with pii',withpii,200,10)
WANT={'child_name':120,'adult_name':80,'school':40,'address':20,'postcode':20,'phone':25,'email':20,'reference':20,'date_of_birth':10,'social_handle':5}
for k,v in WANT.items(): near('red',f'rows with {k}',kc[k],v,max(3,v//5))
report.append(f'redaction: with pii {withpii}, none {300-withpii}; rows per kind '+', '.join(f'{k} {kc[k]}' for k in WANT))
# ---------- sentiment
TH=['Communication','EHCP process and timeliness','Assessment, diagnosis and waiting times','School place and provision','Transition to adulthood','Health and therapies','Social care and short breaks','Being listened to and staff attitude','Information and the Local Offer','Inclusion, bullying and exclusion','Transport']
PH={'sarcasm','factual_complaint','comparative','mixed','negation','thanks_for_nothing','typos','short','understatement','praise'}
S={'negative','neutral','positive'}
sts=load('sentiment_themes.jsonl','st-holdf')
tc=collections.Counter(); pc=collections.Counter(); noth=0
for r in sts:
    i=r.get('id')
    if set(r)!={'id','text','sentiment','communication_sentiment','themes','phenomena','writer'}: err(f'{i}: keys'); continue
    if r['sentiment'] not in S: err(f'{i}: sentiment')
    if r['communication_sentiment'] not in S|{None}: err(f'{i}: comm')
    if r['writer'] not in ('parent_carer','young_person'): err(f'{i}: writer')
    if len(set(r['themes']))!=len(r['themes']) or any(t not in TH for t in r['themes']): err(f'{i}: themes {r["themes"]}')
    if len(set(r['phenomena']))!=len(r['phenomena']) or any(p not in PH for p in r['phenomena']): err(f'{i}: phen')
    n=words(r['text'])
    if not (2<=n<=80): err(f'{i}: length {n}')
    if ('short' in r['phenomena'])!=(n<6): err(f'{i}: short tag vs {n} words')
    if 'Communication' in r['themes'] and r['communication_sentiment'] is None: err(f'{i}: Communication theme but comm null')
    if r['communication_sentiment'] is not None and not ({'Communication','Being listened to and staff attitude'}&set(r['themes'])): err(f'{i}: comm sentiment without comm/listening theme')
    if 'sarcasm' in r['phenomena'] and r['sentiment']!='negative': err(f'{i}: sarcasm not negative')
    if 'thanks_for_nothing' in r['phenomena'] and r['sentiment']!='negative': err(f'{i}: tfn not negative')
    if 'factual_complaint' in r['phenomena'] and r['sentiment']!='negative': err(f'{i}: factual complaint not negative')
    if 'praise' in r['phenomena'] and r['sentiment']!='positive': err(f'{i}: praise not positive')
    if 'mixed' in r['phenomena'] and r['sentiment']=='neutral': err(f'{i}: mixed but neutral')
    for t in r['themes']: tc[t]+=1
    for p in r['phenomena']: pc[p]+=1
    if not r['themes']: noth+=1
sc=collections.Counter(r['sentiment'] for r in sts)
near('st','negative',sc['negative'],135,15); near('st','neutral',sc['neutral'],75,12); near('st','positive',sc['positive'],90,12)
for t in TH: atleast('st',t,tc[t],25)
for p,v in (('sarcasm',30),('factual_complaint',30),('comparative',20),('mixed',40),('short',40)): atleast('st',p,pc[p],v)
near('st','no theme',noth,15,5)
w3=collections.Counter(r['writer'] for r in sts); near('st','young_person',w3['young_person'],100,20)
report.append(f'sentiment: {dict(sc)} writer {dict(w3)} no-theme {noth}')
report.append('  themes: '+', '.join(f'{t} {tc[t]}' for t in TH))
report.append('  phenomena: '+', '.join(f'{p} {pc[p]}' for p in sorted(PH)))
# ---------- duplicates within/across files
def norm(t): return re.sub(r'\s+',' ',re.sub(r'[^\w\s]','',t.lower())).strip()
seen={}
for name,rows in (('sg',sg),('red',red),('st',sts)):
    for r in rows:
        k=norm(r.get('text',''))
        if k in seen: err(f'duplicate text {r.get("id")} = {seen[k]}')
        else: seen[k]=r.get('id')
# raw file sanity: ensure_ascii=False (no \\u escapes)
for name in ('safeguarding.jsonl','redaction.jsonl','sentiment_themes.jsonl'):
    if '\\u' in open(path(name),encoding='utf-8').read(): err(f'{name}: contains \\u escapes')
print('\n'.join(report))
for e in errors: print('ERROR',e)
print('ERRORS',len(errors))
