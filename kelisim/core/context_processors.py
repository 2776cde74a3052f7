from django.conf import settings


def site(request):
    return {
        "SITE_NAME": "Kelisim",
        "SITE_URL": settings.SITE_URL,
        "PRODUCTION": settings.PRODUCTION,
    }
