"""Display labels for audit entries (translated lazily)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "create": _l("Ajout"),
    "update": _l("Modification"),
    "archive": _l("Archivage"),
    "restore": _l("Rétablissement"),
    "revert": _l("Annulation d'une modification"),
    "verify": _l("Confirmation d'exactitude"),
    "publish": _l("Publication"),
    "approve": _l("Approbation"),
    "reject": _l("Refus"),
    "release_request": _l("Demande de rendre public un lieu confidentiel"),
    "release_approve": _l("Lieu confidentiel rendu public (approuvé)"),
    "release_reject": _l("Demande de rendre public refusée"),
}
ENTITY_LABELS = {
    "organisation": _l("Organisme"),
    "service": _l("Service"),
    "location": _l("Lieu"),
    "contact": _l("Personne-ressource"),
    "phone": _l("Téléphone"),
    "expertise_offer": _l("Offre d'expertise"),
    "expert": _l("Expert"),
    "account_request": _l("Demande de compte"),
}
# Fields no edit form shows (the forms' own labels name the others).
FIELD_LABELS = {
    "archived_at": _l("Date d'archivage"),
    "verification_status": _l("État de la vérification"),
    "last_verified_at": _l("Date de la vérification"),
    "last_verified_by": _l("Vérifiée par"),
    "published": _l("Publiée"),
}
# Stored codes of those fields, as people read them (the forms' choices name the others).
VALUE_LABELS = {
    "verification_status": {"unverified": _l("Non vérifiée"), "verified": _l("Vérifiée")},
}
