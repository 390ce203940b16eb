"""English for the listing-editing pages (/gestion), their forms and the API PATCH."""

T = {
    "Action": "Action",
    "Administration": "Administration",
    "Adresse": "Address",
    "Adresse confidentielle (maison d'hébergement)": "Confidential address (shelter)",
    "Adresse web": "Web address",
    "Ajout enregistré.": "Added.",
    "Ajouter": "Add",
    "Annulée": "Reverted",
    "Archiver": "Archive",
    "Archiver la fiche": "Archive the listing",
    "Archivée": "Archived",
    "Aucun expert inscrit.": "No expert listed.",
    "Aucun élément archivé.": "No archived item.",
    "Aucun élément.": "None.",
    "Aucune fiche à gérer.": "No listing to manage.",
    "Aucune modification enregistrée.": "No change recorded.",
    "Aucune municipalité de ce nom dans la région choisie.": (
        "No municipality of that name in the chosen region."
    ),
    "Aucune offre d'expertise décrite.": "No expertise offer described.",
    "Autre nom": "Other name",
    "Ce texte est trop long (au plus %(max)d caractères).": (
        "This text is too long (at most %(max)d characters)."
    ),
    "Cette fiche a été modifiée entre-temps.": "This listing was changed in the meantime.",
    "Cette fiche est archivée : elle n'est plus publique.": (
        "This listing is archived: it is no longer public."
    ),
    "Champ": "Field",
    "Champ inconnu.": "Unknown field.",
    "Champs : avant → après": "Fields: before → after",
    "Code postal": "Postal code",
    "Confirmer l'exactitude de cette fiche": "Confirm this listing is accurate",
    "Date": "Date",
    "Dernière confirmation par %(name)s.": "Last confirmed by %(name)s.",
    "Description (ex. : ligne d'écoute 24 h)": "Description (e.g. 24-hour helpline)",
    "Entrez un nombre entre 0 et 1000.": "Enter a number between 0 and 1000.",
    "Expertise offerte aux rencontres (réservé aux animateurs)": (
        "Expertise offered for meetings (facilitators only)"
    ),
    "Experts": "Experts",
    "Fiche archivée : elle n'est plus publique.": "Listing archived: it is no longer public.",
    "Fiche rétablie.": "Listing restored.",
    "Filtrer": "Filter",
    "Filtrer par nom": "Filter by name",
    "Fonction": "Position",
    "Gestion de la fiche": "Listing management",
    "Gestion des fiches": "Manage listings",
    "Gérer la fiche": "Manage the listing",
    "Heures d'ouverture": "Opening hours",
    "Historique des modifications": "Change history",
    "Impossible de rétablir : ces champs ont changé depuis, ou la modification a déjà été "
    "annulée.": "Cannot revert: these fields changed since, or the change was already reverted.",
    "Indiquez un nom ou une fonction.": "Enter a name or a position.",
    "Invitations acceptées par 90 jours": "Invitations accepted per 90 days",
    "La version de la fiche est obligatoire.": "The listing's version is required.",
    "Le corps de la requête doit être un objet JSON.": "The request body must be a JSON object.",
    "Le poste ne contient que des chiffres.": "The extension contains digits only.",
    "Merci : la fiche est confirmée exacte.": "Thank you: the listing is confirmed accurate.",
    "Modes de prestation": "Delivery modes",
    "Modification annulée : les valeurs précédentes sont rétablies.": (
        "Change reverted: the previous values are back."
    ),
    "Modifications enregistrées.": "Changes saved.",
    "Modifier": "Edit",
    "Modifier cette fiche": "Edit this listing",
    "Modifier l'expert": "Edit the expert",
    "Modifier l'offre d'expertise": "Edit the expertise offer",
    "Modifier l'organisme": "Edit the organisation",
    "Modifier la personne-ressource": "Edit the contact person",
    "Modifier le lieu": "Edit the site",
    "Modifier le numéro": "Edit the number",
    "Modifier le service": "Edit the service",
    "Municipalité": "Municipality",
    "Nom du lieu": "Site name",
    "Nom du service": "Service name",
    "Notes": "Notes",
    "Nouveau lieu": "New site",
    "Nouveau numéro de téléphone": "New phone number",
    "Nouveau service": "New service",
    "Nouvel expert": "New expert",
    "Nouvelle personne-ressource": "New contact person",
    "Numéro": "Number",
    "Offre d'expertise": "Expertise offer",
    "Par": "By",
    "Participe aussi à distance": "Also joins remotely",
    "Participe à distance": "Joins remotely",
    "Pas à distance": "Not remotely",
    "Personnes-ressources": "Contact persons",
    "Populations servies": "Populations served",
    "Poste": "Extension",
    "Quelqu’un d’autre a modifié cette fiche pendant que vous l’éditiez": (
        "Someone else changed this listing while you were editing it"
    ),
    "Rien n'a été écrasé. Comparez les deux versions, corrigez le formulaire ci-dessous au "
    "besoin, puis enregistrez de nouveau.": (
        "Nothing was overwritten. Compare both versions, correct the form below if needed, "
        "then save again."
    ),
    "Régions desservies": "Regions served",
    "Régions où l'organisme se déplace": "Regions the organisation travels to",
    "Rétablir": "Revert",
    "Rétablir la fiche": "Restore the listing",
    "Se déplace dans les régions :": "Travels to regions:",
    "Secteurs d'expertise": "Sectors of expertise",
    "Sigle ou autre nom": "Acronym or other name",
    "Suspendu": "Suspended",
    "Type": "Type",
    "Téléphones": "Phones",
    "Une adresse confidentielle n'est jamais affichée publiquement : ni l'adresse, ni le code "
    "postal complet, ni la position n'apparaissent sur les pages, dans l'API ou dans la "
    "recherche.": (
        "A confidential address is never shown publicly: neither the address, the full postal "
        "code nor the position appear on pages, in the API or in search."
    ),
    "Valeur invalide.": "Invalid value.",
    "Version enregistrée (la leur)": "Saved version (theirs)",
    "Voir la fiche publique": "See the public listing",
    "Votre version": "Your version",
    "Vous ne pouvez pas modifier cet organisme.": "You cannot edit this organisation.",
    "Vérification": "Verification",
    "archivé le %(date)s": "archived on %(date)s",
    "confidentiel": "confidential",
    "Élément archivé.": "Item archived.",
    "Élément rétabli.": "Item restored.",
    "Éléments archivés": "Archived items",
}
