"""The OpenAPI 3.1 document for /api/v1/. Tests validate every response against it."""

NULLABLE_INT = {"type": ["integer", "null"]}
NULLABLE_NUMBER = {"type": ["number", "null"]}
NULLABLE_STRING = {"type": ["string", "null"]}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {"type": "object", "properties": properties, "required": required or list(properties),
            "additionalProperties": False}


SCHEMAS = {
    "Error": _object({"error": {"type": "string"}}),
    "Wave": _object({
        "id": {"type": "integer"}, "slug": {"type": "string"}, "title": {"type": "string"},
        "series_key": {"type": "string"}, "wave_number": {"type": "integer"}, "wave_label": {"type": "string"},
        "status": {"type": "string", "enum": ["open", "closed", "archived"]},
        "opens_at": {"type": "string", "format": "date-time"}, "closes_at": {"type": "string", "format": "date-time"},
        "responses": {**NULLABLE_INT, "description": "Submitted responses; null when fewer than 5."},
    }),
    "SurveyList": _object({"surveys": {"type": "array", "items": {"$ref": "#/components/schemas/Wave"}}}),
    "Indicator": _object({
        "value": NULLABLE_NUMBER, "low": NULLABLE_NUMBER, "high": NULLABLE_NUMBER,
        "band": {"type": ["string", "null"], "enum": ["good", "improving", "needs action", None]},
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
        "band": NULLABLE_STRING, "withheld": NULLABLE_STRING, "change": NULLABLE_NUMBER,
        "significant": {"type": "boolean"}, "method_version": {"type": "string"},
    }),
    "IndicatorSeries": _object({
        "series_key": {"type": "string"}, "trend": {"type": ["string", "null"], "enum": ["rising", "falling", None]},
        "waves": {"type": "array", "items": {"$ref": "#/components/schemas/IndicatorPoint"}},
    }),
}


def _get(summary: str, schema: str, parameters: list | None = None) -> dict:
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {"get": {
        "summary": summary, "security": [{"token": []}], "parameters": parameters or [],
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}},
            "401": {"description": "No valid API token", **error},
            "404": {"description": "Not found", **error},
        },
    }}


SURVEY_ID = {"name": "survey_id", "in": "path", "required": True, "schema": {"type": "integer"}}
VIEW = {"name": "view", "in": "query", "required": False,
        "description": "'all' (default) or a group such as 'locality:Norwich'; see dimensions in the results.",
        "schema": {"type": "string"}}


def openapi_document(server_url: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "SEND feedback results API", "version": "1.0.0",
                 "description": "Read-only, aggregated results with disclosure control applied: a count of 1 to 4, "
                                "and any count that would let one be worked out, is null."},
        "servers": [{"url": server_url}],
        "components": {"schemas": SCHEMAS, "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
        "paths": {
            "/surveys": _get("Survey waves that have results", "SurveyList"),
            "/surveys/{survey_id}/results": _get("A wave's aggregated results for one view", "WaveResults",
                                                 [SURVEY_ID, VIEW]),
            "/surveys/{survey_id}/themes": _get("Themes in a wave's comments", "Themes", [SURVEY_ID, VIEW]),
            "/series/{series_key}/indicator": _get(
                "The communication-quality indicator wave by wave", "IndicatorSeries",
                [{"name": "series_key", "in": "path", "required": True, "schema": {"type": "string"}}]),
        },
    }
