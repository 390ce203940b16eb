"""The questionnaire's wording (the report's, in French, translated) and its answers' labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# The questions as the online form asks them (the report's items).
QUESTIONS = {
    "security": _l(
        "Cette rencontre a-t-elle permis de répondre aux enjeux de sécurité des femmes et des "
        "enfants ?"
    ),
    "practice": _l("Cette rencontre améliore-t-elle votre pratique ?"),
    "strategy": _l("La concertation clinique est-elle une stratégie à développer ?"),
    "knowledge": _l(
        "Jusqu'à quel point cette rencontre a-t-elle amélioré votre connaissance de la "
        "problématique (concomitance de violence conjugale et d'une autre problématique) ?"
    ),
    "understanding": _l(
        "Avez-vous une meilleure compréhension des enjeux liés à la violence conjugale (avec "
        "une autre problématique) ?"
    ),
    "partners": _l("Avez-vous une meilleure connaissance du mandat des partenaires ?"),
    "s1": _l("Pertinence des discussions pour ma pratique professionnelle"),
    "s2": _l("Liberté d'expression (je me sens à l'aise d'émettre mes idées)"),
    "s3": _l("Sentiment que mon expertise et ma compétence professionnelle sont reconnues"),
    "s4": _l(
        "L'expertise et la compétence professionnelle des autres me semblent reconnues "
        "(absence du sentiment que certain·e·s sont plus expert·e·s que d'autres)"
    ),
    "s5": _l(
        "Ouverture du groupe à entendre et à respecter des idées, opinions ou commentaires "
        "divergents"
    ),
    "s6": _l("Ma contribution à la discussion"),
    "s7": _l("Contribution de l'animatrice à ce que chacun·e puisse s'exprimer suffisamment"),
    "divergence": _l("Y a-t-il eu des divergences pendant la rencontre ?"),
}

# Short labels for table rows and charts (Tableau 5's wording for the outcomes).
SHORT = {
    "security": _l("Répond aux enjeux de sécurité"),
    "practice": _l("Améliore les pratiques"),
    "strategy": _l("Constitue une stratégie à développer"),
    "knowledge": _l("Connaissance de la problématique"),
    "understanding": _l("Compréhension des enjeux de VC"),
    "partners": _l("Connaissance du mandat des partenaires"),
    "s1": _l("Pertinence des discussions"),
    "s2": _l("Liberté d'expression"),
    "s3": _l("Mon expertise reconnue"),
    "s4": _l("L'expertise des autres reconnue"),
    "s5": _l("Ouverture du groupe"),
    "s6": _l("Ma contribution"),
    "s7": _l("Contribution de l'animatrice"),
    "divergence": _l("Divergences"),
}

ANSWERS = {
    "oui": _l("Oui"),
    "non": _l("Non"),
    "incertain": _l("Peut-être ou ne sais pas"),
    "beaucoup": _l("Beaucoup"),
    "moyennement": _l("Moyennement"),
    "un_peu": _l("Un peu"),
    "pas_du_tout": _l("Pas du tout"),
    "tres_satisfaisant": _l("Très satisfaisant"),
    "satisfaisant": _l("Satisfaisant"),
    "peu_satisfaisant": _l("Peu satisfaisant"),
    "insatisfaisant": _l("Insatisfaisant"),
}

ROLES = {
    "on_file": _l("Intervenant·e au dossier"),
    "referrer": _l("Intervenant·e référent·e (au dossier)"),
    "external_expert": _l("Experte ou expert externe"),
}

ROUNDS = {"first": _l("Première rencontre"), "follow_up": _l("Rencontre de suivi")}

MEETING_TYPES = {"concertation": _l("Concertation"), "consultation": _l("Consultation")}

SECTOR_GROUPS = {
    "VCF": _l("Violence conjugale femme (VCF)"),
    "VCH": _l("Violence conjugale homme (VCH)"),
    "MT": _l("Maltraitance des enfants (MT)"),
    "PSM": _l("Problèmes de santé mentale (PSM)"),
    "PC": _l("Problèmes de consommation (PC)"),
    "AUTRES": _l("Autres (milieu scolaire, policier, déficience intellectuelle, santé, etc.)"),
}

DIMENSIONS = {
    "by_sector": _l("selon l'organisme de rattachement"),
    "by_cooccurrence": _l("selon le type de cooccurrence"),
    "by_role": _l("selon le rôle"),
}


def answer(code: str) -> str:
    return str(ANSWERS.get(code, code))
