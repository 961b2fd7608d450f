"""Theme matching against the seed taxonomy, and emerging-theme discovery."""

import pytest

from feedback.analysis.themes import (
    SEED_TAXONOMY,
    ThemeDefinition,
    discover_emerging_themes,
    match_themes,
    stem,
)


def names(text, taxonomy=SEED_TAXONOMY):
    return [m.name for m in match_themes(text, taxonomy)]


def test_seed_taxonomy_has_the_co_produced_themes():
    assert [t.name for t in SEED_TAXONOMY] == [
        "Communication", "EHCP process and timeliness", "Assessment, diagnosis and waiting times",
        "School place and provision", "Transition to adulthood", "Health and therapies",
        "Social care and short breaks", "Being listened to and staff attitude",
        "Information and the Local Offer", "Inclusion, bullying and exclusion", "Transport",
    ]
    for theme in SEED_TAXONOMY:
        assert theme.description.endswith(".")
        assert len(theme.keywords) >= 10


@pytest.mark.parametrize("text,theme", [
    ("The caseworker never replied to my emails", "Communication"),
    ("Our annual review was months late and the EHCP is still a draft", "EHCP process and timeliness"),
    ("Two years on the autism waiting list", "Assessment, diagnosis and waiting times"),
    ("He is on a part-time timetable and the SENCo has no time", "School place and provision"),
    ("Nothing for him after college, the PfA review was a joke", "Transition to adulthood"),
    ("CAMHS discharged her and SALT stopped", "Health and therapies"),
    ("We need respite and short breaks", "Social care and short breaks"),
    ("I felt dismissed and not listened to", "Being listened to and staff attitude"),
    ("The Local Offer website is out of date", "Information and the Local Offer"),
    ("She was bullied and then excluded", "Inclusion, bullying and exclusion"),
    ("The taxi and escort were late again", "Transport"),
])
def test_each_seed_theme_is_found_in_typical_comments(text, theme):
    assert theme in names(text)


def test_word_forms_meet_through_stemming():
    assert stem("chasing") == stem("chased") == stem("chase")
    assert "Communication" in names("Constantly chasing them")


def test_a_comment_can_carry_several_themes_with_scores_in_range():
    matches = match_themes("The taxi is late, the caseworker never replies and CAMHS discharged him")
    assert {"Transport", "Communication", "Health and therapies"} <= {m.name for m in matches}
    assert all(0 < m.score <= 1 for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_more_evidence_gives_a_higher_score():
    one = match_themes("the taxi")[0].score
    more = match_themes("the taxi driver and escort on the school transport route")[0].score
    assert one < more <= 1


def test_staff_can_supply_their_own_taxonomy():
    custom = (ThemeDefinition("Parking", "Parking at the clinic.", ("parking", "car park"), ("no spaces",)),)
    assert names("There is never any parking and no spaces", custom) == ["Parking"]
    assert names("The caseworker never replied", custom) == []


def test_unrelated_text_matches_no_theme():
    assert match_themes("Lovely weather today") == ()


def test_emerging_themes_group_comments_that_match_nothing():
    texts = [
        "The car park at the clinic is always full",
        "Nowhere to park at the clinic car park",
        "Car park charges at the clinic are too high",
        "The cafe food was cold and expensive",
        "The cafe had no gluten free food",
        "Cafe food choices are poor and cold",
    ]
    themes = discover_emerging_themes(texts, max_themes=2, min_size=2)
    assert len(themes) == 2
    groups = sorted(sorted(t.member_indices) for t in themes)
    assert groups == [[0, 1, 2], [3, 4, 5]]
    for theme in themes:
        assert theme.size == len(theme.member_indices)
        assert theme.label_keywords and theme.example_quotes
    assert discover_emerging_themes(texts, max_themes=2, min_size=2) == themes


@pytest.mark.parametrize("texts", [[], ["one comment"], ["N/A", "the", "a"], ["", "  "]])
def test_emerging_themes_handle_tiny_or_empty_input(texts):
    assert discover_emerging_themes(texts, min_size=2) == []


def test_emerging_themes_have_a_readable_label_and_distinct_examples():
    texts = ["The holiday club closed", "the holiday club closed", "Holiday club closed early again",
             "holiday club has no places", "Our holiday club was cancelled"] * 2
    themes = discover_emerging_themes(texts, max_themes=1, min_size=2)
    assert themes and themes[0].label[:1].isupper() and "holiday club" in themes[0].label.lower()
    keys = [" ".join(q.lower().split()) for q in themes[0].example_quotes]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("text,theme", [
    ("we had no plan B when the bus didnt come", "EHCP process and timeliness"),
    ("waiting 3 weeks for someone to ring me back", "Assessment, diagnosis and waiting times"),
    # The theme classifier (1.0 to 1.2) reads "plan" alone as EHCP; a floor for themes only
    # it finds, and everyday review sentences as training comments with no theme, each cost
    # macro-F1 leaving sets out, so this false pull stays.
    pytest.param("our plan for the weekend fell through", "EHCP process and timeliness",
                 marks=pytest.mark.xfail(reason="theme classifier 1.2: 'plan' alone", strict=True)),
])
def test_one_everyday_word_does_not_pull_a_comment_into_a_theme(text, theme):
    assert theme not in {m.name for m in match_themes(text)}


@pytest.mark.parametrize("text", [
    "nobody asks me, they just talk to mum",
    "I was made to feel like a pushy parent",
    "they took us seriously for once",
])
def test_being_listened_to_is_found(text):
    assert "Being listened to and staff attitude" in {m.name for m in match_themes(text)}


def test_carers_careers_and_caring_are_different_words():
    assert "Transition to adulthood" not in {m.name for m in match_themes("We love the young carers group")}
    assert "Being listened to and staff attitude" not in {m.name for m in match_themes("the carers allowance form")}
    assert "Transition to adulthood" in {m.name for m in match_themes("the careers adviser helped me pick a college course")}


@pytest.mark.parametrize("text,theme", [
    ("the taxi driver went to the wrong school on his first day", "Transport"),
    ("he gets bullied at school every lunch and called names", "Inclusion, bullying and exclusion"),
])
def test_a_setting_word_yields_to_what_the_comment_is_about(text, theme):
    found = {m.name for m in match_themes(text)}
    assert theme in found and "School place and provision" not in found


def test_a_setting_word_alone_still_names_its_theme():
    assert "School place and provision" in {m.name for m in match_themes("the school have been brilliant this year")}


@pytest.mark.parametrize("text", [
    "the head talked down to me in front of everyone",
    "they spoke about her like she wasn't in the room",
    "finally someone on our side",
    "nobody had read the reports before the meeting",
    "he was treated like a nuisance",
])
def test_more_ways_of_saying_being_listened_to(text):
    assert "Being listened to and staff attitude" in {m.name for m in match_themes(text)}


def test_emerging_labels_are_phrases_people_wrote_not_mood_words():
    texts = ["Parking at the hospital is impossible", "hospital parking costs a fortune, ok",
             "no hospital parking for blue badges", "Thanks, nothing to add", "ok thanks",
             "Sorry nothing to add", "the hospital parking machine was broken"]
    themes = discover_emerging_themes(texts, max_themes=2, min_size=2)
    labels = [t.label.lower() for t in themes]
    assert any("hospital parking" in label for label in labels)
    assert not any(word in label.split() for label in labels for word in ("ok", "thanks", "sorry", "add"))


def test_the_theme_classifier_in_use_is_the_one_recorded():
    import hashlib
    from pathlib import Path

    from feedback.analysis.sentiment import ANALYSER_VERSION
    from feedback.analysis.themes import THEME_MODEL_PATH

    digest = hashlib.sha256(THEME_MODEL_PATH.read_bytes()).hexdigest()
    docs = (Path(__file__).resolve().parents[2] / "docs" / "analysis.md").read_text(encoding="utf-8")
    assert digest in docs
    # A new classifier makes stored analyses stale, and the version still fits its column.
    assert f"themes-{digest[:8]}" in ANALYSER_VERSION and len(ANALYSER_VERSION) <= 80


def test_a_seed_theme_staff_have_changed_is_matched_by_its_own_keywords_alone():
    from dataclasses import replace

    from feedback.analysis.themes import rule_themes

    changed = tuple(replace(t, keywords=t.keywords + ("carrier pigeon",)) if t.name == "Communication" else t
                    for t in SEED_TAXONOMY)
    text = "they sent the news by carrier pigeon"
    assert "Communication" in {m.name for m in match_themes(text, changed)}
    assert "Communication" not in {m.name for m in match_themes(text)}
    assert [m for m in match_themes(text, changed) if m.name == "Communication"] == \
        [m for m in rule_themes(text, changed) if m.name == "Communication"]


def test_the_analyser_version_names_the_redaction_rules_so_stored_redactions_are_redone():
    """A comment redacted by earlier rules keeps the text staff read until it is analysed
    again; the version carries a digest of the rules and every list they read."""
    import hashlib
    from pathlib import Path

    from feedback.analysis import ANALYSER_VERSION, redaction

    folder = Path(redaction.__file__).parent
    files = [Path(redaction.__file__)] + [folder / "data" / name for name in (
        "do_not_redact.txt", "word_names.txt", "first_names.txt", "first_names_more.txt", "first_names_frequent.txt")]
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in files)).hexdigest()
    assert ANALYSER_VERSION.endswith(f"+red-{digest[:8]}") and len(ANALYSER_VERSION) <= 80
    read = {m for m in __import__("re").findall(r'"([a-z_]+\.txt)"', files[0].read_text(encoding="utf-8"))}
    assert read <= {path.name for path in files[1:]}, "a list the rules read is left out of the digest"


def test_a_theme_staff_added_beside_the_seed_is_matched_by_its_keywords():
    from feedback.analysis.themes import rule_themes

    parking = ThemeDefinition("Parking", "Parking at the clinic and at school.", ("parking", "car park"),
                              ("blue badge", "no spaces"))
    taxonomy = SEED_TAXONOMY + (parking,)
    text = "The car park at the clinic never has spaces for a blue badge"
    found = {m.name for m in match_themes(text, taxonomy)}
    assert "Parking" in found and "Parking" not in {m.name for m in match_themes(text)}
    assert [m for m in match_themes(text, taxonomy) if m.name == "Parking"] == \
        [m for m in rule_themes(text, taxonomy) if m.name == "Parking"]
    # A comment the staff theme alone names gets no seed theme as a fallback beside it.
    assert {m.name for m in match_themes("parking was a nightmare", taxonomy)} == {"Parking"}
    # The seed themes are still the classifier's, beside the staff theme.
    assert {m.name for m in match_themes("the taxi driver never rang to say he was late", taxonomy)} == \
        {m.name for m in match_themes("the taxi driver never rang to say he was late")}
