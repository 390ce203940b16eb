"""What the meeting codes read as, in French (English through the translations)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from directory.core.i18n import current_language
from directory.meetings import calendar
from directory.meetings.models import Meeting

SCHEDULE_MODES = {
    "in_person": _l("En personne"),
    "video": _l("Visioconférence"),
    "phone": _l("Téléphone (conférence)"),
}
MEETING_STATUSES = {
    "planned": _l("Planifiée (invitations non envoyées)"),
    "invited": _l("Invitations envoyées"),
    "held": _l("Tenue"),
    "cancelled": _l("Annulée"),
}
ROUNDS = {"first": _l("Première rencontre"), "follow_up": _l("Rencontre de suivi")}
INVITATION_STATUSES = {
    "pending": _l("En attente de réponse"),
    "accepted": _l("Acceptée"),
    "declined": _l("Déclinée"),
    "replaced": _l("Déclinée, remplacée"),
    "manual": _l("À joindre par téléphone"),
}
REPLY_REASONS = {
    "not_available": _l("Pas disponible à cette date"),
    "not_my_field": _l("Hors de mon champ d'expertise"),
    "conflict_of_interest": _l("Conflit d'intérêts"),
}
ACTION_STATUSES = {
    "in_progress": _l("En cours"),
    "done": _l("Faite"),
    "dropped": _l("Abandonnée"),
}
GAP_CAUSES = {
    "none_in_region": _l("aucune ressource répertoriée dans la région"),
    "territorial": _l("services territoriaux d'autres régions seulement"),
    "population": _l("services destinés à d'autres personnes"),
    "language": _l("langue de la rencontre non offerte"),
    "unavailable": _l("ressources indisponibles (offre déclinée ou capacité atteinte)"),
    "excluded": _l("ressources exclues"),
    "cap_reached": _l("nombre maximal de participants atteint"),
}


def label(table: dict[str, object], code: str | None) -> str:
    if code is None:
        return "—"
    return str(table.get(code, code))


def meeting_summary(meeting: Meeting) -> str:
    """« Rencontre de concertation — Filet (Saguenay–Lac-Saint-Jean) »."""
    return calendar.summary(meeting, current_language())


def context() -> dict[str, object]:
    """The label helpers the meeting templates use."""
    return {
        "schedule_mode_label": lambda code: label(SCHEDULE_MODES, code),
        "meeting_status_label": lambda code: label(MEETING_STATUSES, code),
        "round_label": lambda code: label(ROUNDS, code),
        "invitation_status_label": lambda code: label(INVITATION_STATUSES, code),
        "reply_reason_label": lambda code: label(REPLY_REASONS, code),
        "reply_reasons": REPLY_REASONS,
        "action_status_label": lambda code: label(ACTION_STATUSES, code),
        "gap_cause_label": lambda code: label(GAP_CAUSES, code),
        "meeting_summary": meeting_summary,
        "meeting_place": calendar.where,
    }
