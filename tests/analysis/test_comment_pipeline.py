"""The combined comment pipeline and its JSON form."""

import ast
import json
from pathlib import Path

from feedback.analysis import analyse_comment, analyse_comments, analysis_to_dict

PACKAGE = Path(__file__).resolve().parents[2] / "feedback" / "analysis"


def test_a_comment_is_redacted_scored_themed_and_checked():
    analysis = analyse_comment(
        "Our caseworker Sam never replied to my emails and Oakfield Primary School says he is scared to go home.",
        extra_names=["Oakfield Primary School"],
    )
    assert analysis.label == "negative"
    assert analysis.redacted_text == (
        "Our caseworker [name] never replied to my emails and [school] says he is scared to go home."
    )
    theme_names = [t.name for t in analysis.themes]
    assert "Communication" in theme_names
    assert "School place and provision" in theme_names  # found on the original text
    assert analysis.safeguarding.flagged
    assert analysis.analyser_version


def test_explanation_never_shows_a_redacted_detail():
    analysis = analyse_comment("I was not helped by Sarah at all")
    assert all("sarah" not in phrase.lower() for phrase, _ in analysis.explanation)


def test_json_form_has_the_agreed_keys():
    data = analysis_to_dict(analyse_comment("Kept informed throughout, thank you"), include_text=True)
    assert json.loads(json.dumps(data)) == data
    assert {"text", "polarity", "label", "themes", "redacted", "safeguarding", "explanation"} <= set(data)
    assert data["label"] == "positive"
    assert all(set(t) == {"name", "score"} for t in data["themes"])
    assert all(set(e) == {"phrase", "weight"} for e in data["explanation"])
    assert set(data["safeguarding"]) >= {"flagged", "categories"}


def test_json_without_the_original_text_for_wider_sharing():
    data = analysis_to_dict(analyse_comment("Call me on 07700 900123"))
    assert "text" not in data and data["redacted"] == "Call me on [phone]"


def test_safeguarding_matches_carry_no_name():
    data = analysis_to_dict(analyse_comment("my stepdad gary hits her and Gary says nobody will believe her"))
    assert data["safeguarding"]["flagged"]
    assert "gary" not in json.dumps(data).lower()
    assert any(r["rule"] and r["category"] == "physical_abuse" for r in data["safeguarding"]["reasons"])


def test_many_comments_give_the_same_analysis_as_one_at_a_time():
    texts = ["my son Oluwaseun is 9 and loves it", "nobody rings back", "", "Mrs Okafor was kind"] * 3
    batched = [analysis_to_dict(a) for a in analyse_comments(texts, batch_size=5)]
    assert batched == [analysis_to_dict(analyse_comment(t)) for t in texts]


def test_analysis_is_pure_python_with_no_app_imports():
    forbidden = ("flask", "sqlalchemy", "vaderSentiment", "feedback")
    for module in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            assert not any(n.split(".")[0] in forbidden for n in names), (module.name, names)


def test_several_processes_give_the_same_lines_in_the_same_order():
    from feedback.analysis.parallel import analyse_to_json_lines

    texts = [f"Comment {i}: my son Kacper waited {i} weeks and nobody rang back" for i in range(120)]
    serial = list(analyse_to_json_lines(texts, workers=1, batch_size=25))
    assert list(analyse_to_json_lines(texts, workers=2, batch_size=25)) == serial
    assert len(serial) == 120 and all("Kacper" not in line for line in serial)
