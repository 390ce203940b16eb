"""The OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.json`.

Kept true by tests: every route of the blueprint is described here, and schemathesis
calls each operation with generated input and checks the answers against this document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from directory.api import openapi_meetings
from directory.core.params import MAX_PAGE
from directory.organisations import queries
from directory.search.params import MAX_RADIUS_KM

Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


STRING = {"type": "string"}
IDS = {"type": "array", "items": STRING}


def _error(description: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _ok(description: str, schema: Schema) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    "400": _error("Invalid input; `error.parameter` names the parameter or field at fault."),
    "404": _error("Unknown resource or route."),
    "405": _error("Method not allowed on this route."),
    "413": _error("Request body too large."),
}
WRITE_ERRORS = {
    **ERRORS,
    "401": _error("Authentication required, or the bearer token is invalid or revoked."),
    "403": _error("The caller's role may not do this."),
}


def _query(name: str, schema: Schema, description: str) -> Schema:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}  # fmt: skip


def _filter(name: str, schema: Schema, description: str) -> Schema:
    """A filter: empty means none (what an HTML form's blank choice sends)."""
    return _query(
        name, {"anyOf": [schema, {"const": ""}]}, f"{description} An empty value counts as absent."
    )


PAGE = _filter("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "Page number.")
PER_PAGE = _filter(
    "per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "Items per page (≤ 100)."
)
IDENTIFIER = {
    "name": "identifier",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "minLength": 1, "maxLength": 160},
    "description": "The organisation's id (UUID) or slug.",
}
PUBLIC: list[dict[str, list[str]]] = [{}, {"bearerAuth": []}, {"cookieAuth": []}]
SIGNED_IN: list[dict[str, list[str]]] = [{"bearerAuth": []}, {"cookieAuth": []}]


def _schemas(codes: Codes) -> dict[str, Schema]:
    reference = {
        "type": "object",
        "required": ["id", "slug", "name"],
        "properties": {"id": STRING, "slug": STRING, "name": STRING},
    }
    site = {
        "type": "object",
        "description": "A confidential site has `address` null and `postal_code` cut to its "
        "first three characters; coordinates are never given.",
        "required": ["municipality", "region", "postal_code", "address", "confidential"],
        "properties": {
            "municipality": _nullable(STRING),
            "region": STRING,
            "postal_code": _nullable(STRING),
            "address": _nullable(STRING),
            "confidential": {"type": "boolean"},
        },
    }
    service = {
        "type": "object",
        "required": ["id", "name", "sectors", "populations", "languages", "modes"],
        "properties": {"id": STRING, "name": STRING, "sectors": IDS, "populations": IDS,
                       "languages": IDS, "modes": IDS},
    }  # fmt: skip
    organisation = {
        "type": "object",
        "required": ["id", "slug", "name", "type", "regions", "sectors", "services", "sites"],
        "properties": {
            "id": STRING,
            "slug": STRING,
            "name": STRING,
            "alternate_name": _nullable(STRING),
            "type": {"type": "string", "enum": ["community", "institutional"]},
            "parent": _nullable(_ref("OrganizationRef")),
            "regions": IDS,
            "sectors": IDS,
            "municipality": _nullable(STRING),
            "verification_status": STRING,
            "verified_at": _nullable(STRING),
            "services": {"type": "array", "items": _ref("Service")},
            "sites": {"type": "array", "items": _ref("Site")},
            "version": {"type": "integer"},
        },
    }
    return {
        "Error": _error_schema(),
        "OrganizationRef": reference,
        "Site": site,
        "Service": service,
        "Organization": organisation,
        "OrganizationPage": _page_of(_ref("Organization"), "items"),
        "OrganizationChange": _change_schema(),
        "SearchHit": _hit_schema(),
        "SearchResult": _search_schema(),
        "MatchRequest": _match_request_schema(codes),
        "MatchResult": _match_result_schema(),
        **openapi_meetings.schemas(),
    }


def _error_schema() -> Schema:
    return {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["status", "message"],
                "properties": {
                    "status": {"type": "integer"},
                    "message": STRING,
                    "parameter": {
                        "type": "string",
                        "description": "The query parameter, path part, header or body field "
                        "at fault (`body` for the body as a whole).",
                    },
                },
            },
            "current": {"description": "On a 409: the record's values now, with its version."},
        },
    }


def _page_of(item: Schema, key: str) -> Schema:
    return {
        "type": "object",
        "required": ["total", "page", "per_page", key],
        "properties": {
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            key: {"type": "array", "items": item},
        },
    }


def _change_schema() -> Schema:
    return {
        "type": "object",
        "required": ["version"],
        "additionalProperties": False,
        "properties": {
            "version": {"type": "integer", "description": "The version the change is based on."},
            "name": {"type": "string", "minLength": 1, "maxLength": 255},
            "alternate_name": _nullable({"type": "string", "maxLength": 120}),
            "description": _nullable({"type": "string", "maxLength": 5000}),
            "type": {"type": "string", "enum": ["community", "institutional"]},
            "email": _nullable({"type": "string", "format": "email"}),
            "website": _nullable({"type": "string", "format": "uri"}),
        },
    }


def _hit_schema() -> Schema:
    return {
        "type": "object",
        "required": ["organization", "service", "regions", "sectors", "distance_km", "score"],
        "properties": {
            "organization": _ref("OrganizationRef"),
            "service": _nullable({"type": "object"}),
            "regions": IDS,
            "sectors": IDS,
            "municipality": _nullable(STRING),
            "distance_km": _nullable({"type": "number"}),
            "remote_available": {"type": "boolean"},
            "score": {"type": "number"},
            "highlights": {},
        },
    }


def _search_schema() -> Schema:
    page = _page_of(_ref("SearchHit"), "results")
    page["required"] = [*page["required"], "corrected_query", "remote_results", "facets"]
    page["properties"].update(
        {
            "corrected_query": _nullable(STRING),
            "remote_results": {"type": "array", "items": _ref("SearchHit")},
            "facets": {"type": "object"},
        }
    )
    return page


def _match_request_schema(codes: Codes) -> Schema:
    return {
        "type": "object",
        "required": ["region", "cooccurrences", "followed"],
        "additionalProperties": False,
        "properties": {
            "region": {"enum": codes.regions},
            "municipality": _nullable(STRING),
            "cooccurrences": {"type": "array", "items": {"enum": ["PSM", "PC", "MT"]}},
            "followed": {"type": "array", "items": {"enum": ["victim", "author"]}},
            "other_needs": {"type": "array", "items": {"enum": codes.sectors}},
            "on_file_organization_ids": IDS,
            "exclude_organization_ids": IDS,
            "meeting_type": {"enum": ["concertation", "consultation"]},
            "mode": {"enum": ["in_person", "remote", "hybrid"]},
            "language": STRING,
            "max_experts": {"type": "integer", "minimum": 1, "maximum": 8},
            "previous_meeting_id": _nullable(STRING),
            "imminent_risk": {"type": "boolean"},
        },
    }


def _match_result_schema() -> Schema:
    return {
        "type": "object",
        "required": ["panel", "coverage", "gaps", "rules", "referral"],
        "properties": {
            "panel": {"type": "array", "items": {"type": "object"}},
            "coverage": {"type": "object"},
            "gaps": {"type": "array", "items": {"type": "object"}},
            "organizations_at_table": {"type": "integer"},
            "rules": {"type": "object"},
            "referral": _nullable({"type": "object"}),
        },
    }


@dataclass(frozen=True)
class Codes:
    """The stable codes of the reference data, as enums (read from the database)."""

    regions: list[str]
    sectors: list[str]
    populations: list[str]

    @classmethod
    def load(cls) -> Codes:
        return cls(
            regions=[region.code for region in queries.regions()],
            sectors=[sector.code for sector in queries.sectors()],
            populations=[population.code for population in queries.populations()],
        )


def _paths(codes: Codes) -> dict[str, Schema]:
    region = _filter("region", {"enum": codes.regions}, "Region code (01–17).")
    sector = _filter("sector", {"enum": codes.sectors}, "Sector code (VCF, VCH, MT, PSM, PC, …).")
    search_parameters = [
        _query("q", STRING, "What the person is looking for (its first 200 characters)."),
        region,
        sector,
        _filter("population", {"enum": codes.populations}, "Population served."),
        _filter("language", {"type": "string", "pattern": "^[a-z]{2,3}$"}, "ISO 639 code."),
        _filter("mode", {"enum": ["in_person", "phone", "video", "chat"]}, "Service mode."),
        _filter("type", {"enum": ["community", "institutional"]}, "Organisation type."),
        _filter("near", {"type": "string", "maxLength": 100}, "Municipality or postal code."),
        _filter(
            "radius_km",
            {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_RADIUS_KM},
            "Radius around `near` (needs `near`).",
        ),
        _filter("sort", {"enum": ["relevance", "distance"]}, "Order (distance needs `near`)."),
        PAGE,
        PER_PAGE,
    ]
    return {
        "/api/v1/organizations": {
            "get": {
                "operationId": "listOrganizations",
                "summary": "Public organisations, filtered and paginated.",
                "security": PUBLIC,
                "parameters": [
                    _query("q", STRING, "Words of the name or acronym (all must match)."),
                    region,
                    sector,
                    PAGE,
                    PER_PAGE,
                ],
                "responses": {
                    "200": _ok("A page of organisations.", _ref("OrganizationPage")),
                    **ERRORS,
                },
            }
        },
        "/api/v1/organizations/{identifier}": {
            "get": {
                "operationId": "getOrganization",
                "summary": "One organisation (unpublished ones only for their editors).",
                "security": PUBLIC,
                "parameters": [IDENTIFIER],
                "responses": {"200": _ok("The organisation.", _ref("Organization")), **ERRORS},
            },
            "patch": {
                "operationId": "updateOrganization",
                "summary": "Change an organisation's own fields (its editors and admins).",
                "description": "Send the `version` read with the record; a stale one is a 409 "
                "carrying the current values. With the session cookie, the `X-CSRFToken` "
                "header is required.",
                "security": SIGNED_IN,
                "parameters": [IDENTIFIER],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("OrganizationChange")}},
                },
                "responses": {
                    "200": _ok("The organisation with its new version.", _ref("Organization")),
                    "409": _error("The record changed since `version`; `current` holds it."),
                    **WRITE_ERRORS,
                },
            },
        },
        "/api/v1/search": {
            "get": {
                "operationId": "search",
                "summary": "Full-text search of services, with filters, distance and facets.",
                "security": PUBLIC,
                "parameters": search_parameters,
                "responses": {
                    "200": _ok("A page of results.", _ref("SearchResult")),
                    "503": _error("The search index is not available yet."),
                    **ERRORS,
                },
            }
        },
        "/api/v1/suggest": {
            "get": {
                "operationId": "suggest",
                "summary": "Organisation names starting like `q` (autocompletion).",
                "security": PUBLIC,
                "parameters": [_query("q", STRING, "The name's start (its first 100 characters).")],
                "responses": {
                    "200": _ok(
                        "Up to 8 suggestions.",
                        {
                            "type": "object",
                            "required": ["suggestions"],
                            "properties": {
                                "suggestions": {"type": "array", "items": {"type": "object"}}
                            },
                        },
                    ),
                    **ERRORS,
                },
            }
        },
        "/api/v1/match": {
            "post": {
                "operationId": "match",
                "summary": "Propose external experts for a case described by codes "
                "(facilitators and admins).",
                "security": SIGNED_IN,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("MatchRequest")}},
                },
                "responses": {
                    "200": _ok(
                        "The proposed panel, coverage, gaps and rules.", _ref("MatchResult")
                    ),
                    **WRITE_ERRORS,
                },
            }
        },
        "/api/v1/reports/evaluation": {
            "get": {
                "operationId": "evaluationReport",
                "summary": "The evaluation report's tables over the questionnaires "
                "(facilitators and admins).",
                "security": SIGNED_IN,
                "parameters": [
                    region,
                    _filter("from", {"type": "string", "format": "date"}, "Meetings from."),
                    _filter("to", {"type": "string", "format": "date"}, "Meetings until."),
                    _filter("meeting_type", {"enum": ["concertation", "consultation"]}, "Type."),
                    _filter("round", {"enum": ["first", "follow_up"]}, "First or follow-up."),
                ],
                "responses": {
                    "200": _ok(
                        "Counts and percentages of every table; a percentage with no valid "
                        "answer is null.",
                        {
                            "type": "object",
                            "required": ["questionnaires", "meetings", "participation"],
                        },
                    ),
                    **WRITE_ERRORS,
                },
            }
        },
        "/api/v1/reports/coverage": {
            "get": {
                "operationId": "coverageReport",
                "summary": "Organisations per region and sector (an institution counts once); "
                "the gaps recorded by meetings for signed-in callers, else null.",
                "security": PUBLIC,
                "responses": {
                    "200": _ok(
                        "Per region code, per sector code: organizations, meeting_gaps.",
                        {"type": "object", "required": ["regions"]},
                    ),
                    **ERRORS,
                },
            }
        },
        "/api/v1/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document.",
                "security": PUBLIC,
                "responses": {"200": _ok("OpenAPI 3.1.", {"type": "object"})},
            }
        },
        **openapi_meetings.paths(),
    }


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of `/api/v1`."""
    codes = Codes.load()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Filet — répertoire régional en violence conjugale",
            "version": "1",
            "description": "The public directory (organisations, search) and, for signed-in "
            "editors, facilitators and admins, listing edits and expert matching. Errors are "
            '`{"error": {"status", "message", "parameter"}}`.',
        },
        "servers": [{"url": "/"}],
        "paths": _paths(codes),
        "components": {
            "schemas": _schemas(codes),
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal token (`flask user token EMAIL`).",
                },
                "cookieAuth": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "session",
                    "description": "The signed-in browser's session.",
                },
            },
        },
    }
