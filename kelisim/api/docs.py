"""The interactive API documentation, served entirely from this site.

django-ninja renders Swagger UI from a CDN unless "ninja" is an installed app; Kelisim makes no
requests to other sites (and its Content-Security-Policy would block them), so the page and the
Swagger UI files that ship inside the django-ninja package are served here instead.
"""

import json
from pathlib import Path

import ninja
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from ninja.openapi.docs import Swagger

NINJA_STATIC = Path(ninja.__file__).resolve().parent / "static" / "ninja"
DOCS_ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.svg": "image/svg+xml",
}


class LocalSwagger(Swagger):
    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings), "api": api}
        return render(request, "api/docs.html", context)


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def docs_asset(request, name: str):
    if name not in DOCS_ASSETS:
        raise Http404
    return FileResponse((NINJA_STATIC / name).open("rb"), content_type=DOCS_ASSETS[name])
