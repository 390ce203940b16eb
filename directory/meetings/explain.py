"""The engine's reasons, gaps, rule checks and referral as sentences in the interface language.

Every sentence says what it is based on: a gap its cause (« aucune ressource répertoriée dans
Filet » is a statement about the directory, never about the region), a distance its basis, a
rule what satisfies it or why it fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from directory.matching.types import Coverage, Gap, GapCause, Reason, Result, RuleCheck
from directory.organisations import labels


def _codes(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable):
        return ", ".join(str(item) for item in value)
    return str(value)


def _km(value: object) -> str:
    return f"{float(value):.0f}" if isinstance(value, int | float) else str(value)


def _load(params: Mapping[str, object]) -> str:
    number = params.get("count", 0)
    return ngettext(
        "Invité %(num)s fois ces 90 derniers jours",
        "Invité %(num)s fois ces 90 derniers jours",
        number if isinstance(number, int) else 0,
    )


def _balance(params: Mapping[str, object]) -> str:
    if params.get("type") == "institutional":
        return _("Équilibre la table : établissement public")
    return _("Équilibre la table : organisme communautaire")


def basis_label(basis: object) -> str:
    """What a distance is measured from: the site, its municipality, or its region."""
    labels_by_basis = {
        "site": _("depuis le site"),
        "municipality": _("depuis le centre de la municipalité"),
        "region": _("depuis le centre de la région desservie"),
    }
    return labels_by_basis.get(str(basis), "")


def _distance(params: Mapping[str, object]) -> str:
    text = _("À %(km)s km", km=_km(params.get("km")))
    basis = basis_label(params.get("basis"))
    return f"{text} ({basis})" if basis else text


def _outside(params: Mapping[str, object]) -> str:
    return _(
        "Hors de son territoire (région %(regions)s) : choisi par l'animatrice",
        regions=_codes(params.get("regions", ())),
    )


_RENDERERS: dict[str, Callable[[Mapping[str, object]], str]] = {
    "covers": lambda p: _("Couvre : %(sectors)s", sectors=_codes(p.get("sectors", ()))),
    "only_one": lambda p: _("Seul organisme admissible pour %(sector)s", sector=p.get("sector")),
    "third_institution": lambda _p: _("ajouté pour atteindre trois organismes distincts"),
    "distance": _distance,
    "unknown_location": lambda _p: _("Distance inconnue : aucun lieu connu pour cet organisme"),
    "remote": lambda _p: _("Participe à distance"),
    "in_region": lambda _p: _("Dans la région"),
    "out_of_region": lambda p: _("Hors région (%(region)s)", region=p.get("region")),
    "recent_load": _load,
    "continuity": lambda _p: _("présent à la rencontre précédente"),
    "unconfirmed_offer": lambda _p: _("offre non confirmée par l'organisme"),
    "balance": _balance,
    "pinned": lambda _p: _("Choisi par l'animatrice"),
    "outside_territory": _outside,
}


def reason(item: Reason) -> str:
    """One reason as a sentence; an unknown code is shown as is rather than dropped."""
    render = _RENDERERS.get(item.code)
    return render(item.params) if render else item.code


def reasons(items: Iterable[Reason]) -> list[str]:
    return [reason(item) for item in items]


def _language(params: Mapping[str, object]) -> str:
    code = str(params.get("language", ""))
    name = labels.language_name(code, str(get_locale() or "fr"))
    return _("aucune ressource admissible n'offre ce secteur en %(language)s", language=name)


def _cap(params: Mapping[str, object]) -> str:
    limit = params.get("limit")
    if limit == "group_size":
        return _(
            "une rencontre à distance ou hybride réunit au plus %(limit)s personnes "
            "(%(file)s au dossier et l'animatrice) : il n'y a plus de place pour cet expert",
            limit=params.get("group_limit"),
            file=params.get("on_file"),
        )
    if limit == "organisation_seat":
        return _(
            "les organismes qui l'offrent siègent déjà à la table pour un autre secteur "
            "(un siège par organisme)"
        )
    return _(
        "le nombre maximal d'experts invités (%(num)s) est atteint : augmentez-le pour "
        "couvrir ce secteur",
        num=params.get("max_experts"),
    )


def _none_in_region(item: Gap) -> str:
    return _(
        "aucune ressource répertoriée dans Filet pour la région %(region)s", region=item.region
    )


def _territorial(item: Gap) -> str:
    return _(
        "aucune ressource répertoriée dans la région %(region)s ; les services territoriaux "
        "d'autres régions (DPJ, police, CISSS/CIUSSS, milieu scolaire) n'agissent que sur leur "
        "propre territoire",
        region=item.region,
    )


_GAPS: dict[GapCause, Callable[[Gap], str]] = {
    GapCause.NONE_IN_REGION: _none_in_region,
    GapCause.TERRITORIAL: _territorial,
    GapCause.POPULATION: lambda _item: _(
        "les services qui l'offrent s'adressent à d'autres personnes que celles qui sont "
        "suivies (population précisée par l'organisme)"
    ),
    GapCause.LANGUAGE: lambda item: _language(item.params),
    GapCause.UNAVAILABLE: lambda _item: _(
        "les ressources qui l'offrent ne participent pas à cette rencontre (offre déclinée "
        "pour cette région ou ce mode, ou capacité des 90 derniers jours atteinte)"
    ),
    GapCause.EXCLUDED: lambda _item: _(
        "les ressources qui l'offrent ont été exclues par l'animatrice"
    ),
    GapCause.CAP_REACHED: lambda item: _cap(item.params),
}


def gap(item: Gap) -> str:
    """Why the sector is a gap, in one sentence (the sector itself is shown beside it)."""
    return _GAPS[item.cause](item)


def blocked_label(cause: GapCause | None, *, remote: bool) -> str:
    """What keeps an alternative from the table, as a short phrase."""
    if cause is None:
        return _("à distance, si la rencontre est hybride ou à distance")
    phrases = {
        GapCause.POPULATION: _("s'adresse à d'autres personnes"),
        GapCause.LANGUAGE: _("n'offre pas la langue de la rencontre"),
        GapCause.UNAVAILABLE: _("ne participe pas (offre déclinée ou capacité atteinte)"),
        GapCause.EXCLUDED: _("exclu par l'animatrice"),
        GapCause.CAP_REACHED: _("admissible, à distance : aucune place libre")
        if remote
        else _("admissible : aucune place libre"),
        GapCause.TERRITORIAL: _("hors de son territoire"),
    }
    return phrases.get(cause, str(cause))


def three_rule(check: RuleCheck) -> str:
    """« Au moins 3 organismes… » with the count and, when it fails, why."""
    text = _(
        "Au moins 3 organismes ou institutions distincts à la table (%(num)s ; les "
        "programmes d'un même CISSS/CIUSSS comptent pour un)",
        num=check.params.get("institutions"),
    )
    if check.met:
        return _rule(text, _("respectée"))
    if check.params.get("why") == "cap":
        why = _("le nombre de places ne permet pas d'inviter assez d'organismes distincts")
    else:
        why = _(
            "aucun autre organisme admissible n'offre un secteur dont la famille a besoin : "
            "personne n'est ajouté seulement pour compléter la table"
        )
    return _rule(text, _("non respectée"), why)


def _rule(text: str, status: str, details: str = "") -> str:
    """« règle : statut (détails) » with the language's own punctuation."""
    line = _("%(rule)s : %(status)s", rule=text, status=status)
    return _("%(line)s (%(details)s)", line=line, details=details) if details else line


def vc_rule(check: RuleCheck) -> str:
    """« VC et au moins une problématique de la famille » with what satisfies it."""
    text = _("VC et au moins une des problématiques de la famille")
    present = _codes(check.params.get("satisfied_by", ()))
    missing = _codes(check.params.get("missing", ()))
    status = _("respectée") if check.met else _("non respectée")
    details = []
    if present:
        details.append(_("à la table : %(sectors)s", sectors=present))
    if missing:
        details.append(_("manque : %(sectors)s", sectors=missing))
    return _rule(text, status, _(" ; ").join(details))


def gap_line(item: Gap) -> str:
    """« PC : aucune ressource répertoriée… », the sector and its gap's cause."""
    return _("%(sector)s : %(message)s", sector=item.sector, message=gap(item))


def search_note(result: Result) -> str | None:
    """Nothing when the panel is proven best; else what the cut-short search may have missed."""
    report = result.search
    if report.exact or report.upper_bound is None:
        return None
    sectors, three, value = report.upper_bound
    covered = sum(1 for state in result.coverage.values() if state is not Coverage.GAP)
    if sectors > covered:
        return ngettext(
            "Recherche écourtée : un autre panel pourrait couvrir jusqu'à %(num)s secteur de plus.",
            "Recherche écourtée : un autre panel pourrait couvrir jusqu'à %(num)s secteurs de "
            "plus.",
            sectors - covered,
        )
    if three and not result.rules.get("min_three_organizations"):
        return _("Recherche écourtée : un autre panel pourrait réunir trois organismes distincts.")
    points = f"{max(0.0, value - result.objective):.1f}"
    # The form follows the whole part of the number shown (« 1.5 point », « 2.0 points »); the
    # English catalogue has "points" in both forms: a number with a decimal takes the plural.
    return ngettext(
        "Recherche écourtée : un autre panel pourrait obtenir un score supérieur d'au plus "
        "%(points)s point.",
        "Recherche écourtée : un autre panel pourrait obtenir un score supérieur d'au plus "
        "%(points)s points.",
        int(float(points)),
        points=points,
    )


def referral() -> str:
    return _(
        "Risque homicidaire imminent : la situation relève de la cellule d'intervention "
        "rapide de la région, pas d'une rencontre de concertation. Communiquez avec elle "
        "sans délai (en cas de danger immédiat, composez le 911)."
    )
