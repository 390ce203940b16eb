"""The engine's reasons, gaps and referral as sentences in the interface language."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from flask_babel import gettext as _

from directory.matching.types import Gap, Reason


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
    if number == 1:
        return _("Invité 1 fois ces 90 derniers jours")
    return _("Invité %(num)s fois ces 90 derniers jours", num=number)


def _balance(params: Mapping[str, object]) -> str:
    if params.get("type") == "institutional":
        return _("Équilibre la table : établissement public")
    return _("Équilibre la table : organisme communautaire")


_RENDERERS: dict[str, Callable[[Mapping[str, object]], str]] = {
    "covers": lambda p: _("Couvre : %(sectors)s", sectors=_codes(p.get("sectors", ()))),
    "only_one": lambda p: _("Seul organisme admissible pour %(sector)s", sector=p.get("sector")),
    "distance": lambda p: _("À %(km)s km", km=_km(p.get("km"))),
    "remote": lambda _p: _("Participe à distance"),
    "in_region": lambda _p: _("Dans la région"),
    "out_of_region": lambda p: _("Hors région (%(region)s)", region=p.get("region")),
    "recent_load": _load,
    "continuity": lambda _p: _("Présent à la rencontre précédente"),
    "unconfirmed_offer": lambda _p: _("offre non confirmée par l'organisme"),
    "balance": _balance,
    "pinned": lambda _p: _("Choisi par l'animatrice"),
}


def reason(item: Reason) -> str:
    """One reason as a sentence; an unknown code is shown as is rather than dropped."""
    render = _RENDERERS.get(item.code)
    return render(item.params) if render else item.code


def reasons(items: Iterable[Reason]) -> list[str]:
    return [reason(item) for item in items]


def gap(item: Gap) -> str:
    """ "PC : aucune ressource dans la région 02", with the remote options when there are."""
    message = _(
        "%(sector)s : aucune ressource dans la région %(region)s",
        sector=item.sector,
        region=item.region,
    )
    if item.remote_options:
        names = ", ".join(option.organisation.name for option in item.remote_options)
        message += " " + _("(à distance : %(names)s)", names=names)
    return message


def referral() -> str:
    return _(
        "Risque homicidaire imminent : la situation relève de la cellule d'intervention "
        "rapide de la région, pas d'une rencontre de concertation. Communiquez avec elle "
        "sans délai (en cas de danger immédiat, composez le 911)."
    )
