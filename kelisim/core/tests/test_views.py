import pytest
from django.urls import reverse
from django.utils import translation

from kelisim.core.models import Region

pytestmark = pytest.mark.django_db


# The same two phrases in each language: the skip link of every page, and the title of the 404 page.
SKIP_LINK = {"en": "Skip to main content", "ru": "Перейти к основному содержанию", "kk": "Негізгі мазмұнға өту"}
NOT_FOUND = {"en": "Page not found", "ru": "Страница не найдена", "kk": "Бет табылмады"}


@pytest.mark.parametrize("language", SKIP_LINK)
def test_home_page_speaks_each_language_under_its_prefix(client, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert f'lang="{language}"' in response.text
    assert SKIP_LINK[language] in response.text


def test_root_redirects_to_a_language_prefix(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 302
    assert response["Location"] == "/kk/"


@pytest.mark.parametrize("language", NOT_FOUND)
def test_not_found_page_is_translated(client, language):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    assert NOT_FOUND[language] in response.text


def test_language_switcher_links_to_the_same_page_in_each_language(client):
    response = client.get(reverse("core:about_data"))
    for code in ("kk", "ru", "en"):
        assert f'href="/{code}/privacy-and-open-data/"' in response.text


def test_the_switcher_keeps_the_object_and_the_query_of_the_page_in_each_language(client):
    from kelisim.organisations.tests.factories import OrganisationFactory

    organisation = OrganisationFactory()
    page = client.get(reverse("organisations:detail", args=[organisation.pk])).text
    for code in ("kk", "ru", "en"):
        assert page.count(f'href="/{code}/organisations/{organisation.pk}/"') == 2  # the head's alternate, the switcher
    listed = client.get(reverse("organisations:list"), {"q": "жастар орталығы", "page": "1"}).text
    for code in ("kk", "ru", "en"):
        with translation.override(code):
            expected = reverse("organisations:list") + "?q=%D0%B6%D0%B0%D1%81%D1%82%D0%B0%D1%80+"
        assert expected in listed and "&amp;page=1" in listed


def test_regions_are_todays_seventeen_regions_and_three_cities():
    assert Region.objects.filter(kind=Region.Kind.REGION).count() == 17
    assert set(Region.objects.filter(kind=Region.Kind.CITY).values_list("code", flat=True)) == {
        "KZ-71",
        "KZ-75",
        "KZ-79",
    }
    for region in Region.objects.all():
        assert region.name_kk and region.name_ru and region.name_en


def test_the_error_summary_links_every_problem_to_its_field_and_names_what_failed():
    from django import forms
    from django.template.loader import render_to_string

    class TitleForm(forms.Form):
        title = forms.CharField(label="Title")
        step = forms.IntegerField(widget=forms.HiddenInput)

        def clean(self):
            raise forms.ValidationError("Nothing was saved.")

    form = TitleForm(data={"title": "", "step": "x"})
    html = render_to_string("core/includes/form_fields.html", {"form": form})
    assert 'class="error-summary"' in html and "<h2>There is a problem</h2>" in html
    assert "<li>Nothing was saved.</li>" in html
    assert '<a href="#id_title">Title</a>: This field is required.' in html
    assert "Enter a whole number." in html  # a hidden field's error is not lost
    named = render_to_string("core/includes/error_summary.html", {"form": form, "heading": "The article was not saved"})
    assert "<h2>There is a problem</h2>" in named and "<p>The article was not saved.</p>" in named
    assert "error-summary" not in render_to_string("core/includes/error_summary.html", {"form": TitleForm()})
