"""English for the design-system strings: formatting, form feedback, management pages (see
scripts/apply_translations.py)."""

T = {
    "%(date)s à %(time)s": "%(date)s at %(time)s",
    "%(km)s km": "%(km)s km",
    "Adresse confidentielle : jamais publiée.": "Confidential address: never published.",
    "Ajouter un expert": "Add an expert",
    "Ajouter un lieu": "Add a site",
    "Ajouter un service": "Add a service",
    "Ajouter un téléphone": "Add a phone number",
    "Ajouter une personne-ressource": "Add a contact person",
    "Aucune fiche ne correspond à « %(q)s ».": "No listing matches “%(q)s”.",
    "Aucune offre d'expertise décrite : les animatrices voient une offre déduite de la fiche, marquée « non confirmée ».": "No expertise offer described: facilitators see an offer derived from the listing, marked “not confirmed”.",
    "Différent": "Different",
    "Erreur :": "Error:",
    "Le formulaire contient %(num)s erreur": (
        "The form has %(num)s error",
        "The form has %(num)s errors",
    ),
    "Menu": "Menu",
    "Non": "No",
    "Non vérifiée": "Not verified",
    "Oui": "Yes",
    "Publiée": "Published",
    "Relisez la fiche, puis confirmez : la date de vérification s'affiche sur la page publique.": "Read the listing over, then confirm: the verification date shows on the public page.",
    "Seule la coordination régionale peut rétablir un élément archivé.": "Only the regional coordination can restore an archived item.",
    "Système": "System",
    "Tenir les fiches à jour": "Keeping listings up to date",
    "Une fiche archivée disparaît des pages publiques, de l'API et de la recherche.": "An archived listing disappears from the public pages, the API and search.",
    "Voir toutes les fiches": "See all listings",
    "Vérifiée": "Verified",
    "distance inconnue": "distance unknown",
}
