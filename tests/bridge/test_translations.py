"""Every declared language reaches the visitor: the home page speaks it, right to left
where it is written so. (Catalogue completeness: tests/languages/test_registry.py.)"""

import pytest
from django.utils import translation

from languages import registry


@pytest.mark.django_db
@pytest.mark.parametrize("code", [c for c in registry.CODES if c != "en"])
def test_translations_home_page_is_in_the_visitors_language(client, code):
    html = client.get(f"/{code}/").content.decode()
    with translation.override(code):
        expected = translation.gettext("We never ask about immigration status.")
    assert expected != "We never ask about immigration status."
    assert expected in html
    assert "911" in html
    lang = registry.get(code)
    assert f'<html lang="{code}" dir="{lang.direction}"' in html
    if lang.bidi:
        assert "bootstrap.rtl.min.css" in html
