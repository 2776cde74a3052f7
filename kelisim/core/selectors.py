from kelisim.core import registry


def home_figures() -> list[dict]:
    """Headline counts for the home page, from the figures that apps registered."""
    return [
        {"key": figure.key, "label": figure.label, "value": figure.value(), "url_name": figure.url_name}
        for figure in registry.home_figures()
    ]
