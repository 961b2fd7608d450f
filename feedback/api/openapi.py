"""The OpenAPI 3.1 document for /api/v1/. Tests validate every response against it."""

from ..results.build import DIMENSION_KEYS

NULLABLE_INT = {"type": ["integer", "null"]}
NULLABLE_NUMBER = {"type": ["number", "null"]}
NULLABLE_STRING = {"type": ["string", "null"]}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {"type": "object", "properties": properties, "required": required or list(properties),
            "additionalProperties": False}


IDEA_STATUSES = ["published", "under_consideration", "accepted", "in_progress", "done", "not_taken_forward"]
MAX_ID = 2**31 - 1  # ids are INTEGER columns (4 bytes on PostgreSQL): larger ids are not found
VERSION = "1.4.0"  # docs/integrations.md keeps the changelog

SCHEMAS = {
    "Problem": {**_object({
        "type": {"type": "string", "description": "Always 'about:blank': the status says what went wrong."},
        "title": {"type": "string", "description": "The HTTP status phrase, for example 'Not Found'."},
        "status": {"type": "integer", "minimum": 100, "maximum": 599},
        "detail": {"type": "string", "description": "What went wrong, in words for the person reading it."},
    }), "description": "An error, as problem details (RFC 9457)."},
    "Pagination": _object({
        "page": {"type": "integer", "minimum": 1}, "per_page": {"type": "integer", "minimum": 1},
        "total": {"type": "integer", "minimum": 0, "description": "Items on every page together."},
        "next": {**NULLABLE_STRING, "description": "The address of the next page; null on the last."},
        "previous": {**NULLABLE_STRING, "description": "The address of the page before; null on the first."},
    }),
    "Wave": _object({
        "id": {"type": "integer"}, "slug": {"type": "string"}, "title": {"type": "string"},
        "series_key": {"type": "string"}, "wave_number": {"type": "integer"}, "wave_label": {"type": "string"},
        "status": {"type": "string", "enum": ["open", "closed", "archived"]},
        "opens_at": {"type": "string", "format": "date-time"}, "closes_at": {"type": "string", "format": "date-time"},
        "responses": {**NULLABLE_INT, "description": "Submitted responses; null when fewer than 5."},
    }),
    "SurveyList": _object({"surveys": {"type": "array", "items": {"$ref": "#/components/schemas/Wave"}},
                           "pagination": {"$ref": "#/components/schemas/Pagination"}}),
    "Indicator": _object({
        "value": NULLABLE_NUMBER, "low": NULLABLE_NUMBER, "high": NULLABLE_NUMBER,
        "band": {"type": ["string", "null"], "enum": ["good", "improving", "needs action", None], "deprecated": True,
                 "description": "The band under its v1 names, kept for existing clients: \"improving\" is the "
                                "middle band (50 up to 75), not a trend. Read band_name instead."},
        "band_name": {"type": ["string", "null"], "enum": ["good", "fair", "needs action", None],
                      "description": "The band as pages show it: a level, never a direction."},
        "withheld": {"type": ["string", "null"],
                     "enum": ["fewer_than_10", "hidden_counts", "protects_another_group", None]},
        "method_version": {"type": "string"},
    }),
    "Group": _object({"key": {"type": "string"}, "label": {"type": "string"}, "size": {"type": "integer"},
                      "members": {"type": "array", "items": {"type": "string"}}}),
    "Dimension": _object({"key": {"type": "string"}, "label": {"type": "string"},
                          "groups": {"type": "array", "items": {"$ref": "#/components/schemas/Group"}}}),
    "Count": _object({"key": {"type": "string"}, "label": {"type": "string"},
                      "count": {**NULLABLE_INT, "description": "null when hidden to protect privacy"},
                      "percent": NULLABLE_INT}),
    "AnswerCount": _object({"value": {"type": "string"}, "label": {"type": "string"}, "special": {"type": "boolean"},
                            "count": NULLABLE_INT, "percent": NULLABLE_INT}),
    "QuestionResult": _object({
        "id": {"type": "integer"}, "position": {"type": "integer"}, "text": {"type": "string"},
        "kind": {"type": "string"}, "dimensions": {"type": "array", "items": {"type": "string"}},
        "answers": {"type": "array", "items": {"$ref": "#/components/schemas/AnswerCount"}},
    }),
    "WaveResults": _object({
        "survey": {"$ref": "#/components/schemas/Wave"},
        "view": {"type": "string"}, "view_label": {"type": "string"},
        "withheld": {"type": "boolean", "description": "true when fewer than 5 people responded"},
        "responses": NULLABLE_INT, "computed_at": {"type": "string"},
        "dimensions": {"type": "array", "items": {"$ref": "#/components/schemas/Dimension"}},
        "profile": {"type": "object", "additionalProperties": {
            "type": "array", "items": {"$ref": "#/components/schemas/Count"}}},
        "questions": {"type": "array", "items": {"$ref": "#/components/schemas/QuestionResult"}},
        "indicator": {"oneOf": [{"$ref": "#/components/schemas/Indicator"}, {"type": "null"}]},
    }),
    "ThemeResult": _object({
        "id": {"type": "integer"}, "name": {"type": "string"}, "comments": NULLABLE_INT,
        "negative": NULLABLE_INT, "neutral": NULLABLE_INT, "positive": NULLABLE_INT,
        "change_in_comments": NULLABLE_INT, "change_in_negative_share": NULLABLE_INT,
    }),
    "Themes": _object({
        "survey": {"$ref": "#/components/schemas/Wave"}, "view": {"type": "string"}, "withheld": {"type": "boolean"},
        "themes": {"type": "array", "items": {"$ref": "#/components/schemas/ThemeResult"}},
    }),
    "IndicatorPoint": _object({
        "survey_id": {"type": "integer"}, "wave_number": {"type": "integer"}, "wave_label": {"type": "string"},
        "responses": NULLABLE_INT, "value": NULLABLE_NUMBER, "low": NULLABLE_NUMBER, "high": NULLABLE_NUMBER,
        "band": {**NULLABLE_STRING, "deprecated": True,
                 "description": "v1 name of the band (\"improving\" is the middle band); read band_name."},
        "band_name": {"type": ["string", "null"], "enum": ["good", "fair", "needs action", None]},
        "withheld": NULLABLE_STRING, "change": NULLABLE_NUMBER,
        "significant": {"type": "boolean"}, "method_version": {"type": "string"},
    }),
    "Document": {"type": "object", "description": "An OpenAPI 3.1 document."},
    "Feed": {"type": "string", "description": "CSV (RFC 4180), a header row and one row per released count: "
                                              "survey_id, survey, wave_number, wave, release, computed_at, question_id, "
                                              "question_position, question, question_kind, breakdown, breakdown_label, "
                                              "group, group_label, group_responses, answer, answer_label, count "
                                              "(empty when hidden), suppressed (true or false), percent."},
    "QuestionSummary": _object({"id": {"type": "integer"}, "position": {"type": "integer"},
                                "text": {"type": "string"}, "kind": {"type": "string"}}),
    "GroupAnswers": _object({
        "view": {"type": "string", "description": "'all' or dimension:group, as the view parameter takes."},
        "breakdown": {"type": "string", "description": "'all' or the dimension's key."},
        "label": {"type": "string"}, "responses": NULLABLE_INT,
        "answers": {"type": "array", "items": {"$ref": "#/components/schemas/AnswerCount"}},
    }),
    "QuestionResults": _object({
        "survey": {"$ref": "#/components/schemas/Wave"},
        "question": {"$ref": "#/components/schemas/QuestionSummary"},
        "withheld": {"type": "boolean", "description": "true when fewer than 5 people responded"},
        "breakdown": NULLABLE_STRING,
        "groups": {"type": "array", "items": {"$ref": "#/components/schemas/GroupAnswers"}},
    }),
    "Action": _object({
        "id": {"type": "integer"}, "you_said": {"type": "string"}, "we_did": {"type": "string"},
        "status": {"type": "string", "enum": ["planned", "in_progress", "done", "not_possible"]},
        "status_label": {"type": "string"}, "due_on": {**NULLABLE_STRING, "format": "date"},
        "survey_id": {**NULLABLE_INT, "description": "The first wave it came from (see survey_ids)."},
        "theme": {**NULLABLE_STRING, "description": "The first theme it answers (see themes)."},
        "survey_ids": {"type": "array", "items": {"type": "integer"}, "description": "Every wave it came from."},
        "themes": {"type": "array", "items": {"type": "string"}, "description": "Every theme it answers."},
        "idea_ids": {"type": "array", "items": {"type": "integer"},
                     "description": "The published Youth Forum ideas it answers."},
        "updated_at": {"type": "string", "format": "date-time"},
        "address": {"type": "string", "description": "The action's public page."},
    }),
    "ActionList": _object({"actions": {"type": "array", "items": {"$ref": "#/components/schemas/Action"}},
                           "pagination": {"$ref": "#/components/schemas/Pagination"}}),
    "Idea": _object({
        "id": {"type": "integer"}, "title": {"type": "string", "description": "The published title."},
        "category": {"type": "string"}, "status": {"type": "string", "enum": IDEA_STATUSES},
        "status_label": {"type": "string"}, "supporters": {"type": "integer", "minimum": 0},
        "answered": {"type": "boolean", "description": "The council has responded to it."},
        "action_id": {**NULLABLE_INT, "description": "The first “You said, we did” action it led to (see action_ids)."},
        "action_ids": {"type": "array", "items": {"type": "integer"},
                       "description": "Every “You said, we did” action it led to."},
        "published_at": {**NULLABLE_STRING, "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
    }),
    "IdeaList": _object({"ideas": {"type": "array", "items": {"$ref": "#/components/schemas/Idea"}},
                         "pagination": {"$ref": "#/components/schemas/Pagination"}}),
    "IndicatorSeries": _object({
        "series_key": {"type": "string"}, "trend": {"type": ["string", "null"], "enum": ["rising", "falling", None]},
        "waves": {"type": "array", "items": {"$ref": "#/components/schemas/IndicatorPoint"}},
    }),
}


RATE_LIMIT_HEADERS = {
    "X-RateLimit-Limit": {"description": "Requests allowed in the window (300 a minute per address).",
                          "schema": {"type": "integer"}},
    "X-RateLimit-Remaining": {"description": "Requests left in the window.", "schema": {"type": "integer"}},
    "X-RateLimit-Reset": {"description": "When the window resets, in seconds since 1970.",
                          "schema": {"type": "integer"}},
}
ERRORS = {
    "400": "A parameter is not valid (for example a page number that is not a whole number)",
    "401": "No valid API token. The WWW-Authenticate header says how to send one",
    "404": "Not found: no such survey, series or view, or a survey without results yet",
    "413": "The request is too large",
    "429": "Too many requests: wait for the seconds in Retry-After",
    "500": "Something went wrong on the server",
    "503": "The service is busy or restarting: try again after the seconds in Retry-After",
}


def _problem(description: str, status: str) -> dict:
    headers = dict(RATE_LIMIT_HEADERS)
    if status == "401":
        headers["WWW-Authenticate"] = {"description": "How to authenticate: Bearer.", "required": True,
                                       "schema": {"type": "string"}}
    if status in ("429", "503"):
        headers["Retry-After"] = {"description": "Seconds to wait before trying again.", "required": True,
                                  "schema": {"type": "integer"}}
    return {"description": description, "headers": headers,
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


CACHE_HEADERS = {
    "ETag": {"description": "Send it back in If-None-Match: a 304 means nothing has changed.",
             "schema": {"type": "string"}},
    "Cache-Control": {"description": "private, max-age=60 (public for this document).", "schema": {"type": "string"}},
}


def _get(summary: str, schema: str, parameters: list | None = None, secured: bool = True,
         media_type: str = "application/json", security: list | None = None) -> dict:
    responses = {
        "200": {"description": "OK", "headers": {**RATE_LIMIT_HEADERS, **CACHE_HEADERS},
                "content": {media_type: {"schema": {"$ref": f"#/components/schemas/{schema}"}}}},
        "304": {"description": "Not modified since the ETag sent in If-None-Match", "headers": CACHE_HEADERS},
    }
    responses.update({status: _problem(text, status) for status, text in ERRORS.items()
                      if secured or status != "401"})
    operation = {"summary": summary, "parameters": parameters or [], "responses": responses}
    operation["security"] = (security or [{"token": []}]) if secured else []
    return {"get": operation}


def _id(name: str, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}


SURVEY_ID = _id("survey_id", "The wave's id, from the survey list.")
VIEW = {"name": "view", "in": "query", "required": False,
        "description": "'all' (default) or a group such as 'locality:Norwich'; see dimensions in the results.",
        "schema": {"type": "string"}}
SERIES_KEY = {"name": "series_key", "in": "path", "required": True,
              "description": "The series a wave belongs to (series_key in the survey list).",
              "schema": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[A-Za-z0-9_-]{1,100}$"}}
QUESTION_ID = _id("question_id", "The question's id, from a wave's results.")
BREAKDOWN = {"name": "breakdown", "in": "query", "required": False,
             "description": "Only this dimension's groups (and not the whole wave): locality, respondent_type, "
                            "channel or month. Without it: the whole wave and every group.",
             "schema": {"type": "string", "enum": DIMENSION_KEYS}}
SERIES_FILTER = {"name": "series_key", "in": "query", "required": False, "description": "Only this series.",
                 "schema": SERIES_KEY["schema"]}
WAVE_STATUS = {"name": "status", "in": "query", "required": False, "description": "Only waves with this status.",
               "schema": {"type": "string", "enum": ["open", "closed", "archived"]}}
ACTION_STATUS = {"name": "status", "in": "query", "required": False, "description": "Only actions with this status.",
                 "schema": {"type": "string", "enum": ["planned", "in_progress", "done", "not_possible"]}}
ACTION_SURVEY = {"name": "survey_id", "in": "query", "required": False, "description": "Only actions about this wave.",
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}
IDEA_STATUS = {"name": "status", "in": "query", "required": False, "description": "Only ideas with this status.",
               "schema": {"type": "string", "enum": IDEA_STATUSES}}
PAGE = {"name": "page", "in": "query", "required": False, "description": "Which page, from 1.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1}}
PER_PAGE = {"name": "per_page", "in": "query", "required": False, "description": "Items a page, 1 to 100.",
            "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}}

DESCRIPTION = """Read-only, aggregated results with disclosure control applied: a count of 1 to 4, and any
count that would let one be worked out, is null.

Authenticate with an API token from the staff page /manage/api-tokens/, sent as
`Authorization: Bearer <token>`. Every error is problem details (RFC 9457,
application/problem+json). Each address allows 300 requests a minute (X-RateLimit-* headers;
429 with Retry-After beyond it). Lists are paged with `page` and `per_page`; the `pagination`
object gives the addresses of the next and previous pages. Changes are listed in the changelog
of docs/integrations.md; the version follows semantic versioning, and /api/v1/ keeps working
for every 1.x version."""


def openapi_document(server_url: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "SEND feedback results API", "version": VERSION, "description": DESCRIPTION},
        "servers": [{"url": server_url}],
        "components": {"schemas": SCHEMAS, "securitySchemes": {"token": {
            "type": "http", "scheme": "bearer",
            "description": "An API token (fbk_...) created by staff; it stops working when revoked, when it "
                           "expires, or when the person who created it is no longer active staff."},
            "query_token": {"type": "apiKey", "in": "query", "name": "token",
                            "description": "The same token in the address, for the CSV feed only (for tools that "
                                           "cannot send a header). Addresses end up in logs and histories: use a "
                                           "token made for the feed alone, with a short expiry."}}},
        "paths": {
            "/openapi.json": {"get": {**_get("This API description", "Document", secured=False)["get"]}},
            "/surveys": _get("Survey waves that have results", "SurveyList",
                             [SERIES_FILTER, WAVE_STATUS, PAGE, PER_PAGE]),
            "/surveys/{survey_id}/results": _get("A wave's aggregated results for one view", "WaveResults",
                                                 [SURVEY_ID, VIEW]),
            "/surveys/{survey_id}/questions/{question_id}": _get(
                "One question's answers for the whole wave and by group", "QuestionResults",
                [SURVEY_ID, QUESTION_ID, BREAKDOWN]),
            "/surveys/{survey_id}/themes": _get("Themes in a wave's comments", "Themes", [SURVEY_ID, VIEW]),
            "/series/{series_key}/indicator": _get(
                "The communication-quality indicator wave by wave", "IndicatorSeries", [SERIES_KEY]),
            "/surveys/{survey_id}/feed.csv": _get(
                "Every released count of a wave as CSV, one row per count (for Power BI and Excel)", "Feed",
                [SURVEY_ID], media_type="text/csv", security=[{"token": []}, {"query_token": []}]),
            "/actions": _get("“You said, we did” actions, as the public page shows them", "ActionList",
                             [ACTION_STATUS, ACTION_SURVEY, PAGE, PER_PAGE]),
            "/ideas": _get("Published Youth Forum ideas and their status", "IdeaList", [IDEA_STATUS, PAGE, PER_PAGE]),
        },
    }
