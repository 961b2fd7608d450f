"""bench/analysis_eval.py reports every split file of a set, whatever its name, so a further
independent holdout (holdout_f.jsonl) is measured as soon as it is added, and never shows
its items; the former holdouts (holdout, holdout_b .. holdout_e) are development data and show theirs."""

import importlib.util
import json
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "analysis_eval.py"


def _bench():
    spec = importlib.util.spec_from_file_location("analysis_eval", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write(path, texts):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps({"id": f"x{i}", "text": t, "sentiment": s, "communication_sentiment": None,
                                        "themes": th, "phenomena": [], "writer": "parent_carer"}) + "\n"
                            for i, (t, s, th) in enumerate(texts)), encoding="utf-8")


def test_every_split_file_is_reported_and_any_can_be_asked_for(tmp_path, monkeypatch, capsys):
    bench = _bench()
    monkeypatch.setattr(bench, "EVAL", tmp_path)
    # The second label is wrong on purpose, so an error list would show it.
    rows = [("Nobody ever rings back.", "negative", ["Communication"]),
            ("The taxi is always on time, thank you.", "negative", ["Transport"])]
    splits = ["dev", "holdout", "holdout_b", "holdout_c", "holdout_d", "holdout_e", "holdout_f"]
    for split in splits:
        _write(tmp_path / "sentiment_themes" / f"{split}.jsonl", rows)
    assert bench.splits_of("sentiment_themes") == splits
    bench.main(["--only", "sentiment_themes"])
    out = capsys.readouterr().out
    assert "sentiment_themes holdout_b" in out and "sentiment_themes dev" in out
    bench.main(["--only", "sentiment_themes", "--split", "dev", "--show-errors"])
    assert "read as" in capsys.readouterr().out
    # holdout_b .. holdout_e became development data on 2026-12-01: their errors are shown.
    for former in ("holdout_b", "holdout_c", "holdout_d", "holdout_e"):
        bench.main(["--only", "sentiment_themes", "--split", former, "--show-errors"])
        assert "read as" in capsys.readouterr().out
    bench.main(["--only", "sentiment_themes", "--split", "holdout_f", "--show-errors"])
    out = capsys.readouterr().out
    assert out.startswith("sentiment_themes holdout_f") and "read as" not in out  # never a holdout's items
    assert "Nobody ever rings back" not in out and "missed" not in out
    bench.main(["--only", "sentiment_themes", "--split", "holdout_g"])
    assert "not there yet" in capsys.readouterr().out


def test_redactions_holdout_e_is_development_data_and_the_next_holdout_stays_blind(tmp_path, monkeypatch, capsys):
    bench = _bench()
    monkeypatch.setattr(bench, "EVAL", tmp_path)
    row = {"id": "r1", "text": "Please ask Sue about it", "pii": [{"text": "Sue", "kind": "adult_name"}]}
    clean = {"id": "r2", "text": "The Local Offer page is better now", "pii": [{"text": "Local", "kind": "school"}]}
    for split in ("holdout_e", "holdout_f"):
        path = tmp_path / "redaction" / f"{split}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(row) + "\n" + json.dumps(clean) + "\n", encoding="utf-8")
    bench.main(["--only", "redaction", "--split", "holdout_e", "--show-errors"])
    assert "missed school 'Local'" in capsys.readouterr().out
    bench.main(["--only", "redaction", "--split", "holdout_f", "--show-errors"])
    out = capsys.readouterr().out
    assert out.startswith("redaction holdout_f") and "missed" not in out and "Local Offer" not in out
