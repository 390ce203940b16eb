"""English for the verification, corrections and account-request strings (apply_translations)."""

T = {
    "Approuver": "Approve",
    "Aucun organisme en attente de publication.": "No organisation is waiting to be published.",
    "Aucune adresse": "No address",
    "Aucune demande en attente.": "No pending request.",
    "Aucune suggestion en attente.": "No pending suggestion.",
    "Ce qui est à corriger": "What should be corrected",
    "Cette adresse appartient déjà à un compte qui n'est pas un éditeur.": (
        "This address already belongs to an account that is not an editor."
    ),
    "Corrections suggérées": "Suggested corrections",
    "Demande approuvée : %(email)s.": "Request approved: %(email)s.",
    "Demande rejetée.": "Request rejected.",
    "Demander un compte": "Request an account",
    "Demandes de compte": "Account requests",
    "Demandes de compte et organismes à publier": "Account requests and organisations to publish",
    "Demandez-en un.": "Request one.",
    "Description de l'organisme": "Description of the organisation",
    "Entre %(min)d et %(max)d caractères.": "Between %(min)d and %(max)d characters.",
    "Envoyer la demande": "Send the request",
    "Envoyer la suggestion": "Send the suggestion",
    "Fiche": "Listing",
    "Fiche publiée : %(name)s.": "Listing published: %(name)s.",
    "Fiches publiques jamais confirmées par leur organisme, ou dont la confirmation a expiré "
    "(6 mois pour les hébergements et les lignes d'urgence, 12 mois pour les autres).": (
        "Public listings never confirmed by their organisation, or whose confirmation has "
        "expired (6 months for shelters and crisis lines, 12 months for the others)."
    ),
    "Filtrer": "Filter",
    "Jamais vérifiées": "Never verified",
    "Jamais vérifiées : %(num)s": "Never verified: %(num)s",
    "Laissez ce champ vide (protection contre les robots)": (
        "Leave this field empty (protection against robots)"
    ),
    "Marquer comme traitée": "Mark as handled",
    "Merci ! Votre demande est transmise à la coordination régionale, qui vous écrira.": (
        "Thank you! Your request was sent to the regional coordination, who will write to you."
    ),
    "Merci ! Votre suggestion a été transmise à l'organisme.": (
        "Thank you! Your suggestion was sent to the organisation."
    ),
    "Message": "Message",
    "Message à la coordination régionale (facultatif)": (
        "Message to the regional coordination (optional)"
    ),
    "Messages envoyés par le public au sujet des fiches. Corrigez la fiche au besoin, puis "
    "marquez la suggestion comme traitée.": (
        "Messages sent by the public about listings. Correct the listing if needed, then mark "
        "the suggestion as handled."
    ),
    "Mon organisme n'est pas encore dans le répertoire": (
        "My organisation is not in the directory yet"
    ),
    "Municipalité (facultatif)": "Municipality (optional)",
    "Nom du nouvel organisme": "Name of the new organisation",
    "Nouvel organisme, non publié": "New organisation, not published",
    "Organisme": "Organisation",
    "Organisme institutionnel": "Institutional organisation",
    "Organismes non publiés": "Unpublished organisations",
    "Personne": "Person",
    "Publier": "Publish",
    "Rejeter": "Reject",
    "Reçue le": "Received on",
    "Répondre à": "Reply to",
    "Sa fiche sera créée maintenant, mais restera invisible au public jusqu'à l'approbation "
    "de la coordination régionale.": (
        "Its listing will be created now, but stays hidden from the public until the regional "
        "coordination approves it."
    ),
    "Seulement si vous souhaitez une réponse.": "Only if you would like an answer.",
    "Si votre organisme n'est pas encore dans le répertoire": (
        "If your organisation is not in the directory yet"
    ),
    "Suggestion marquée comme traitée.": "Suggestion marked as handled.",
    "Suggestion rejetée.": "Suggestion rejected.",
    "Suggérer une correction": "Suggest a correction",
    "Toutes les fiches de cette région sont à jour.": "Every listing in this region is up to date.",
    "Un compte permet à votre organisme de tenir sa fiche à jour. La coordination régionale "
    "étudie chaque demande avant de créer le compte.": (
        "An account lets your organisation keep its listing up to date. The regional "
        "coordination reviews each request before creating the account."
    ),
    "Une information est inexacte ou a changé ? Dites-le-nous : l'organisme et la "
    "coordination régionale recevront votre message. Aucun compte n'est nécessaire.": (
        "Is something wrong or out of date? Tell us: the organisation and the regional "
        "coordination will receive your message. No account is needed."
    ),
    "Votre adresse courriel": "Your e-mail address",
    "Votre adresse courriel (facultatif)": "Your e-mail address (optional)",
    "Votre nom": "Your name",
    "Votre organisme": "Your organisation",
    "Votre organisme n'a pas de compte ?": "Your organisation has no account?",
    "Vous avez envoyé plusieurs suggestions en peu de temps. Réessayez dans une heure.": (
        "You sent several suggestions in a short time. Try again in an hour."
    ),
    "Vérification des fiches": "Listing verification",
    "Vérifié le %(date)s — à revalider": "Verified on %(date)s — to be confirmed again",
    "vérifiée le %(date)s, échue le %(due)s": "verified on %(date)s, due on %(due)s",
    "À revalider": "To confirm again",
    "À revalider : %(num)s": "To confirm again: %(num)s",
    "à vérifier dès maintenant": "to verify now",
    "— Choisissez —": "— Choose —",
}
