"""English for the matching strings of issue 9: gap causes, rules, reasons, input limits (see scripts/apply_translations.py)."""

T = {
    "Au moins 3 organismes ou institutions distincts à la table (%(num)s ; les programmes d'un même CISSS/CIUSSS comptent pour un)": "At least 3 distinct organisations or institutions at the table (%(num)s; the programs of one CISSS/CIUSSS count as one)",
    "Champ en double : %(key)s.": "Repeated field: %(key)s.",
    "Concertation : les parents ont signé le consentement et au moins deux intervenant·e·s sont au dossier ; consultation : anonyme, sans consentement demandé, avec l'organisme de l'intervenant·e référent·e au dossier.": "Concertation: the parents signed the consent and at least two practitioners are on the file; consultation: anonymous, no consent asked, with the referring practitioner's organisation on the file.",
    "Distance inconnue : aucun lieu connu pour cet organisme": "Distance unknown: no known place for this organisation",
    "Hors de son territoire (région %(regions)s) : choisi par l'animatrice": "Outside its territory (region %(regions)s): chosen by the facilitator",
    "J'atteste que les parents ont signé le consentement (concertation)": "I attest that the parents signed the consent (concertation)",
    "Ce suivi change volontairement de territoire ou de problématiques": "This follow-up deliberately moves to another territory or other problems",
    "Le corps de la requête doit être un objet JSON (Content-Type: application/json).": "The request body must be a JSON object (Content-Type: application/json).",
    "Le corps de la requête est trop imbriqué (au plus %(num)s niveaux).": "The request body is nested too deeply (at most %(num)s levels).",
    "Le corps de la requête est trop volumineux (au plus %(size)s Ko).": "The request body is too large (at most %(size)s KB).",
    "Le corps de la requête n'est pas du JSON valide.": "The request body is not valid JSON.",
    "Les nombres doivent être finis (ni NaN ni infini).": "Numbers must be finite (neither NaN nor infinite).",
    "Maintenez Ctrl (ou Cmd) pour en choisir plusieurs. Chaque organisme compte une personne à la table.": "Hold Ctrl (or Cmd) to choose several. Each organisation counts one person at the table.",
    "Recherche écourtée : un autre panel pourrait couvrir jusqu'à %(num)s secteur(s) de plus.": "Search cut short: another panel might cover up to %(num)s more sector(s).",
    "Recherche écourtée : un autre panel pourrait obtenir un score supérieur d'au plus %(points)s point(s).": "Search cut short: another panel might score at most %(points)s point(s) higher.",
    "Recherche écourtée : un autre panel pourrait réunir trois organismes distincts.": "Search cut short: another panel might bring three distinct organisations together.",
    "Un organisme au dossier ne peut pas être exclu : retirez-le de l'une des deux listes.": "An organisation on the file cannot be excluded: remove it from one of the two lists.",
    "Un suivi garde la région, les problématiques et les experts de la rencontre précédente ; laissés vides, les organismes au dossier sont aussi les siens.": "A follow-up keeps the region, the problems and the experts of the previous meeting; left empty, the organisations on the file are its own too.",
    "Une concertation demande au moins deux organismes au dossier (intervenant·e·s au dossier). Avec un seul, choisissez une consultation.": "A concertation needs at least two organisations on the file (practitioners on the file). With only one, choose a consultation.",
    "Une concertation demande le consentement signé des parents : cochez l'attestation, ou choisissez une consultation (anonyme).": "A concertation needs the parents' signed consent: tick the attestation, or choose a consultation (anonymous).",
    "Une consultation est anonyme : aucun consentement n'est demandé. Décochez l'attestation, ou choisissez une concertation.": "A consultation is anonymous: no consent is asked. Untick the attestation, or choose a concertation.",
    "Une consultation se tient avec l'organisme de l'intervenant·e référent·e au dossier : indiquez-le.": "A consultation is held with the referring practitioner's organisation on the file: give it.",
    "Une rencontre de suivi garde la région de la rencontre précédente (%(region)s). Pour la changer, confirmez que le changement est volontaire.": "A follow-up meeting keeps the region of the previous meeting (%(region)s). To change it, confirm that the change is deliberate.",
    "Une rencontre de suivi garde les problématiques de la rencontre précédente (%(codes)s). Pour les changer, confirmez que le changement est volontaire.": "A follow-up meeting keeps the problems of the previous meeting (%(codes)s). To change them, confirm that the change is deliberate.",
    "VC et au moins une des problématiques de la famille": "DV and at least one of the family's problems",
    "Valeur en double : %(value)s.": "Repeated value: %(value)s.",
    "admissible : aucune place libre": "eligible: no seat left",
    "admissible, à distance : aucune place libre": "eligible, remotely: no seat left",
    "ajouté pour atteindre trois organismes distincts": "added to reach three distinct organisations",
    "aucun autre organisme admissible n'offre un secteur dont la famille a besoin : personne n'est ajouté seulement pour compléter la table": "no other eligible organisation offers a sector the family needs: nobody is added only to fill the table",
    "aucune ressource admissible n'offre ce secteur en %(language)s": "no eligible resource offers this sector in %(language)s",
    "aucune ressource répertoriée dans Filet pour la région %(region)s": "no resource listed in Filet for region %(region)s",
    "aucune ressource répertoriée dans la région %(region)s ; les services territoriaux d'autres régions (DPJ, police, CISSS/CIUSSS, milieu scolaire) n'agissent que sur leur propre territoire": "no resource listed in region %(region)s; territorial services of other regions (youth protection, police, CISSS/CIUSSS, schools) act only on their own territory",
    "depuis le centre de la municipalité": "from the municipality's centre",
    "depuis le centre de la région desservie": "from the centre of the region served",
    "depuis le site": "from the site",
    "exclu par l'animatrice": "excluded by the facilitator",
    "hors de son territoire": "outside its territory",
    "le nombre de places ne permet pas d'inviter assez d'organismes distincts": "the number of seats does not allow inviting enough distinct organisations",
    "le nombre maximal d'experts invités (%(num)s) est atteint : augmentez-le pour couvrir ce secteur": "the maximum number of invited experts (%(num)s) is reached: raise it to cover this sector",
    "les organismes qui l'offrent siègent déjà à la table pour un autre secteur (un siège par organisme)": "the organisations offering it already sit at the table for another sector (one seat per organisation)",
    "les ressources qui l'offrent ne participent pas à cette rencontre (offre déclinée pour cette région ou ce mode, ou capacité des 90 derniers jours atteinte)": "the resources offering it do not take part in this meeting (offer declined for this region or mode, or their 90-day capacity is reached)",
    "les ressources qui l'offrent ont été exclues par l'animatrice": "the resources offering it were excluded by the facilitator",
    "les services qui l'offrent s'adressent à d'autres personnes que celles qui sont suivies (population précisée par l'organisme)": "the services offering it are for other people than those followed (population stated by the organisation)",
    "manque : %(sectors)s": "missing: %(sectors)s",
    "n'offre pas la langue de la rencontre": "does not offer the meeting's language",
    "ne participe pas (offre déclinée ou capacité atteinte)": "does not take part (offer declined or capacity reached)",
    "présent à la rencontre précédente": "present at the previous meeting",
    "région %(region)s": "region %(region)s",
    "s'adresse à d'autres personnes": "is for other people",
    "une rencontre à distance ou hybride réunit au plus %(limit)s personnes (%(file)s au dossier et l'animatrice) : il n'y a plus de place pour cet expert": "a remote or hybrid meeting holds at most %(limit)s people (%(file)s on the file and the facilitator): there is no seat left for this expert",
    "À distance ou hybride : au plus 8 personnes, l'animatrice et une personne par organisme au dossier comprises.": "Remote or hybrid: at most 8 people, including the facilitator and one person per organisation on the file.",
    "à distance, si la rencontre est hybride ou à distance": "remotely, if the meeting is hybrid or remote",
    "à la table : %(sectors)s": "at the table: %(sectors)s",
    "%(rule)s : %(status)s": "%(rule)s: %(status)s",
    "%(line)s (%(details)s)": "%(line)s (%(details)s)",
    " ; ": "; ",
    "%(sector)s : %(message)s": "%(sector)s: %(message)s",
}

# The proposal as a decision aid (issue 12): the summary box and the status after a swap.
T.update(
    {
        "Règles et manques": "Rules and gaps",
        "Aucun manque : chaque besoin de la famille est couvert à la table.": (
            "No gap: each of the family's needs is covered at the table."
        ),
        "%(chosen)s remplace %(replaced)s dans la proposition.": (
            "%(chosen)s replaces %(replaced)s in the proposal."
        ),
        "%(chosen)s ne peut pas remplacer %(replaced)s : les règles de la rencontre ne le "
        "permettent pas. Voir les manques et les règles.": (
            "%(chosen)s cannot replace %(replaced)s: the meeting's rules do not allow it. "
            "See the gaps and rules."
        ),
        "%(name)s est exclu de cette proposition.": "%(name)s is excluded from this proposal.",
    }
)
