"""`flask evaluations import FILE.csv`: past questionnaires, all or nothing, idempotent.

Messages are printed in French then English, as the e-mails are: whoever runs the import
may read either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import partial
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from directory.db import utcnow
from directory.evaluations import importer, operations, queries
from directory.evaluations.importer import ImportRejectedError, Records
from directory.extensions import db

evaluations_group = AppGroup("evaluations", help="Evaluation questionnaires.")

# Below this many rows a file is checked and stored in a blink: no progress bar.
PROGRESS_FROM_ROWS = 500


def _bilingual(render: Callable[[], object]) -> str:
    """`render()` in French, then in English on the next line (indented)."""
    with force_locale("fr"):
        french = str(render())
    with force_locale("en"):
        english = str(render())
    return french if english == french else f"{french}\n  {english}"


def _refuse(error: ImportRejectedError) -> None:
    click.echo(_bilingual(lambda: _("Import refusé : rien n'a été enregistré.")), err=True)
    for problem in error.problems:
        click.echo(_bilingual(partial(str, problem)), err=True)
    if error.more:
        click.echo(
            _bilingual(
                lambda: ngettext(
                    "… et %(num)s autre problème.", "… et %(num)s autres problèmes.", error.more
                )
            ),
            err=True,
        )
    raise SystemExit(1)


def _check(found: Records) -> list[importer.Row]:
    regions, sectors = queries.reference_codes()
    reference = importer.Reference(
        regions=regions,
        sectors=sectors,
        today=utcnow().date(),
        stored_meetings=queries.stored_meetings,
    )
    if len(found.body) < PROGRESS_FROM_ROWS:
        return importer.check(found, reference)
    with click.progressbar(length=len(found.body), label="Vérification / Checking") as bar:
        return importer.check(found, reference, progress=bar.update)


def _store(file: Path, data: bytes, rows: list[importer.Row]) -> operations.ImportOutcome:
    keys = importer.source_keys(rows)
    sha256 = hashlib.sha256(data).hexdigest()
    if len(rows) < PROGRESS_FROM_ROWS:
        return operations.store_import(file.name, sha256, rows, keys)
    with click.progressbar(length=len(rows), label="Enregistrement / Storing") as bar:
        return operations.store_import(file.name, sha256, rows, keys, progress=bar.update)


@evaluations_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(file: Path) -> None:
    """Import past questionnaires from a UTF-8 CSV file (all or nothing; twice stores nothing)."""
    data = file.read_bytes()
    try:
        rows = _check(importer.records(data))
    except ImportRejectedError as error:
        _refuse(error)
    outcome = _store(file, data, rows)
    db.session.commit()
    meetings = len({row.meeting_ref for row in rows})
    click.echo(_bilingual(lambda: _summary(outcome, meetings)))


def _summary(outcome: operations.ImportOutcome, meetings: int) -> str:
    if outcome.stored == 0:
        return ngettext(
            "Déjà importé : aucun questionnaire enregistré (%(num)s déjà présent).",
            "Déjà importé : aucun questionnaire enregistré (%(num)s déjà présents).",
            outcome.rows,
        )
    return _(
        "%(stored)s (%(meetings)s) ; %(present)s.",
        stored=ngettext(
            "%(num)s questionnaire enregistré", "%(num)s questionnaires enregistrés", outcome.stored
        ),
        meetings=ngettext("%(num)s rencontre", "%(num)s rencontres", meetings),
        present=ngettext("%(num)s déjà présent", "%(num)s déjà présents", outcome.already_present),
    )


def init_app(app: Flask) -> None:
    app.cli.add_command(evaluations_group)
