"""Reversed URLs kept per process (``common.urls``, issue 11's load): the same answer as
Django's ``reverse`` for every key, never one path for two different requests."""

from __future__ import annotations

from collections.abc import Iterator

from django.template import Context, Template
from django.urls import NoReverseMatch, get_script_prefix, set_script_prefix
from django.urls import reverse as django_reverse

import pytest

from onderdak.common.urls import PATHS, reverse


@pytest.fixture
def paths() -> Iterator[None]:
    PATHS.clear()
    yield
    PATHS.clear()


@pytest.mark.usefixtures("paths")
def test_the_second_reverse_is_kept_and_equal_to_djangos() -> None:
    first = reverse("sites:detail", args=[7])
    assert first == django_reverse("sites:detail", args=[7])
    assert (PATHS.misses, PATHS.hits) == (1, 0)
    assert reverse("sites:detail", args=[7]) == first
    assert (PATHS.misses, PATHS.hits) == (1, 1)
    assert reverse("sites:detail", args=[8]) == django_reverse("sites:detail", args=[8])
    assert PATHS.misses == 2


@pytest.mark.usefixtures("paths")
def test_the_script_prefix_is_part_of_the_key() -> None:
    before = get_script_prefix()
    plain = reverse("sites:list")
    try:
        set_script_prefix("/onderdak/")
        behind_proxy = reverse("sites:list")
    finally:
        set_script_prefix(before)
    assert behind_proxy == "/onderdak" + plain
    assert reverse("sites:list") == plain


class Named:
    """An argument whose text can change (a model instance): never kept."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


@pytest.mark.usefixtures("paths")
def test_arguments_other_than_numbers_and_strings_are_reversed_every_time() -> None:
    argument = Named("5")
    assert reverse("sites:detail", args=[argument]) == "/locaties/5/"
    argument.text = "6"
    assert reverse("sites:detail", args=[argument]) == "/locaties/6/"
    assert len(PATHS) == 0


@pytest.mark.usefixtures("paths")
def test_a_name_that_does_not_reverse_raises_and_keeps_nothing() -> None:
    with pytest.raises(NoReverseMatch):
        reverse("sites:no-such-page")
    assert len(PATHS) == 0


@pytest.mark.usefixtures("paths")
def test_the_url_tag_reverses_through_the_kept_paths() -> None:
    template = Template(
        "{% url 'sites:detail' pk %}|{% url 'sites:detail' pk=pk %}|"
        "{% url 'sites:no-such-page' as missing %}[{{ missing }}]"
    )
    rendered = template.render(Context({"pk": 12}))
    assert rendered == "/locaties/12/|/locaties/12/|[]"
    assert len(PATHS) == 2  # the missing name is asked every time, kept never
    assert template.render(Context({"pk": 12})) == rendered
    assert (PATHS.hits, len(PATHS)) == (2, 2)


def test_a_missing_name_without_as_still_fails_the_page() -> None:
    with pytest.raises(NoReverseMatch):
        Template("{% url 'sites:no-such-page' %}").render(Context({}))
