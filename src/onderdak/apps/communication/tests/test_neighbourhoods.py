"""The municipality's neighbourhoods: an all-or-nothing GeoJSON import, the neighbourhoods within
a radius of a site suggested as stakeholders, and a site's and complex's own communication."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import pytest
from tests.fixtures import logged_in

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.communication import selectors, services
from onderdak.apps.communication.models import Neighbourhood
from onderdak.apps.sites.models import Site
from onderdak.common.imports import ImportRejected

pytestmark = pytest.mark.django_db

SITE = {"type": "Point", "coordinates": [4.9600, 52.3400]}


def _square(west: float, south: float, size: float = 0.004) -> dict[str, object]:
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [west, south],
                [west + size, south],
                [west + size, south + size],
                [west, south + size],
                [west, south],
            ]
        ],
    }


def _collection(*features: tuple[dict[str, object], object]) -> bytes:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": p, "geometry": g} for p, g in features],
        }
    ).encode()


AREAS = _collection(
    # the site lies inside this one
    ({"buurtnaam": "Verzetswijk", "buurtcode": "BU03840101"}, _square(4.958, 52.338)),
    # about 340 m east of the site (0.005 degrees of longitude at 52.34 N)
    ({"naam": "Oostelijk"}, {"type": "Point", "coordinates": [4.9650, 52.3400]}),
    # about 3 km away
    ({"name": "Ver weg"}, _square(5.000, 52.340)),
)


def test_an_import_lands_whole_or_not_at_all_and_names_the_feature(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    diemen = organisations["diemen"]
    editor = users["diemen-editor"]
    bad = _collection(
        ({"buurtnaam": "Goed"}, _square(4.958, 52.338)),
        ({"buurtcode": "BU1"}, _square(4.958, 52.338)),  # no name
        ({"buurtnaam": "Buiten"}, {"type": "Point", "coordinates": [52.34, 4.96]}),  # swapped
        ({"buurtnaam": "Goed"}, _square(4.970, 52.338)),  # twice
    )
    with pytest.raises(ImportRejected) as rejected:
        services.neighbourhoods_import(actor=editor, organisation=diemen, content=bad)
    texts = [str(e) for e in rejected.value.errors]
    assert any(t.startswith("rij 2") and "buurtnaam" in t for t in texts), texts
    assert any(t.startswith("rij 3") and "buiten Nederland" in t for t in texts), texts
    assert any(t.startswith("rij 4") and "ook object 1" in t for t in texts), texts
    assert not Neighbourhood.objects.exists()
    for hostile in (b"", b"[]", b"{", b'{"type": "FeatureCollection", "features": []}'):
        with pytest.raises(ImportRejected):
            services.neighbourhoods_import(actor=editor, organisation=diemen, content=hostile)
    done = services.neighbourhoods_import(actor=editor, organisation=diemen, content=AREAS)
    assert (done.created, done.updated) == (3, 0)
    again = services.neighbourhoods_import(actor=editor, organisation=diemen, content=AREAS)
    assert (again.created, again.updated) == (0, 3)
    assert Neighbourhood.objects.get(name="Verzetswijk").code == "BU03840101"
    with pytest.raises(PermissionDenied):  # a viewer may not import
        services.neighbourhoods_import(
            actor=users["diemen-viewer"], organisation=diemen, content=AREAS
        )


def test_the_page_imports_refuses_readers_and_removes_after_confirmation(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    editor = logged_in(users["diemen-editor"])
    upload = SimpleUploadedFile("buurten.geojson", AREAS, content_type="application/geo+json")
    assert editor.post("/communicatie/buurten/", {"file": upload}).status_code == 302
    page = editor.get("/communicatie/buurten/").content.decode()
    assert "Verzetswijk" in page and "BU03840101" in page
    wrong = SimpleUploadedFile("buurten.geojson", b"{nope", content_type="application/geo+json")
    refused = editor.post("/communicatie/buurten/", {"file": wrong}).content.decode()
    assert "Er is niets geïmporteerd" in refused or "niets geïmporteerd" in refused
    viewer = logged_in(users["diemen-viewer"])
    assert viewer.get("/communicatie/buurten/").status_code == 200
    assert viewer.post("/communicatie/buurten/", {}).status_code == 403
    assert viewer.get("/communicatie/buurten/verwijderen/").status_code == 403
    other = logged_in(users["uithoorn-editor"]).get("/communicatie/buurten/").content.decode()
    assert "Verzetswijk" not in other
    confirm = editor.get("/communicatie/buurten/verwijderen/").content.decode()
    assert "3 buurten" in confirm and Neighbourhood.objects.count() == 3
    assert editor.post("/communicatie/buurten/verwijderen/").status_code == 302
    assert not Neighbourhood.objects.exists()


def test_a_site_suggests_the_residents_of_the_neighbourhoods_within_the_radius(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    diemen = organisations["diemen"]
    editor = users["diemen-editor"]
    services.neighbourhoods_import(actor=editor, organisation=diemen, content=AREAS)
    site = Site.objects.create(organisation=diemen, name="Sportpark", geometry=SITE)
    near = selectors.neighbourhoods_near(user=editor, site=site, radius=500)
    assert [(n.neighbourhood.name, n.stakeholder) for n in near] == [
        ("Verzetswijk", None),
        ("Oostelijk", None),
    ]
    assert near[0].metres == 0 and 320 <= near[1].metres <= 360
    assert [
        n.neighbourhood.name
        for n in selectors.neighbourhoods_near(user=editor, site=site, radius=250)
    ] == ["Verzetswijk"]
    assert len(selectors.neighbourhoods_near(user=editor, site=site, radius=5000)) == 3
    # the suggestion prefills the stakeholder form; once saved, the site shows it as recorded
    client = logged_in(editor)
    verzet = Neighbourhood.objects.get(name="Verzetswijk")
    form = client.get(
        f"/communicatie/belanghebbenden/nieuw/?locatie={site.pk}&buurt={verzet.pk}"
    ).context["form"]
    assert form.initial["name"] == "Bewoners van Verzetswijk" and form.initial["sites"] == [site]
    services.stakeholder_create(
        actor=editor,
        organisation=diemen,
        name="Bewoners van Verzetswijk",
        kind="residents",
        sites=[site],
    )
    # a stakeholder whose name merely holds the neighbourhood's does not count as its residents
    services.stakeholder_create(
        actor=editor, organisation=diemen, name="Wijkraad Oostelijk-Noord", kind="other"
    )
    near = selectors.neighbourhoods_near(user=editor, site=site, radius=500)
    assert [(n.neighbourhood.name, n.stakeholder and n.stakeholder.name) for n in near] == [
        ("Verzetswijk", "Bewoners van Verzetswijk"),
        ("Oostelijk", None),
    ]
    page = client.get(f"/locaties/{site.pk}/").content.decode()
    assert "Buurten rond de locatie" in page and "vastgelegd als" in page
    assert "Voeg de bewoners van Oostelijk toe als belanghebbende" in page
    assert "Bewoners van Verzetswijk" in page  # among the site's stakeholders
    for radius in ("abc", "99999999999999999999", "-1", "750"):
        wrong = client.get(f"/locaties/{site.pk}/?straal={radius}")
        assert wrong.status_code == 200 and wrong.context["radius"] == 500
    assert client.get(f"/locaties/{site.pk}/?straal=2000").context["radius"] == 2000
    assert list(wrong.context["radii"]) == [250, 500, 1000, 2000]  # offered in order
    viewer = logged_in(users["diemen-viewer"]).get(f"/locaties/{site.pk}/").content.decode()
    assert "Voeg de bewoners" not in viewer and "niet vastgelegd als belanghebbende" in viewer
    # another municipality's neighbourhood is never suggested for a Diemen site, even when
    # that municipality shares it with the region (so Diemen's users can read it)
    services.neighbourhoods_import(
        actor=users["uithoorn-editor"], organisation=organisations["uithoorn"], content=AREAS
    )
    Neighbourhood.objects.filter(organisation=organisations["uithoorn"]).update(shared=True)
    assert selectors.neighbourhood_list(user=editor).count() == 6
    assert len(selectors.neighbourhoods_near(user=editor, site=site, radius=5000)) == 3
    other = Neighbourhood.objects.filter(organisation=organisations["uithoorn"]).first()
    assert other is not None
    foreign = client.get(
        f"/communicatie/belanghebbenden/nieuw/?locatie={site.pk}&buurt={other.pk}"
    ).context["form"]
    assert "name" not in foreign.initial


def test_a_complex_page_shows_its_stakeholders_and_moments(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    from onderdak.apps.housing.models import Complex

    diemen = organisations["diemen"]
    editor = users["diemen-editor"]
    complex = Complex.objects.create(organisation=diemen, name="Maalderij")
    services.stakeholder_create(
        actor=editor,
        organisation=diemen,
        name="Bewoners Maalderij",
        kind="flex_residents",
        complexes=[complex],
    )
    services.moment_create(
        actor=editor,
        organisation=diemen,
        title="Bewonersbrief verhuizing",
        kind="residents_letter",
        date=timezone.localdate(),
        complex=complex,
    )
    related = selectors.related_to(user=editor, today=timezone.localdate(), complex=complex)
    assert [s.name for s in related.stakeholders] == ["Bewoners Maalderij"]
    page = logged_in(users["diemen-viewer"]).get(f"/huisvesting/complexen/{complex.pk}/")
    text = page.content.decode()
    assert "Bewoners Maalderij" in text and "Bewonersbrief verhuizing" in text
    assert "Buurten rond de locatie" not in text
