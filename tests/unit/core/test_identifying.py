"""Identifying data in free text is found, named and refused; ordinary answers pass."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from wtforms import Form, StringField

from directory.core.identifying import NoIdentifyingData, explain, find_identifying


@pytest.mark.parametrize(
    ("text", "kind", "fragment"),
    [
        ("Appelez-la au 418 555-0123 demain", "phone", "418 555-0123"),
        ("cell (514) 555-0199", "phone", "(514) 555-0199"),
        ("tél. 418.555.0123", "phone", "418.555.0123"),
        ("numéro 4185550123", "phone", "4185550123"),
        ("+1 819-555-0100 le soir", "phone", "+1 819-555-0100"),
        ("1-800-555-0000", "phone", "1-800-555-0000"),
        ("son numéro est 555-0123", "phone", "555-0123"),
        ("écrire à marie.tremblay@exemple.qc.ca", "email", "marie.tremblay@exemple.qc.ca"),
        ("courriel : m_t+vc@courriel.com.", "email", "m_t+vc@courriel.com"),
        ("née le 3 mars 1985", "date_of_birth", "née le 3 mars 1985"),
        ("DDN : 1985-03-03", "date_of_birth", "DDN : 1985-03-03"),
        ("le garçon, né en 2015, va à l'école", "date_of_birth", "né en 2015"),
        ("née en mars 1985", "date_of_birth", "née en mars 1985"),
        ("date de naissance 03/03/1985", "date_of_birth", "date de naissance 03/03/1985"),
        ("elle est arrivée le 12/05/2019", "date_of_birth", "12/05/2019"),
        ("la rencontre du 1er mai 2019", "date_of_birth", "1er mai 2019"),
        ("born on May 3, 1985", "date_of_birth", "born on May 3, 1985"),
        ("since March 3, 1985", "date_of_birth", "March 3, 1985"),
        ("carte TREM 8553 1234 de la mère", "health_insurance", "TREM 8553 1234"),
        ("RAMQ: gagm85031212", "health_insurance", "gagm85031212"),
        ("NAS 046 454 286", "social_insurance", "046 454 286"),
        ("habite près de G8H 1A1", "postal_code", "G8H 1A1"),
        ("code h2x-1y4", "postal_code", "h2x-1y4"),
        ("code postal g1r2b5", "postal_code", "g1r2b5"),
        ("elle habite au 1234, rue des Érables", "street_address", "1234, rue des"),
        ("au 12 Boul. Saint-Joseph", "street_address", "12 Boul. Saint-Joseph"),
        ("le 45B chemin du Lac", "street_address", "45B chemin du"),
        ("moved to 45 Main Street last week", "street_address", "45 Main Street"),
    ],
)
def test_identifying_data_is_found(text, kind, fragment):
    findings = find_identifying(text)
    assert [(item.kind, item.text) for item in findings] == [(kind, fragment)]


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "La présence de l'experte en dépendances a aidé à voir les enjeux de sécurité.",
        "Trois partenaires (VCF, PSM + PC) pendant 90 minutes; suivi prévu en mai 2019.",
        "Manque de temps : 2 heures ne suffisent pas pour 7 intervenantes.",
        "Tableau 5, 86,8 % des participantes; entre 2018 et 2019.",
        "Le territoire G8H est mal desservi.",  # a postal area alone identifies no one
        "123 456 789 n'est pas un NAS valide",  # fails the check digit
        "Article 38 de la LPJ, alinéa 2",
        "version 2.0.1 du formulaire",
        "2 places disponibles et 3 rangs de chaises",
        "Les 5 Chemins de la réussite (programme)",
    ],
)
def test_ordinary_answers_pass(text):
    assert find_identifying(text) == []


def test_several_kinds_are_all_reported_in_reading_order():
    text = "Joindre Mme X au 418-555-0123 ou x@exemple.org, H2X 1Y4, née le 3 mars 1985."
    kinds = [item.kind for item in find_identifying(text)]
    assert kinds == ["phone", "email", "postal_code", "date_of_birth"]


def test_a_ramq_number_is_not_also_reported_as_a_phone():
    assert [item.kind for item in find_identifying("TREM85531234")] == ["health_insurance"]


class _NoteForm(Form):
    note = StringField(validators=[NoIdentifyingData()])


def test_the_validator_refuses_and_says_why_in_french_and_english(app):
    with app.test_request_context():
        form = _NoteForm(data={"note": "Rappeler au 418 555-0123"})
        assert not form.validate()
        (message,) = form.errors["note"]
        assert "un numéro de téléphone (« 418 555-0123 »)" in message
        assert "anonymes" in message
        with force_locale("en"):
            english = explain(find_identifying("x@exemple.org"))
        assert "an e-mail address" in english
        assert _NoteForm(data={"note": "Très utile."}).validate()
