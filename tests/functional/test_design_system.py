"""The design system's server side: form macros with valid ARIA, fieldsets for groups, an
error summary linked to the fields, French formatting through Babel, and labels instead of
stored codes in the history and conflict pages."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from flask import render_template_string
from flask_wtf import FlaskForm
from wtforms import StringField

from directory.core import formatting
from tests.factories import create_organisation, create_user
from tests.web import csrf_token, login, post_form, text

SUMMARY = re.compile(r'<div class="error-summary"[^>]*data-error-summary>(.*?)</div>', re.DOTALL)


def _summary(body: str) -> str:
    match = SUMMARY.search(body)
    assert match is not None, "no error summary"
    return match.group(1)


@pytest.mark.parametrize(
    "path", ["/connexion", "/demande-de-compte", "/mot-de-passe/oubli", "/organismes/gapi"]
)
def test_forms_carry_no_aria_attribute_without_a_value(client, path):
    body = client.get(path).get_data(as_text=True)
    assert 'aria-describedby="None"' not in body
    assert 'aria-invalid="None"' not in body
    assert "aria-invalid" not in body  # nothing is invalid before a submission
    assert "data-error-summary" not in body


def test_a_hint_is_linked_to_its_field(client):
    body = client.get("/organismes/gapi").get_data(as_text=True)
    field = re.search(r'<input[^>]*id="reply_email"[^>]*>', body)
    assert field is not None
    assert 'aria-describedby="reply_email-hint"' in field.group(0)
    assert 'id="reply_email-hint"' in body


def test_invalid_fields_are_marked_and_listed_in_a_summary_linked_to_them(client):
    response = post_form(client, "/demande-de-compte", {"email": "pas-une-adresse"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    summary = _summary(body)
    assert 'role="alert"' in body
    assert 'tabindex="-1"' in body
    assert 'href="#name"' in summary
    assert 'href="#email"' in summary
    assert 'href="#organisation"' in summary
    name = re.search(r'<input[^>]*id="name"[^>]*>', body)
    assert name is not None
    assert 'aria-invalid="true"' in name.group(0)
    assert 'aria-describedby="name-errors"' in name.group(0)
    assert 'id="name-errors"' in body
    heading = re.search(r'id="error-summary-title">\s*(.*?)\s*</h2>', body, re.DOTALL)
    assert heading is not None
    assert re.fullmatch(r"Le formulaire contient \d+ erreurs", heading.group(1))


def test_the_summary_counts_one_error_in_the_singular(client):
    response = post_form(client, "/mot-de-passe/oubli", {"email": "pas-une-adresse"})
    assert "Le formulaire contient 1 erreur" in text(response)


@pytest.fixture
def editor(client) -> dict[str, str]:
    """org-design and its editor, signed in; its name and its service's id."""
    organisation = create_organisation("org-design", name="Organisme du design (fictif)")
    create_user("design@fictif.example", organisations=[organisation])
    found = {"name": organisation.name, "service": str(organisation.services[0].id)}
    login(client, "design@fictif.example")
    return found


def test_checkbox_groups_are_fieldsets_with_a_legend(client, editor):
    page = client.get(f"/gestion/organismes/org-design/services/{editor['service']}")
    body = page.get_data(as_text=True)
    group = re.search(
        r'<fieldset class="choices"\s+id="sectors"[^>]*>(.*?)</fieldset>', body, re.DOTALL
    )
    assert group is not None
    assert re.search(r'<legend class="field-label">\s*Secteurs\s*</legend>', group.group(1))
    assert 'type="checkbox"' in group.group(1)
    assert '<label for="sectors">' not in body  # no label pointing at a list


def test_a_group_in_error_is_described_by_its_message_and_linked_from_the_summary(client):
    create_user("animatrice-design@fictif.example", role="facilitator")
    login(client, "animatrice-design@fictif.example")
    response = post_form(
        client, "/concertations/proposition", {"region": "02"}, page="/concertations/nouvelle"
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'href="#cooccurrences-0"' in _summary(body)  # the group's first checkbox
    group = re.search(r'<fieldset class="choices"\s+id="cooccurrences"([^>]*)>', body)
    assert group is not None
    assert 'aria-describedby="cooccurrences-errors"' in group.group(1)
    assert 'id="cooccurrences-0"' in body


def test_history_shows_labels_and_french_dates_not_codes(client, editor):
    form = "/gestion/organismes/org-design/modifier"
    token = csrf_token(client, form)
    fields = {"name": editor["name"], "alternate_name": "", "description": "", "email": ""}
    fields["website"] = ""
    response = client.post(
        form, data={"csrf_token": token, "version": "1", **fields, "type": "institutional"}
    )
    assert response.status_code == 302
    confirm = post_form(
        client,
        "/gestion/organismes/org-design/confirmer",
        {},
        page="/gestion/organismes/org-design",
    )
    assert confirm.status_code == 302
    history = client.get("/gestion/organismes/org-design/historique")
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text(history)))
    assert "Organisme communautaire → Établissement public" in page
    assert "Non vérifiée → Vérifiée" in page
    assert "community" not in page
    assert "unverified" not in page
    assert not re.search(r"\d{4}-\d{2}-\d{2}", page)  # no ISO date
    assert not re.search(r"\d{1,2}:\d{2}:\d{2}", page)  # no seconds


def test_conflict_page_shows_labels_not_codes(client, editor):
    form = "/gestion/organismes/org-design/modifier"
    token = csrf_token(client, form)
    fields = {"name": editor["name"], "alternate_name": "", "description": "", "email": ""}
    fields["website"] = ""
    client.post(form, data={"csrf_token": token, "version": "1", **fields, "type": "institutional"})
    stale = client.post(
        form, data={"csrf_token": token, "version": "1", **fields, "type": "community"}
    )
    assert stale.status_code == 409
    body = stale.get_data(as_text=True)
    row = re.search(r'<tr[^>]*>\s*<th scope="row">\s*Type\b(.*?)</tr>', body, re.DOTALL)
    assert row is not None
    cells = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.group(1)))
    assert "Établissement public" in cells
    assert "Organisme communautaire" in cells
    assert "community" not in cells


# Formatting, in French (the default) and in English.


def _render(app, source: str, language: str = "fr", **context: object) -> str:
    with app.test_request_context(headers={"Cookie": f"lang={language}"}):
        return render_template_string(source, **context).strip()


def test_numbers_and_distances_take_a_decimal_comma_in_french(app):
    assert _render(app, "{{ 354.7|km }}") == "354,7 km"
    assert _render(app, "{{ 0.04|km }}") == "0,0 km"
    assert _render(app, "{{ 12345.678|number(1) }}") in {"12 345,7", "12\u202f345,7", "12\xa0345,7"}
    assert _render(app, "{{ 354.7|km }}", "en") == "354.7 km"


def test_an_unknown_distance_stays_unknown(app):
    assert _render(app, "{{ none|km }}") == "distance inconnue"


def test_dates_are_long_and_times_have_no_seconds(app):
    moment = datetime(2026, 3, 5, 18, 7, 42, tzinfo=UTC)  # 13:07 in Québec (EST)
    assert _render(app, "{{ value|long_date }}", value=moment) == "5 mars 2026"
    assert _render(app, "{{ value|date_time }}", value=moment) == "5 mars 2026 à 13:07"
    english = _render(app, "{{ value|date_time }}", "en", value=moment)
    assert english.replace("\u202f", " ") == "March 5, 2026 at 1:07 PM"
    assert _render(app, "{{ value|long_date }}", value=date(2026, 11, 30)) == "30 novembre 2026"
    assert _render(app, "{{ value|long_date }}", value="2026-11-30") == "30 novembre 2026"


def test_display_value_reads_codes_lists_booleans_and_nothing(app):
    with app.test_request_context():
        labels = {"in_person": "En personne", "phone": "Téléphone"}
        assert formatting.display_value(["in_person", "phone"], labels) == "En personne, Téléphone"
        assert formatting.display_value(None) == "—"
        assert formatting.display_value([]) == "—"
        assert formatting.display_value(value=True) == "Oui"
        assert formatting.display_value("texte libre") == "texte libre"
        assert formatting.display_value("inconnu", labels) == "inconnu"
        assert formatting.display_value("2026-11-30T14:05:33+00:00") == "30 novembre 2026 à 09:05"


def test_an_acronym_is_separated_from_the_name_it_follows(client):
    body = text(client.get("/recherche", query_string={"q": "CRDQ"}))
    assert "Québec (CRDQ)" in body
    assert "Québec(CRDQ)" not in body


class _NameForm(FlaskForm):
    name = StringField("Nom")


def test_the_summary_lists_errors_of_hidden_fields_without_a_link(app):
    with app.test_request_context(method="POST", data={"name": "x"}):
        form = _NameForm()
        form.validate()  # no CSRF token: the CSRF field is in error
        body = render_template_string(
            '{% from "_macros.html" import error_summary %}{{ error_summary(form) }}', form=form
        )
    assert "Le formulaire contient 1 erreur" in body
    assert "CSRF" in body
    assert 'href="#csrf_token"' not in body
