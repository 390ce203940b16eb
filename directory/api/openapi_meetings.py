"""The OpenAPI description of `/api/v1/meetings` (see `directory/api/meetings.py`)."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

_STRING = {"type": "string"}
_UUID = {"type": "string", "format": "uuid"}


def _nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


_ERRORS = {
    "400": _error("Invalid input; `error.parameter` names the field at fault."),
    "401": _error("Authentication required, or the bearer token is invalid or revoked."),
    "403": _error("The caller's role may not do this (editors)."),
    "404": _error("Unknown meeting, or another facilitator's."),
    "405": _error("Method not allowed on this route."),
    "409": _error("The meeting changed meanwhile (stale `version`), or is closed."),
    "413": _error("Request body too large."),
}
_VERSION = {"type": "integer", "description": "The meeting's `version` as read; stale: 409."}
_SCHEDULE = {
    "duration_minutes": {"type": "integer", "minimum": 15, "maximum": 480},
    "mode": {"enum": ["in_person", "video", "phone"]},
    "location": _nullable({"type": "string", "maxLength": 300}),
    "video_url": _nullable({"type": "string", "maxLength": 500}),
    "bridge_number": _nullable({"type": "string", "maxLength": 40}),
}
_MEETING_ID = {
    "name": "meeting_id",
    "in": "path",
    "required": True,
    "schema": _UUID,
    "description": "The meeting's id.",
}


def _body(properties: Schema, required: list[str]) -> Schema:
    schema = {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _answer(description: str, status: str = "200") -> Schema:
    return {
        status: {
            "description": description,
            "content": {"application/json": {"schema": _ref("Meeting")}},
        },
        **_ERRORS,
    }


def schemas() -> dict[str, Schema]:
    organization = {
        "type": "object",
        "required": ["id", "slug", "name"],
        "properties": {"id": _STRING, "slug": _STRING, "name": _STRING},
    }
    invitation = {
        "type": "object",
        "required": ["id", "organization", "expert", "status", "replacement_for"],
        "properties": {
            "id": _STRING,
            "organization": organization,
            "expert": _nullable({"type": "object"}),
            "status": {"enum": ["pending", "accepted", "declined", "replaced", "manual"]},
            "replacement_for": _nullable(_STRING),
        },
    }
    meeting = {
        "type": "object",
        "required": [
            "id",
            "type",
            "round",
            "follow_up_of",
            "status",
            "starts_at",
            "duration_minutes",
            "mode",
            "invitations",
            "replacement_proposals",
            "actions",
            "gaps",
            "version",
        ],
        "properties": {
            "id": _STRING,
            "type": {"enum": ["concertation", "consultation"]},
            "round": {"enum": ["first", "follow_up"]},
            "follow_up_of": _nullable(_STRING),
            "status": {"enum": ["planned", "invited", "held", "cancelled"]},
            "starts_at": _nullable(_STRING),
            "duration_minutes": _nullable({"type": "integer"}),
            "mode": _nullable({"enum": ["in_person", "video", "phone"]}),
            "invitations": {"type": "array", "items": invitation},
            "replacement_proposals": {"type": "array", "items": {"type": "object"}},
            "actions": {"type": "array", "items": {"type": "object"}},
            "gaps": {"type": "array", "items": {"type": "object"}},
            "version": {"type": "integer"},
        },
    }
    return {"Meeting": meeting}


def _post(operation: str, summary: str, body: Schema, answer: Schema) -> Schema:
    return {
        "post": {
            "operationId": operation,
            "summary": summary,
            "security": [{"bearerAuth": []}, {"cookieAuth": []}],
            "parameters": [_MEETING_ID],
            "requestBody": body,
            "responses": answer,
        }
    }


def paths() -> dict[str, Schema]:
    base = "/api/v1/meetings/{meeting_id}"
    signed_in: list[dict[str, list[str]]] = [{"bearerAuth": []}, {"cookieAuth": []}]
    plan = {
        "case": {"type": "object", "description": "The body of POST /api/v1/match."},
        "panel": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["organization_id"],
                "additionalProperties": False,
                "properties": {"organization_id": _UUID, "expert_id": _nullable(_UUID)},
            },
        },
        "starts_at": {"type": "string", "format": "date-time"},
        **_SCHEDULE,
        "consents_attested": {"type": "boolean"},
        "consents_signed_on": _nullable({"type": "string", "format": "date"}),
    }
    return {
        "/api/v1/meetings": {
            "post": {
                "operationId": "planMeeting",
                "summary": "Plan a meeting: the case, the confirmed panel and the schedule "
                "(facilitators and admins).",
                "security": signed_in,
                "requestBody": _body(plan, ["case", "panel", "starts_at", "mode"]),
                "responses": _answer("The planned meeting.", "201"),
            }
        },
        base: {
            "get": {
                "operationId": "getMeeting",
                "summary": "A meeting with its invitations, replacement proposals, action "
                "paths and gaps.",
                "security": signed_in,
                "parameters": [_MEETING_ID],
                "responses": _answer("The meeting."),
            },
            "patch": {
                "operationId": "rescheduleMeeting",
                "summary": "Change the date, length, mode or place; invitees get an update "
                "(SEQUENCE + 1).",
                "security": signed_in,
                "parameters": [_MEETING_ID],
                "requestBody": _body(
                    {
                        "version": _VERSION,
                        "starts_at": {"type": "string", "format": "date-time"},
                        **_SCHEDULE,
                    },
                    ["version"],
                ),
                "responses": _answer("The meeting."),
            },
        },
        f"{base}/invitations": _post(
            "sendInvitations",
            "E-mail the invitations not sent yet (with an iCalendar REQUEST).",
            _body({"version": _VERSION}, []),
            _answer("The meeting, now invited."),
        ),
        f"{base}/invitations/{{invitation_id}}/reply": {
            "post": {
                "operationId": "recordReply",
                "summary": "Record an answer given by phone.",
                "security": signed_in,
                "parameters": [
                    _MEETING_ID,
                    {"name": "invitation_id", "in": "path", "required": True, "schema": _UUID},
                ],
                "requestBody": _body(
                    {
                        "status": {"enum": ["accepted", "declined"]},
                        "reason": _nullable(
                            {"enum": ["not_available", "not_my_field", "conflict_of_interest"]}
                        ),
                        "version": _VERSION,
                    },
                    ["status"],
                ),
                "responses": _answer("The meeting."),
            }
        },
        f"{base}/replace": _post(
            "replaceInvitation",
            "Give a declined seat to the engine's replacement and invite it.",
            _body({"invitation_id": _UUID, "version": _VERSION}, ["invitation_id"]),
            _answer("The meeting."),
        ),
        f"{base}/cancel": _post(
            "cancelMeeting",
            "Cancel the meeting; invitees get an iCalendar CANCEL.",
            _body({"version": _VERSION}, []),
            _answer("The cancelled meeting."),
        ),
        f"{base}/follow-up": _post(
            "planFollowUp",
            "Plan the follow-up of a first meeting (6 weeks later by default).",
            _body(
                {"starts_at": {"type": "string", "format": "date-time"}, "version": _VERSION}, []
            ),
            _answer("The follow-up meeting.", "201"),
        ),
        f"{base}/record": _post(
            "recordMeeting",
            "Record the held meeting: attendance, action paths, gaps.",
            _body(
                {
                    "attendance": {"type": "object", "additionalProperties": {"type": "boolean"}},
                    "actions": {"type": "array", "items": {"type": "object"}},
                    "gaps": {"type": "array", "items": {"type": "object"}},
                    "previous_actions": {"type": "object"},
                    "version": _VERSION,
                },
                ["attendance"],
            ),
            _answer("The held meeting."),
        ),
    }
