"""Compare what families were told (their references) with what the database holds.

Usage: verify.py DATABASE_URL ACKS_FILE --since ISO-TIME [--label NAME]
Exit 1 if any acknowledged reference is missing, stored twice, or lacks an answer the
family gave. Also reports submitted responses nobody saw acknowledged (a reply lost on the
way back: stored, and shown again if the family refreshes)."""

import json
import sys
from collections import Counter

import psycopg


def main(database_url: str, acks_file: str, since: str, label: str = "") -> int:
    acks = [json.loads(line) for line in open(acks_file) if line.strip()]
    by_reference = Counter(a["reference"] for a in acks)
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT r.reference, a.question_id FROM response r LEFT JOIN answer a ON a.response_id = r.id "
            "WHERE r.status = 'submitted' AND r.reference IS NOT NULL AND r.submitted_at >= %s", (since,)
        ).fetchall()
        unanalysed = conn.execute(
            "SELECT count(*) FROM answer a JOIN question q ON q.id = a.question_id "
            "JOIN response r ON r.id = a.response_id "
            "LEFT JOIN text_analysis t ON t.source_type = 'answer' AND t.source_id = a.id "
            "WHERE q.kind = 'free_text' AND r.status = 'submitted' AND t.id IS NULL AND a.value <> ''"
        ).fetchone()[0]
    stored: dict[str, set] = {}
    for reference, question_id in rows:
        stored.setdefault(reference, set())
        if question_id is not None:
            stored[reference].add(question_id)
    missing = [r for r in by_reference if r not in stored]
    incomplete = [a["reference"] for a in acks
                  if a["reference"] in stored and not set(a["questions"]) <= stored[a["reference"]]]
    # Two acknowledgements of one reference are fine only if they are the same family
    # refreshing; two families never share one (the reference is unique in the database).
    doubled = [r for r, n in by_reference.items() if n > 1]
    unacknowledged = len(set(stored) - set(by_reference))
    resumed = sum(1 for a in acks if a.get("resumed"))
    print(f"{label}acknowledged references: {len(by_reference)} ({resumed} after save and resume); "
          f"stored with every answer: {len(by_reference) - len(missing) - len(incomplete)}; "
          f"missing: {len(missing)}; missing answers: {len(incomplete)}; acknowledged twice: {len(doubled)}; "
          f"submitted responses in the database: {len(stored)} "
          f"(stored but reply lost on the way: {unacknowledged}); free-text answers not yet analysed: {unanalysed}")
    ok = not missing and not incomplete and not doubled
    print(f"{label}{'PASS' if ok else 'FAIL'}: acknowledged {'=' if ok else '!='} stored")
    return 0 if ok else 1


if __name__ == "__main__":
    args = sys.argv[1:]
    options = {}
    for flag in ("--label", "--since"):
        if flag in args:
            i = args.index(flag)
            options[flag] = args[i + 1]
            del args[i:i + 2]
    label = options["--label"] + ": " if "--label" in options else ""
    sys.exit(main(args[0], args[1], options["--since"], label))
