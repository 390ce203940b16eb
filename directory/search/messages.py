"""What the notices of a search say, in the interface language (pages and API alike)."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import ngettext

from directory.search.results import Notice


def _partial(_notice: Notice) -> str:
    return _("Résultats partiels : ne correspondent pas à tous vos mots")


def _place_without_match(notice: Notice) -> str:
    if notice.count:
        return _(
            "Aucune ressource répertoriée à %(place)s pour ce besoin ; voici les plus proches",
            place=notice.place,
        )
    return _("Aucune ressource répertoriée à %(place)s pour ce besoin.", place=notice.place)


def _out_of_scope(notice: Notice) -> str:
    return _(
        "« %(terms)s » : ce besoin n'est pas couvert par ce répertoire, consacré à la violence"
        " conjugale et aux problèmes qui l'accompagnent. Le 211 oriente vers les ressources"
        " communautaires et sociales de votre région : composez le 2-1-1.",
        terms=" ; ".join(notice.terms),
    )


def _radius_empty(notice: Notice) -> str:
    return ngettext(
        "Aucun résultat à moins de %(km)s km de %(place)s : le seul résultat est plus loin."
        " Voici le plus proche.",
        "Aucun résultat à moins de %(km)s km de %(place)s : les %(num)d résultats sont plus"
        " loin. Voici les plus proches.",
        notice.count or 0,
        km=f"{notice.radius_km or 0:g}",
        place=notice.place,
    )


def _beyond_radius(notice: Notice) -> str:
    return ngettext(
        "%(num)d autre résultat est à plus de %(km)s km de %(place)s.",
        "%(num)d autres résultats sont à plus de %(km)s km de %(place)s.",
        notice.count or 0,
        km=f"{notice.radius_km or 0:g}",
        place=notice.place,
    )


MESSAGES: dict[str, Callable[[Notice], str]] = {
    "partial": _partial,
    "place_without_match": _place_without_match,
    "out_of_scope": _out_of_scope,
    "radius_empty": _radius_empty,
    "beyond_radius": _beyond_radius,
}


def notice_message(notice: Notice) -> str:
    return MESSAGES[notice.code](notice)
