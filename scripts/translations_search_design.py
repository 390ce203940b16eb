"""English for the search pages on the design system: the filter panel, result cards, the
short list and its handout (see scripts/apply_translations.py)."""

T = {
    "%(num)s actif": ("%(num)s active", "%(num)s active"),
    "Ajouter d'autres ressources": "Add more resources",
    "Appliquer": "Apply",
    "Correspondance partielle": "Partial match",
    "Dans ces résultats :": "In these results:",
    "La liste a été vidée.": "The list has been emptied.",
    "Lieu et distance": "Place and distance",
    "Liste préparée le %(date)s": "List prepared on %(date)s",
    "Ressources de la liste": "Resources on the list",
    "Tout réinitialiser": "Reset all",
    "« %(name)s » est dans votre liste à imprimer (%(count)s).": (
        "“%(name)s” is on your printable list (%(count)s)."
    ),
    "« %(name)s » ne fait plus partie de la liste.": "“%(name)s” is no longer on the list.",
}
