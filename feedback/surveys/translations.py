"""Versions of a wave in other languages and in Easy Read: wording, pictures, readiness.

A version changes the words only. Its questions keep the wave's question ids and option
values, so answers given in any version are stored exactly as the English ones are and pool
into one set of results; the response records the version (Response.language).
"""

import hashlib
from io import BytesIO

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from sqlalchemy import func, select

from ..extensions import db
from ..models import EASY_READ, EasyReadPicture, EasyReadReview, Question, QuestionTranslation, Survey, SurveyTranslation
from ..models.base import utcnow
from .kinds import kind_of

VERSION_NAMES = {"en": "English", "cy": "Cymraeg (Welsh)", "pl": "Polski (Polish)", "pt": "Português (Portuguese)",
                 EASY_READ: "Easy Read"}
# The language each version's words are in, for lang attributes.
VERSION_LANG = {EASY_READ: "en"}
PICTURE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
PICTURE_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
MAX_PICTURE_PIXELS = 4000 * 4000


class TranslationError(Exception):
    """A version cannot be saved as given; the message is safe to show."""


class PictureError(TranslationError):
    pass


def version_codes() -> list[str]:
    """Versions staff can write: every interface language but English, and Easy Read."""
    return [code for code in current_app.config["LANGUAGES"] if code != "en"] + [EASY_READ]


def version_name(code: str) -> str:
    return VERSION_NAMES.get(code, code)


def version_lang(code: str) -> str:
    return VERSION_LANG.get(code, code)


def choice_labels(question) -> list[tuple[str, str]]:
    """(value, English label) of the answers a version rewords (rating 0 to 10 is numbers)."""
    if not kind_of(question).worded_options:
        return []
    return [(value, str(label)) for value, label in kind_of(question).answer_choices(question)]


def version_rows(survey: Survey, language: str) -> tuple[SurveyTranslation | None, dict[int, QuestionTranslation]]:
    head = db.session.scalar(select(SurveyTranslation).where(SurveyTranslation.survey_id == survey.id,
                                                             SurveyTranslation.language == language))
    rows = db.session.scalars(
        select(QuestionTranslation).join(Question, Question.id == QuestionTranslation.question_id)
        .where(Question.survey_id == survey.id, QuestionTranslation.language == language)
    )
    return head, {row.question_id: row for row in rows}


def is_complete(survey: Survey, head, rows: dict) -> bool:
    """Every question has its wording, and every labelled answer its label."""
    if head is None or not survey.questions:
        return False
    for question in survey.questions:
        row = rows.get(question.id)
        if row is None or not row.text.strip():
            return False
        if kind_of(question).own_options and any(
                not (row.option_labels or {}).get(value, "").strip() for value, _ in choice_labels(question)):
            return False
    return True


def status(survey: Survey) -> list[dict]:
    """Each version staff can write, with how far it has got."""
    result = []
    for code in version_codes():
        head, rows = version_rows(survey, code)
        done = sum(1 for q in survey.questions if q.id in rows and rows[q.id].text.strip())
        result.append({"code": code, "name": version_name(code), "done": done, "total": len(survey.questions),
                       "complete": is_complete(survey, head, rows), "updated_at": head.updated_at if head else None})
    return result


def available_versions(survey: Survey) -> list[str]:
    """The versions a family can choose: English and every complete version, in one query each."""
    heads = db.session.scalars(select(SurveyTranslation.language).where(SurveyTranslation.survey_id == survey.id)).all()
    offered = [code for code in version_codes() if code in heads]
    if not offered:
        return ["en"]
    counts = dict(db.session.execute(
        select(QuestionTranslation.language, func.count()).join(Question, Question.id == QuestionTranslation.question_id)
        .where(Question.survey_id == survey.id, QuestionTranslation.language.in_(offered),
               func.length(func.trim(QuestionTranslation.text)) > 0)
        .group_by(QuestionTranslation.language)
    ).all())
    total = len(survey.questions)
    return ["en"] + [code for code in offered if total and counts.get(code) == total]


def version_title(survey: Survey, language: str | None) -> str:
    """The wave's title as the version words it."""
    if not language or language == "en":
        return survey.title
    title = db.session.scalar(select(SurveyTranslation.title).where(SurveyTranslation.survey_id == survey.id,
                                                                    SurveyTranslation.language == language))
    return title or survey.title


def version_stamp(survey_id: int, language: str):
    """When the version was last changed (None for English or no version): caches key on it."""
    if language == "en":
        return None
    return db.session.scalar(select(SurveyTranslation.updated_at).where(SurveyTranslation.survey_id == survey_id,
                                                                        SurveyTranslation.language == language))


def save_version(survey: Survey, language: str, title: str, purpose: str, questions: dict[int, dict], user) -> None:
    """Write a version's wording in one transaction. `questions`: id -> {"text", "hint",
    "options": {value: label}}. Pictures are kept."""
    if language not in version_codes():
        raise TranslationError(_("That language is not offered"))
    head, rows = version_rows(survey, language)
    if head is None:
        head = SurveyTranslation(survey_id=survey.id, language=language, title=title)
        db.session.add(head)
    head.title, head.purpose, head.updated_by_id = title, purpose, user.id if user else None
    head.updated_at = utcnow()
    for question in survey.questions:
        given = questions.get(question.id)
        if given is None:
            continue
        row = rows.get(question.id)
        if row is None:
            row = QuestionTranslation(question_id=question.id, language=language, option_labels={}, option_pictures={})
            db.session.add(row)
        row.text, row.hint = given["text"], given.get("hint", "")
        known = {value for value, _ in choice_labels(question)}
        row.option_labels = {value: label for value, label in given.get("options", {}).items()
                             if value in known and label}
    db.session.commit()


def check_picture(data: bytes) -> str:
    """The picture's content type if it is a PNG or JPEG within the size limit, judged by its
    content (not its name or the type the browser claims); PictureError otherwise."""
    limit = current_app.config["EASY_READ_PICTURE_MAX_BYTES"]
    if not data:
        raise PictureError(_("Choose a picture to upload"))
    if len(data) > limit:
        raise PictureError(_("The picture must be smaller than %(size)s KB", size=limit // 1024))
    kind = next((name for signature, name in PICTURE_SIGNATURES.items() if data.startswith(signature)), None)
    if kind is None:
        raise PictureError(_("The picture must be a PNG or JPEG"))
    try:
        with Image.open(BytesIO(data)) as image:
            if image.format != kind or image.width * image.height > MAX_PICTURE_PIXELS:
                raise PictureError(_("The picture must be a PNG or JPEG up to 4000 by 4000 pixels"))
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError, ValueError):
        raise PictureError(_("The picture must be a PNG or JPEG")) from None
    return PICTURE_TYPES[kind]


def set_picture(survey: Survey, question: Question, option: str | None, data: bytes, alt: str, user) -> None:
    """Add a picture (with its alt text) to a question or one of its options in Easy Read."""
    content_type = check_picture(data)
    alt = alt.strip()
    if not alt:
        raise PictureError(_("Describe the picture for people who cannot see it"))
    if option and option not in {value for value, _ in choice_labels(question)}:
        raise PictureError(_("Choose an answer of this question"))
    head, rows = version_rows(survey, EASY_READ)
    row = rows.get(question.id)
    if head is None or row is None:
        raise PictureError(_("Save the Easy Read wording of this question before adding pictures"))
    picture = EasyReadPicture(survey_id=survey.id, content_type=content_type, data=data,
                              sha256=hashlib.sha256(data).hexdigest())
    db.session.add(picture)
    db.session.flush()
    if option:
        row.option_pictures = {**(row.option_pictures or {}), option: {"picture": picture.id, "alt": alt}}
    else:
        row.picture_id, row.picture_alt = picture.id, alt
    head.updated_at = utcnow()
    head.updated_by_id = user.id if user else None
    db.session.commit()


def picture_for(picture_id: int, user) -> EasyReadPicture | None:
    """A picture this person may see: families see those of waves that are open or closed;
    staff and the wave's co-design partners also those of waves still being designed."""
    from ..models import SurveyStatus
    from .services import can_co_design

    picture = db.session.get(EasyReadPicture, picture_id)
    if picture is None:
        return None
    survey = db.session.get(Survey, picture.survey_id)
    if survey.status in (SurveyStatus.OPEN, SurveyStatus.CLOSED):
        return picture
    return picture if user.is_authenticated and can_co_design(user, survey) else None


def reviews(survey: Survey) -> list[EasyReadReview]:
    return db.session.scalars(select(EasyReadReview).where(EasyReadReview.survey_id == survey.id)
                              .order_by(EasyReadReview.created_at)).all()


def add_review(survey: Survey, user, organisation_id, body: str, signed_off: bool) -> None:
    db.session.add(EasyReadReview(survey_id=survey.id, author_id=user.id, organisation_id=organisation_id,
                                  body=body, signed_off=signed_off))
    db.session.commit()


# Co-design partners suggest a version's wording; staff accept it (it becomes the version's
# words) or decline it with a reason. The suggestions are the survey's own WordingSuggestion
# rows with a language, so the co-design history and the evidence log credit them the same way.

WAVE_PARTS = ("title", "purpose")
OPTION = "option:"


def version_parts(survey: Survey, language: str) -> list[dict]:
    """Every piece of wording of a version, as partners see it to suggest: its part, the
    question (None for the title and introduction), what it is, the English, the version's
    words now."""
    head, rows = version_rows(survey, language)
    parts = [{"part": "title", "question": None, "what": "Title", "english": survey.title,
              "now": head.title if head else ""},
             {"part": "purpose", "question": None, "what": "Introduction", "english": survey.purpose,
              "now": head.purpose if head else ""}]
    for number, question in enumerate(survey.questions, start=1):
        row = rows.get(question.id)
        parts.append({"part": "text", "question": question, "what": f"Question {number}", "english": question.text,
                      "now": row.text if row else ""})
        if question.hint:
            parts.append({"part": "hint", "question": question, "what": f"Hint for question {number}",
                          "english": question.hint, "now": row.hint if row else ""})
        for value, label in choice_labels(question):
            parts.append({"part": OPTION + value, "question": question, "what": f"Question {number}: the answer ‘{label}’",
                          "english": label, "now": (row.option_labels or {}).get(value, "") if row else ""})
    return parts


def find_part(survey: Survey, language: str, part: str, question_id: int | None) -> dict | None:
    return next((p for p in version_parts(survey, language) if p["part"] == part
                 and (p["question"].id if p["question"] else None) == question_id), None)


def suggest_translation(survey: Survey, user, language: str, part: dict, text: str, reason: str):
    """A partner suggests the version's words for one piece; staff decide."""
    from ..models import SurveyStatus, WordingSuggestion
    from .services import _author_organisation, record_event

    if language not in version_codes():
        raise TranslationError(_("That language is not offered"))
    if survey.status in (SurveyStatus.CLOSED, SurveyStatus.ARCHIVED):
        raise TranslationError(_("This survey has closed, so its versions are no longer changed"))
    question = part["question"]
    suggestion = WordingSuggestion(
        survey_id=survey.id, question_id=question.id if question else None, language=language, part=part["part"],
        author_id=user.id, organisation=_author_organisation(user, survey), original_text=part["now"][:500],
        suggested_text=text.strip(), reason=(reason or "").strip())
    db.session.add(suggestion)
    record_event(survey, user, "translation_suggestion",
                 f"Suggested the {version_name(language)} wording of {part['what'].lower()} (‘{part['english']}’) as "
                 f"‘{suggestion.suggested_text}’", suggestion.organisation)
    db.session.commit()
    return suggestion


def apply_suggestion(suggestion, user) -> None:
    """Make an accepted suggestion the version's words (in the caller's transaction)."""
    survey = db.session.get(Survey, suggestion.survey_id)
    head, rows = version_rows(survey, suggestion.language)
    if head is None:
        head = SurveyTranslation(survey_id=survey.id, language=suggestion.language, title="", purpose="")
        db.session.add(head)
    head.updated_at, head.updated_by_id = utcnow(), user.id if user else None
    if suggestion.part in WAVE_PARTS:
        setattr(head, suggestion.part, suggestion.suggested_text)
        return
    row = rows.get(suggestion.question_id)
    if row is None:
        row = QuestionTranslation(question_id=suggestion.question_id, language=suggestion.language, text="",
                                  option_labels={}, option_pictures={})
        db.session.add(row)
    if suggestion.part.startswith(OPTION):
        row.option_labels = {**(row.option_labels or {}), suggestion.part[len(OPTION):]: suggestion.suggested_text}
    else:
        setattr(row, suggestion.part, suggestion.suggested_text)


def accept_suggestion(suggestion, user) -> None:
    """A suggested wording of a version becomes the version's words, credited to the group
    (versions may change while the wave is open, as staff's own edits of them may)."""
    from ..models import SuggestionStatus, SurveyStatus
    from ..notifications import events as partner_notices
    from .services import _require_pending, record_event

    _require_pending(suggestion)
    survey = suggestion.survey
    if survey.status in (SurveyStatus.CLOSED, SurveyStatus.ARCHIVED):
        raise TranslationError(_("This survey has closed, so its versions are no longer changed"))
    suggestion.status = SuggestionStatus.ACCEPTED
    suggestion.decided_by_id, suggestion.decided_at = user.id, utcnow()
    apply_suggestion(suggestion, user)
    credit = f" (credited to {suggestion.organisation.name})" if suggestion.organisation else ""
    record_event(survey, user, "translation_accepted",
                 f"Accepted the {version_name(suggestion.language)} wording ‘{suggestion.suggested_text}’{credit}",
                 suggestion.organisation)
    partner_notices.suggestion_decided(suggestion)
    db.session.commit()


def suggestions_for(survey: Survey, language: str) -> list:
    from ..models import WordingSuggestion

    return db.session.scalars(select(WordingSuggestion).where(
        WordingSuggestion.survey_id == survey.id, WordingSuggestion.language == language)
        .order_by(WordingSuggestion.created_at)).all()
