"""Addresses. UI pages live under a language prefix (/kk/, /ru/, /en/); /healthz, /readyz, /api/v1/ and
static files do not, because other tools rely on them staying put."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from kelisim.api.api import api
from kelisim.core import catalogue, health, metrics, sitemaps

handler400 = "kelisim.core.views.bad_request"
handler403 = "kelisim.core.views.permission_denied"
handler404 = "kelisim.core.views.page_not_found"
handler500 = "kelisim.core.views.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("data/catalog.jsonld", catalogue.catalogue_jsonld, name="data_catalogue_jsonld"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap_section"),
]

urlpatterns += i18n_patterns(
    path("", include("kelisim.core.urls")),
    path("accounts/", include("kelisim.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("organisations/", include("kelisim.organisations.urls")),
    path("comments/", include("kelisim.comments.urls")),
    path("consultation/", include("kelisim.consultations.urls")),
    path("roundtables/", include("kelisim.meetings.urls")),
    path("plan/", include("kelisim.plans.urls")),
    path("news/", include("kelisim.publications.urls")),
    path("work/", include("kelisim.worklists.urls")),
    path("notifications/", include("kelisim.notifications.urls")),
    path("funding/", include("kelisim.funding.urls")),
    path("activities/", include("kelisim.activities.urls")),
    path("reports/", include("kelisim.reports.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
# No /media/ address, in any mode: every uploaded file is served by a view that checks who may see it
# (core.files.file_response).
