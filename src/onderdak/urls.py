"""URL configuration: the web interface, the REST API under /api/v1/ and /healthz."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from onderdak.apps.core import views as core_views

api_v1: list[URLPattern | URLResolver] = [
    path("", include("onderdak.apps.accounts.api.urls")),
    path("", include("onderdak.apps.geo.api.urls")),
    path("", include("onderdak.apps.programme.api.urls")),
    path("", include("onderdak.apps.quotas.api.urls")),
    path("", include("onderdak.apps.region.api.urls")),
    path("", include("onderdak.apps.sites.api.urls")),
    path("", include("onderdak.apps.housing.api.urls")),
    path("", include("onderdak.apps.care.api.urls")),
    path("", include("onderdak.apps.finance.api.urls")),
    path("", include("onderdak.apps.communication.api.urls")),
    path("schema", SpectacularAPIView.as_view(api_version="1.0.0"), name="schema"),
    # Swagger UI with its start script as a separate file: it renders under the strict
    # Content-Security-Policy (no inline script or style); ReDoc injects <style> and stayed blank.
    path(
        "docs",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
]

urlpatterns = [
    path("", include("onderdak.apps.core.urls")),
    path("accounts/", include("onderdak.apps.accounts.urls")),
    path("referentiedata/", include("onderdak.apps.geo.urls")),
    path("planning/", include("onderdak.apps.programme.urls")),
    path("communicatie/", include("onderdak.apps.communication.urls")),
    path("taakstellingen/", include("onderdak.apps.quotas.urls")),
    path("regio/", include("onderdak.apps.region.urls")),
    path("locaties/", include("onderdak.apps.sites.urls")),
    path("huisvesting/", include("onderdak.apps.housing.urls")),
    path("zorg/", include("onderdak.apps.care.urls")),
    path("financien/", include("onderdak.apps.finance.urls")),
    path("audit/", include("onderdak.apps.audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("beheer/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("healthz", core_views.healthz, name="healthz"),
]

handler400 = "onderdak.apps.core.views.bad_request"
handler403 = "onderdak.apps.core.views.permission_denied"
handler404 = "onderdak.apps.core.views.page_not_found"
handler500 = "onderdak.apps.core.views.server_error"
