"""Safeguarding: disclosures of risk of harm are flagged; everyday idioms are not."""

import pytest

from feedback.analysis.safeguarding import assess_safeguarding


@pytest.mark.parametrize("text,category", [
    ("My son said he wants to die", "suicide_self_harm"),
    ("She has talked about killing herself", "suicide_self_harm"),
    ("He told the teacher he'd be better off dead", "suicide_self_harm"),
    ("She took an overdose last month", "suicide_self_harm"),
    ("he doesnt want to be alive anymore", "suicide_self_harm"),
    ("She cuts herself", "suicide_self_harm"),
    ("He has started self harming", "suicide_self_harm"),
    ("He bangs his head on the wall when he is overwhelmed", "suicide_self_harm"),
    ("There are cuts on her arms", "suicide_self_harm"),
    ("Dad hits him", "physical_abuse"),
    ("Her stepdad punched her", "physical_abuse"),
    ("He came home with bruises all over his back", "physical_abuse"),
    ("He is being hit at home", "physical_abuse"),
    ("Someone touched her inappropriately on the bus", "sexual_abuse"),
    ("A man sent her explicit pictures online", "sexual_abuse"),
    ("I think she is being groomed online", "sexual_abuse"),
    ("His mum calls him worthless every day", "emotional_abuse"),
    ("They lock him in his room", "restraint_seclusion"),
    ("He was abused at his last placement", "physical_abuse"),
    ("There is no food in the house most days", "neglect"),
    ("He is left alone all day while they work", "neglect"),
    ("She goes hungry at weekends", "neglect"),
    ("She turned up to school with two black eyes", "physical_abuse"),
    ("He says home is the worst bit of his week", "fear_of_going_home"),
    ("There is domestic violence at home", "domestic_abuse"),
    ("My ex threatens me in front of the kids", "domestic_abuse"),
    ("She is scared of her dad", "domestic_abuse"),
    ("He is scared to go home", "fear_of_going_home"),
    ("My daughter went missing from school", "missing"),
    ("He ran away from home twice", "missing"),
    ("She doesn't feel safe at school", "fear_of_going_home"),
    ("I think he is involved in county lines", "exploitation"),
    # A child named with "our", "their", "the"; a relationship called violent; harms said
    # through what was done rather than its name.
    ("Her boyfriend kicked our daughter when she was in the way", "physical_abuse"),
    ("She has been in an abusive relationship for years and the kids see it", "domestic_abuse"),
    ("Some boys filmed her in the changing rooms and shared it", "sexual_abuse"),
    ("His mum won't take him to his dentist appointments and his teeth are rotting", "neglect"),
    ("A member of staff taped over his mouth to keep him quiet", "restraint_seclusion"),
    ("We didn't hear from him until the next morning and nobody knew where he was", "missing"),
    ("She said she might drive the car into a wall", "suicide_self_harm"),
    ("His dad has cancelled her hospital appointments three times now", "neglect"),
    ("If nobody helps I will leave him at the council offices tomorrow", "carer_breaking_point"),
    ("I stay at my friend's after school so I don't have to go home", "fear_of_going_home"),
    ("She was out until 3am on a school night and we had no idea", "missing"),
    ("We called the police on our son again last night", "child_to_parent_violence"),
])
def test_disclosures_are_flagged_with_their_category(text, category):
    result = assess_safeguarding(text)
    assert result.flagged
    assert category in result.categories
    assert result.matches


@pytest.mark.parametrize("text", [
    "We restrain ourselves from emailing the SENCO every day",
    "I'm killing myself trying to get to every appointment on time",
    "This paperwork is killing me",
    "I could kill for a reply",
    "Dying to hear back about the panel",
    "The wait is torture",
    "I'm bored to death of filling in forms",
    "We hit a brick wall with the council",
    "The paperwork went missing twice",
    "He is at risk of exclusion",
    "They cut short breaks without warning",
    "The caseworker never replied to my emails",
    "Great school, lovely staff",
    "Our SENCo is in danger of burning out, she does everything",
    # What families learnt about, not what happened to them; a harm word about an institution.
    "The assembly about online safety and grooming was pitched well",
    "Their self harm awareness course was excellent",
    "The council's abuse of the tribunal deadlines is a scandal",
    "The LA exploited every loophole they could find",
    "Getting a reply from them is like breaking out of jail",
    "She punches her cushion when she is cross, which the OT suggested",
    "She beat her brother in the egg and spoon race",
    "",
])
def test_everyday_complaints_and_idioms_are_not_flagged(text):
    assert not assess_safeguarding(text).flagged


def test_a_denial_is_still_flagged_but_marked_as_negated():
    result = assess_safeguarding("He has never self-harmed")
    assert result.flagged
    assert result.negated
    assert not assess_safeguarding("He self-harms most nights").negated


def test_an_idiom_does_not_hide_a_real_disclosure_in_the_same_comment():
    result = assess_safeguarding("This form is killing me. My daughter says she wants to kill herself.")
    assert result.flagged
    assert result.categories == ("suicide_self_harm",)


def test_the_stored_model_weights_are_those_the_examples_train():
    """Processes read the model from a file instead of training it when they start: the file
    must give the same flags as training on today's examples, and the same probabilities to
    within rounding (the last digits of a float sum differ between processors' maths
    libraries: on one machine 4e-15 apart, which can never move a flag)."""
    import numpy as np

    from feedback.analysis import safeguarding

    stored = safeguarding._load_model(safeguarding.MODEL_PATH)
    assert stored is not None, "examples changed: run scripts/train_safeguarding_model.py"
    trained = safeguarding.train_model()
    texts = ["he comes home with new trainers and money and wont say where from",
             "she keeps asking what happens when you die", "the bus was late again"]
    masked = [safeguarding._rules(t)[3] for t in texts]
    np.testing.assert_allclose(stored[2].predict_proba(stored[0].transform(masked)),
                               trained[2].predict_proba(trained[0].transform(masked)), rtol=1e-9, atol=1e-12)
    assert list(stored[3].predict(stored[0].transform(masked))) == list(trained[3].predict(trained[0].transform(masked)))


def _scikit_learn_model(path):
    """The stored weights put into scikit-learn's own objects (as they were read before the
    model was run without scikit-learn)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_union

    from feedback.analysis import safeguarding

    with np.load(path, allow_pickle=False) as stored:
        arrays = dict(stored)
    words, chars = safeguarding._vectorisers(**{name: {str(t): i for i, t in enumerate(arrays[f"{name}_terms"])}
                                               for name in ("words", "chars")})
    words.idf_, chars.idf_ = arrays["words_idf"], arrays["chars_idf"]
    classifiers = []
    for name in ("disclosure", "category"):
        classifier = LogisticRegression()
        classifier.classes_ = arrays[f"{name}_classes"]
        classifier.coef_ = arrays[f"{name}_coef"]
        classifier.intercept_ = arrays[f"{name}_intercept"]
        classifier.n_features_in_ = classifier.coef_.shape[1]
        classifiers.append(classifier)
    return (make_union(words, chars), words, *classifiers)


def test_the_stored_model_runs_without_scikit_learn_to_the_last_digit():
    """The stored weights are run without scikit-learn (stored_model.py): the features, the
    probabilities and the categories must be scikit-learn's with the same weights, to the last
    bit, on every example and on odd text (empty, a word repeated 300 times, wide letters)."""
    import numpy as np

    from feedback.analysis import safeguarding

    ours = safeguarding._load_model(safeguarding.MODEL_PATH)
    assert ours is not None, "examples changed: run scripts/train_safeguarding_model.py"
    theirs = _scikit_learn_model(safeguarding.MODEL_PATH)
    texts = ["he comes home with new trainers and money and wont say where from",
             "she keeps asking what happens when you die", "the bus was late again", "",
             "help " * 300 + "she said she wants to die", "  Ａｌｌ   the\tstaff  ignored   us  "]
    texts += [row["text"] for row in safeguarding.training_rows()]
    masked = [safeguarding._rules(t)[3] for t in texts]
    rows, matrix = ours[0].transform(masked), theirs[0].transform(masked).tocsr()
    for k in range(len(masked)):
        assert (rows[k].indices, rows[k].data) == (list(matrix[[k]].indices), list(matrix[[k]].data)), masked[k]
    np.testing.assert_array_equal(ours[2].predict_proba(rows), theirs[2].predict_proba(matrix))
    assert list(ours[3].predict(rows)) == list(theirs[3].predict(matrix))
    assert ours[3].predict(rows[0])[0] == theirs[3].predict(matrix[[0]])[0]
    assert ours[1].get_feature_names_out() == list(theirs[1].get_feature_names_out())


def test_the_stop_words_are_scikit_learns():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from feedback.analysis.stored_model import stop_words

    assert stop_words() == ENGLISH_STOP_WORDS


def test_starting_the_analysis_imports_neither_scikit_learn_nor_scipy():
    """They cost about 1.5 CPU seconds in every process that starts; the analysis needs neither."""
    import subprocess
    import sys

    code = ("import sys; from feedback.analysis import analyse_comment; "
            "a = analyse_comment('She wants to go to sleep and not wake up, Mrs Okafor said'); "
            "assert a.safeguarding.flagged and 'Okafor' not in a.redacted_text; "
            "print(sorted(m for m in ('sklearn', 'scipy', 'pandas') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_stored_weights_from_other_examples_are_not_used(tmp_path):
    import numpy as np

    from feedback.analysis import safeguarding

    with np.load(safeguarding.MODEL_PATH, allow_pickle=False) as stored:
        arrays = dict(stored)
    arrays["fingerprint"] = np.array("0" * 64)
    stale = tmp_path / "model.npz"
    np.savez(stale, **arrays)
    assert safeguarding._load_model(stale) is None
