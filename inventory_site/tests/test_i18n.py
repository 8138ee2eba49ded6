"""English and Bahasa Indonesia: the catalogue is complete, compiled, and used."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"


def test_both_languages_are_offered():
    assert [code for code, _ in settings.LANGUAGES] == ["en", "id"]


def test_every_indonesian_entry_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(PO))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_the_compiled_catalogue_matches_the_source():
    source = {e.msgid: e.msgstr for e in polib.pofile(str(PO)).translated_entries()}
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(PO.with_suffix(".mo")))}
    compiled.pop("", None)  # the header
    assert compiled == source, "run `make messages` and commit the .mo file"


@pytest.mark.django_db
def test_the_sign_in_page_speaks_indonesian_after_switching(client):
    response = client.post(
        reverse("set_language"), {"language": "id", "next": reverse("accounts:login")}
    )
    assert response.headers["Location"] == reverse("accounts:login")
    html = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="id">' in html
    with translation.override("id"):
        assert translation.gettext("Sign in") == "Masuk"
    assert ">Masuk<" in html


def test_every_translatable_string_of_the_code_is_in_the_catalogue():
    """Run makemessages (GNU gettext) and check it finds nothing new to translate."""
    from django.core.management import call_command

    before = PO.read_bytes()
    try:
        call_command(
            "makemessages",
            locale=["id"],
            ignore_patterns=[".venv", "var", "static/vendor", "test-results"],
            verbosity=0,
        )
        found = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    finally:
        PO.write_bytes(before)
    known = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    assert sorted(found - known) == [], "run `make messages` and translate the new entries"
