"""`flask evaluations import FILE.csv`: strict, all or nothing (exit status 1, the line and the
column named, in French and English), idempotent, with a progress bar on large files."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from directory.config import REPOSITORY_ROOT
from directory.evaluations.models import EvaluationImport, Questionnaire
from directory.extensions import db
from tests.fixtures.evaluation_report import build

COLUMNS = [column for column in build.COLUMNS if column != "meeting_date"]
ROW = {
    "meeting_ref": "essai-1",
    "region": "02",
    "meeting_type": "concertation",
    "round": "first",
    "cooccurrence": "MT+PSM",
    "role": "on_file",
    "referrer": "yes",
    "sector": "VCF",
    "security": "oui",
    "practice": "incertain",
    "strategy": "oui",
    "knowledge": "beaucoup",
    "understanding": "",
    "partners": "un_peu",
    "s1": "tres_satisfaisant",
    "s2": "satisfaisant",
    "s3": "",
    "s4": "peu_satisfaisant",
    "s5": "insatisfaisant",
    "s6": "satisfaisant",
    "s7": "tres_satisfaisant",
    "divergence": "non",
}
EXPERT = {**ROW, "role": "external_expert", "referrer": "", "practice": "", "sector": "PC"}


def _csv(tmp_path, rows, columns=None, name="questionnaires.csv"):
    columns = columns or list(rows[0]) if rows else COLUMNS
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _import(app, path):
    return app.test_cli_runner().invoke(args=["evaluations", "import", str(path)])


def _stored():
    return db.session.scalar(select(func.count()).select_from(Questionnaire))


def test_a_valid_file_is_stored_with_its_meetings(app, tmp_path):
    path = _csv(tmp_path, [ROW, {**ROW, "referrer": "no", "sector": "MT"}, EXPERT])
    result = _import(app, path)
    assert result.exit_code == 0, result.output
    assert "3 questionnaires enregistrés (1 rencontre) ; 0 déjà présent." in result.output
    stored = db.session.scalars(select(Questionnaire).order_by(Questionnaire.sector_code)).all()
    assert [(q.sector_code, q.role, q.referrer) for q in stored] == [
        ("MT", "on_file", False), ("PC", "external_expert", None), ("VCF", "on_file", True),
    ]  # fmt: skip
    first = stored[2]
    assert (first.meeting_ref, first.region_code, first.cooccurrence) == ("essai-1", "02", "MT+PSM")
    assert (first.understanding, first.s3, first.s5) == (None, None, "insatisfaisant")
    assert first.meeting_date is None
    [batch] = db.session.scalars(select(EvaluationImport)).all()
    assert (batch.filename, batch.rows, batch.stored) == ("questionnaires.csv", 3, 3)


# (change to the second data row, the column named, what the French and English messages say)
BAD_ROWS = [
    ({"security": "peutetre"}, "security", "valeur « peutetre » invalide", 'invalid value "peut'),
    ({"region": "99"}, "region", "valeur « 99 » inconnue (code de région à deux chiffres",
     'unknown value "99" (two-digit region code'),
    ({"region": ""}, "region", "valeur obligatoire (code de région", "value required"),
    ({"sector": "VC"}, "sector", "valeur « VC » inconnue (code de secteur",
     'unknown value "VC" (sector code'),
    ({"meeting_type": ""}, "meeting_type", "valeur obligatoire", "value required"),
    ({"round": "second"}, "round", "valeur « second » invalide", 'invalid value "second"'),
    ({"cooccurrence": "MT+XX"}, "cooccurrence", "« MT+XX » invalide", '"MT+XX"'),
    ({"cooccurrence": "MT+MT"}, "cooccurrence", "« MT+MT » invalide", '"MT+MT"'),
    ({"cooccurrence": ""}, "cooccurrence", "valeur obligatoire (codes MT, PSM, PC",
     "value required (codes MT, PSM, PC"),
    ({"role": "expert"}, "role", "valeur « expert » invalide", 'invalid value "expert"'),
    ({"referrer": "oui"}, "referrer", "valeur « oui » invalide", 'invalid value "oui"'),
    ({"role": "external_expert", "practice": ""}, "referrer", "pas référent·e", "not a referrer"),
    ({"role": "external_expert", "referrer": ""}, "practice",
     "intervenant·e·s au dossier seulement", "practitioners on the file only"),
    ({"divergence": "peut-être"}, "divergence", "valeur « peut-être » invalide", "invalid value"),
    ({"s7": "tres satisfaisant"}, "s7", "« tres satisfaisant »", '"tres satisfaisant"'),
    ({"meeting_ref": ""}, "meeting_ref", "identifiant de la rencontre est obligatoire",
     "identifier is required"),
    ({"meeting_ref": "x" * 65}, "meeting_ref", "trop long", "too long"),
    ({"region": "03"}, "region", "la rencontre « essai-1 » a « 02 » à la ligne 2",
     'meeting "essai-1" has "02" on line 2'),
    ({"round": "follow_up"}, "round", "toutes ses lignes doivent concorder",
     "all its lines must agree"),
]  # fmt: skip


@pytest.mark.parametrize("bad", BAD_ROWS, ids=lambda bad: "-".join(bad[0]) or "empty")
def test_a_bad_row_refuses_the_whole_file_naming_line_and_column(app, tmp_path, bad):
    change, column, french, english = bad
    result = _import(app, _csv(tmp_path, [ROW, {**ROW, **change}, EXPERT]))
    assert result.exit_code == 1
    assert "Import refusé : rien n'a été enregistré." in result.stderr
    assert "Import refused: nothing was stored." in result.stderr
    assert f"Ligne 3, colonne « {column} » : " in result.stderr
    assert french in result.stderr
    assert f'Line 3, column "{column}": ' in result.stderr
    assert english in result.stderr
    assert _stored() == 0


def test_the_optional_meeting_date_is_checked(app, tmp_path):
    columns = [*COLUMNS, "meeting_date"]
    good = {**ROW, "meeting_date": "2019-03-12"}
    for value, message in [("12/03/2019", "date « 12/03/2019 » invalide (AAAA-MM-JJ)."),
                           ("2019-02-30", "date « 2019-02-30 » invalide"),
                           ("2999-01-01", "date « 2999-01-01 » dans le futur.")]:  # fmt: skip
        path = _csv(tmp_path, [good, {**good, "meeting_date": value}], columns)
        result = _import(app, path)
        assert result.exit_code == 1
        assert f"Ligne 3, colonne « meeting_date » : {message}" in result.stderr
    result = _import(app, _csv(tmp_path, [good], columns))
    assert result.exit_code == 0, result.output
    assert str(db.session.scalars(select(Questionnaire.meeting_date)).one()) == "2019-03-12"


def test_the_last_row_bad_stores_none_of_the_good_ones(app, tmp_path):
    rows = [{**ROW, "meeting_ref": f"essai-{number}"} for number in range(40)]
    rows.append({**ROW, "meeting_ref": "essai-x", "s1": "parfait"})
    result = _import(app, _csv(tmp_path, rows))
    assert result.exit_code == 1
    assert "Ligne 42, colonne « s1 »" in result.stderr
    assert _stored() == 0
    assert db.session.scalar(select(func.count()).select_from(EvaluationImport)) == 0


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        (
            [c for c in COLUMNS if c != "s4"],
            "Ligne 1, colonne « s4 » : colonne obligatoire absente",
        ),
        ([*COLUMNS, "commentaire"], "Ligne 1, colonne « commentaire » : colonne inconnue"),
        ([*COLUMNS, "s1"], "Ligne 1, colonne « s1 » : colonne en double."),
    ],
)
def test_header_problems_name_line_1_and_the_column(app, tmp_path, columns, message):
    header = ",".join(columns)
    body = ",".join(ROW.get(column, "") for column in columns)
    path = tmp_path / "entete.csv"
    path.write_text(f"{header}\n{body}\n", encoding="utf-8")
    result = _import(app, path)
    assert result.exit_code == 1
    assert message in result.stderr


def test_malformed_files_are_refused_with_a_line(app, tmp_path):
    short = _csv(tmp_path, [ROW, EXPERT])
    lines = short.read_text(encoding="utf-8").splitlines()
    short.write_text("\n".join([*lines, "essai-1,02,concertation"]) + "\n", encoding="utf-8")
    result = _import(app, short)
    assert result.exit_code == 1
    assert "Ligne 4 : 3 champs au lieu de 22." in result.stderr
    assert "Line 4: 3 fields instead of 22." in result.stderr

    latin = tmp_path / "latin1.csv"
    latin.write_bytes(",".join(COLUMNS).encode() + b"\nessai-\xe9t\xe9,02\n")
    result = _import(app, latin)
    assert result.exit_code == 1
    assert "Ligne 2 : le fichier n'est pas en UTF-8" in result.stderr

    empty = tmp_path / "vide.csv"
    empty.write_text("", encoding="utf-8")
    assert "Ligne 1 : fichier vide" in _import(app, empty).stderr
    header_only = tmp_path / "entete-seule.csv"
    header_only.write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
    result = _import(app, header_only)
    assert result.exit_code == 1
    assert "Ligne 1 : aucun questionnaire après l'en-tête." in result.stderr
    assert _stored() == 0


def test_many_problems_are_listed_up_to_twenty(app, tmp_path):
    rows = [{**ROW, "meeting_ref": f"m{number}", "security": "?"} for number in range(25)]
    result = _import(app, _csv(tmp_path, rows))
    assert result.exit_code == 1
    assert result.stderr.count("colonne « security »") == 20
    assert "… et 5 autres problèmes." in result.stderr


def test_importing_the_same_file_twice_stores_nothing_the_second_time(app, tmp_path):
    path = _csv(tmp_path, [ROW, ROW, EXPERT])  # two identical questionnaires: both kept
    assert _import(app, path).exit_code == 0
    assert _stored() == 3
    again = _import(app, path)
    assert again.exit_code == 0
    assert "Déjà importé : aucun questionnaire enregistré (3 déjà présents)." in again.output
    assert "Already imported: no questionnaire stored (3 already present)." in again.output
    assert _stored() == 3
    assert db.session.scalar(select(func.count()).select_from(EvaluationImport)) == 1
    # A later export of the same source: the rows seen before are skipped, new ones stored.
    grown = _csv(
        tmp_path, [EXPERT, ROW, ROW, ROW, {**ROW, "meeting_ref": "essai-2"}], name="v2.csv"
    )
    result = _import(app, grown)
    assert "2 questionnaires enregistrés (2 rencontres) ; 3 déjà présents." in result.output
    assert _stored() == 5


def test_a_meeting_must_agree_with_what_is_already_stored(app, tmp_path):
    assert _import(app, _csv(tmp_path, [ROW])).exit_code == 0
    later = _csv(tmp_path, [{**EXPERT, "round": "follow_up"}], name="suivi.csv")
    result = _import(app, later)
    assert result.exit_code == 1
    assert "Ligne 2, colonne « round » : la rencontre « essai-1 » a « first » dans les " in (
        result.stderr
    )
    assert _stored() == 1


def test_a_large_file_shows_a_progress_bar(app, tmp_path):
    rows = [{**ROW, "meeting_ref": f"m{number // 4}"} for number in range(600)]
    result = _import(app, _csv(tmp_path, rows))
    assert result.exit_code == 0, result.output
    assert "Vérification / Checking" in result.output
    assert "Enregistrement / Storing" in result.output
    assert "600 questionnaires enregistrés (150 rencontres)" in result.output
    small = _import(app, _csv(tmp_path, [EXPERT], name="petit.csv"))
    assert "Checking" not in small.output


def test_the_command_as_an_operator_runs_it(tmp_path):
    """A real process on a fresh SQLite instance: exit statuses and both languages."""
    env = {**os.environ, "DIRECTORY_INSTANCE_PATH": str(tmp_path / "instance")}
    env.pop("DATABASE_URL", None)

    def flask(*args):
        return subprocess.run(  # noqa: S603 - fixed arguments
            [sys.executable, "-m", "flask", "--app", "wsgi", *args],
            cwd=REPOSITORY_ROOT, env=env, capture_output=True, text=True, check=False,
            timeout=300,
        )  # fmt: skip

    assert flask("db", "upgrade").returncode == 0
    assert flask("db", "seed").returncode == 0
    bad = flask("evaluations", "import", str(_csv(tmp_path, [ROW, {**ROW, "s2": "bof"}])))
    assert bad.returncode == 1
    assert "Ligne 3, colonne « s2 »" in bad.stderr
    assert 'Line 3, column "s2"' in bad.stderr
    first = flask("evaluations", "import", str(build.OUTPUT))
    assert first.returncode == 0, first.stderr
    assert "250 questionnaires enregistrés (63 rencontres)" in first.stdout
    second = flask("evaluations", "import", str(build.OUTPUT))
    assert second.returncode == 0
    assert "Already imported: no questionnaire stored (250 already present)." in second.stdout
    missing = flask("evaluations", "import", str(tmp_path / "absent.csv"))
    assert missing.returncode == 2  # click's usage error: the file does not exist
