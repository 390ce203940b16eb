"""The reminder e-mail: French first, then English (the editor's language is not known)."""

from __future__ import annotations

from directory.accounts.models import User
from directory.core.mail import send_mail
from directory.core.urls import external_url
from directory.organisations.models import Organisation


def send_reminder(user: User, listing: Organisation) -> None:
    """Ask an editor to confirm (or correct) a listing; raises MailError on SMTP failure."""
    link = external_url("organisations.organisation", slug=listing.slug)
    months = listing.verification_interval_months
    body = (
        f"Bonjour,\n\nLa fiche « {listing.name} » du répertoire Filet doit être confirmée "
        f"par votre organisme.\n{link}\n\n"
        "Les fiches sont confirmées tous les 12 mois, et tous les 6 mois pour les maisons "
        "d'hébergement (adresse confidentielle) et les lignes d'urgence. "
        f"Cette fiche est à confirmer tous les {months} mois.\n"
        "Connectez-vous, relisez la fiche, corrigez-la au besoin puis confirmez-la.\n\n---\n"
        f"Hello,\n\nThe listing “{listing.name}” in the Filet directory needs to be confirmed "
        f"by your organisation.\n{link}\n\n"
        "Listings are confirmed every 12 months, and every 6 months for shelters (confidential "
        f"address) and crisis lines. This listing is confirmed every {months} months.\n"
        "Sign in, read the listing, correct it if needed, then confirm it.\n"
    )
    send_mail(user.email, "Filet : fiche à confirmer / listing to confirm", body)
