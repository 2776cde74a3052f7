from kelisim.core import registry


def home_figures() -> list[dict]:
    """Headline counts for the home page, from the figures that apps registered."""
    figures = []
    for figure in registry.home_figures():
        value = figure.value()
        figures.append({"key": figure.key, "label": figure.label(value), "value": value, "url_name": figure.url_name})
    return figures
