"""Environment settings: one parser per type, the same spellings everywhere, clear errors at
start, and the README's table equal to the declarations."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from directory import config, settings
from directory.config import REPOSITORY_ROOT

BOOLEANS = [setting.name for setting in settings.SETTINGS if setting.kind == "boolean"]
TRUE = ["1", "true", "TRUE", "True", "yes", "Yes", "on", "ON", " on "]
FALSE = ["0", "false", "FALSE", "False", "no", "No", "off", "OFF", " 0 "]


@pytest.fixture
def clean_environment(monkeypatch):
    for setting in settings.SETTINGS:
        monkeypatch.delenv(setting.name, raising=False)
    return monkeypatch


def test_both_booleans_are_declared():
    assert set(BOOLEANS) >= {"SESSION_COOKIE_SECURE", "MAIL_USE_STARTTLS"}


@pytest.mark.parametrize("name", BOOLEANS)
@pytest.mark.parametrize("spelling", TRUE)
def test_every_boolean_reads_every_true_spelling(clean_environment, name, spelling):
    clean_environment.setenv(name, spelling)
    assert settings.boolean(name) is True


@pytest.mark.parametrize("name", BOOLEANS)
@pytest.mark.parametrize("spelling", FALSE)
def test_every_boolean_reads_every_false_spelling(clean_environment, name, spelling):
    clean_environment.setenv(name, spelling)
    assert settings.boolean(name) is False


def test_unset_or_blank_booleans_take_their_default(clean_environment):
    assert settings.boolean("SESSION_COOKIE_SECURE") is True
    assert settings.boolean("MAIL_USE_STARTTLS") is False
    clean_environment.setenv("SESSION_COOKIE_SECURE", "")
    clean_environment.setenv("MAIL_USE_STARTTLS", "  ")
    assert settings.boolean("SESSION_COOKIE_SECURE") is True
    assert settings.boolean("MAIL_USE_STARTTLS") is False


def test_the_two_booleans_agree_in_the_configuration(clean_environment, tmp_path):
    """`false` used to leave the cookie Secure and `true` left STARTTLS off."""
    clean_environment.setenv("SESSION_COOKIE_SECURE", "false")
    clean_environment.setenv("MAIL_USE_STARTTLS", "true")
    built = config.build_config(tmp_path)
    assert built["SESSION_COOKIE_SECURE"] is False
    assert built["MAIL_USE_STARTTLS"] is True


@pytest.mark.parametrize("name", BOOLEANS)
@pytest.mark.parametrize("value", ["2", "vrai", "oui", "enabled", "t", "-1", "yes please"])
def test_an_invalid_boolean_is_an_error_naming_the_variable(clean_environment, name, value):
    clean_environment.setenv(name, value)
    with pytest.raises(settings.SettingError) as raised:
        settings.boolean(name)
    message = str(raised.value)
    assert message.startswith(f"{name} : valeur booléenne attendue")
    assert f"{name}: expected a boolean (1, true, yes, on or 0, false, no, off)" in message
    assert repr(value) in message


def test_an_invalid_boolean_stops_the_configuration(clean_environment, tmp_path):
    clean_environment.setenv("MAIL_USE_STARTTLS", "maybe")
    with pytest.raises(ValueError, match="MAIL_USE_STARTTLS"):
        config.build_config(tmp_path)


def test_integers_parse_and_default(clean_environment):
    assert settings.integer("SESSION_IDLE_MINUTES") == 30
    assert settings.integer("MAIL_PORT") == 25
    assert settings.integer("HSTS_SECONDS") == 31_536_000
    clean_environment.setenv("SESSION_IDLE_MINUTES", " 45 ")
    clean_environment.setenv("HSTS_SECONDS", "0")
    assert settings.integer("SESSION_IDLE_MINUTES") == 45
    assert settings.integer("HSTS_SECONDS") == 0


@pytest.mark.parametrize(
    ("name", "value", "french", "english"),
    [
        ("MAIL_PORT", "twenty-five", "nombre entier attendu, pas", "expected a whole number"),
        ("SESSION_IDLE_MINUTES", "-5", "nombre entier attendu, pas", "expected a whole number"),
        ("TRUSTED_PROXIES", "1.5", "nombre entier attendu, pas", "expected a whole number"),
        ("HSTS_SECONDS", "٣", "nombre entier attendu, pas", "expected a whole number"),
        (
            "SESSION_IDLE_MINUTES",
            "0",
            "nombre entier d’au moins 1 attendu, pas 0",
            "expected a whole number of at least 1, not 0",
        ),
        (
            "MAIL_PORT",
            "70000",
            "nombre entier entre 1 et 65535 attendu, pas 70000",
            "expected a whole number between 1 and 65535, not 70000",
        ),
    ],
)
def test_an_invalid_integer_is_an_error_naming_the_variable(
    clean_environment, name, value, french, english
):
    clean_environment.setenv(name, value)
    with pytest.raises(settings.SettingError) as raised:
        settings.integer(name)
    message = str(raised.value)
    assert message.startswith(f"{name} : ")
    assert french in message
    assert f"{name}: {english}" in message


def test_choices_are_case_insensitive_and_checked(clean_environment):
    clean_environment.setenv("SEARCH_BACKEND", " Whoosh ")
    assert settings.choice("SEARCH_BACKEND") == "whoosh"
    clean_environment.setenv("SEARCH_BACKEND", "elastic")
    with pytest.raises(settings.SettingError, match="SEARCH_BACKEND: expected one of whoosh"):
        config.search_backend("sqlite://")


def test_text_settings_are_stripped_but_secrets_are_kept_as_given(clean_environment):
    clean_environment.setenv("MAIL_SERVER", " smtp.internal ")
    clean_environment.setenv("MAIL_PASSWORD", " p4ss ")
    assert settings.text("MAIL_SERVER") == "smtp.internal"
    assert settings.text("MAIL_PASSWORD") == " p4ss "
    assert settings.text("MAIL_SENDER") == "Filet <ne-pas-repondre@filet.invalid>"


def test_paths_and_the_search_index_folder(clean_environment, tmp_path):
    assert config.default_instance_path() == REPOSITORY_ROOT / "instance"
    assert config.build_config(tmp_path)["SEARCH_INDEX_DIR"] == tmp_path / "search"
    clean_environment.setenv("SEARCH_INDEX_DIR", str(tmp_path / "index"))
    clean_environment.setenv("DIRECTORY_SEED_DIR", str(tmp_path / "seed"))
    built = config.build_config(tmp_path)
    assert built["SEARCH_INDEX_DIR"] == tmp_path / "index"
    assert built["SEED_DIR"] == tmp_path / "seed"


def test_reading_an_undeclared_or_mistyped_setting_is_a_programming_error():
    with pytest.raises(KeyError):
        settings.text("NOT_DECLARED")
    with pytest.raises(TypeError, match="MAIL_PORT is declared as integer"):
        settings.boolean("MAIL_PORT")


def test_every_setting_is_declared_once_with_a_default_and_a_meaning():
    names = [setting.name for setting in settings.SETTINGS]
    assert len(names) == len(set(names))
    for setting in settings.SETTINGS:
        assert re.fullmatch(r"[A-Z][A-Z0-9_]+", setting.name)
        assert setting.default_text
        assert setting.description.endswith(".")
        assert "|" not in setting.default_text + setting.description
        assert (setting.kind == "choice") == bool(setting.choices)


def _readme_rows() -> list[str]:
    readme = (REPOSITORY_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| `")]


def test_the_readme_table_lists_exactly_the_declared_settings():
    expected = [line for line in settings.markdown_table().splitlines() if line.startswith("| `")]
    readme = _readme_rows()
    documented = {line.split("`")[1] for line in readme}
    declared = {setting.name for setting in settings.SETTINGS}
    assert documented - declared == set(), "in the README, not declared"
    assert declared - documented == set(), "declared, not in the README"
    assert readme == expected, "paste settings.markdown_table() into the README:\n" + "\n".join(
        expected
    )


def _environment_reads(path: Path) -> list[tuple[int, str]]:
    """`os.environ.get(…)`, `os.environ[…]` and `os.getenv(…)` in one source file."""
    reads = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        target = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = ast.unparse(node.func)
        elif isinstance(node, ast.Subscript):
            target = ast.unparse(node.value)
        if target in {"os.environ.get", "os.getenv", "os.environ"}:
            reads.append((node.lineno, ast.unparse(node)))
    return reads


def test_the_application_reads_the_environment_only_through_the_settings():
    sources = [
        *sorted((REPOSITORY_ROOT / "directory").rglob("*.py")),
        REPOSITORY_ROOT / "wsgi.py",
        REPOSITORY_ROOT / "migrations" / "env.py",
    ]
    found = {
        f"{path.relative_to(REPOSITORY_ROOT)}:{line}": code
        for path in sources
        if path.name != "settings.py"
        for line, code in _environment_reads(path)
    }
    assert found == {}
    assert _environment_reads(REPOSITORY_ROOT / "directory" / "settings.py")  # the check bites
