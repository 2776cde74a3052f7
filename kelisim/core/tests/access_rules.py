from kelisim.core.tests.access import EVERYONE, NOBODY, Rule

ACCESS_RULES = [
    Rule("healthz", allowed=EVERYONE),
    Rule("readyz", allowed=EVERYONE),
    Rule("core:home", allowed=EVERYONE),
    Rule("core:about_data", allowed=EVERYONE),
    Rule("core:search", allowed=EVERYONE),
    Rule("core:search", query="q=world", allowed=EVERYONE, note="a query"),
    Rule("core:data_catalogue", allowed=EVERYONE),
    Rule("data_catalogue_jsonld", allowed=EVERYONE),
    Rule("sitemap", allowed=EVERYONE),
    Rule("sitemap_section", kwargs=lambda world: {"section": "news"}, allowed=EVERYONE),
    Rule("sitemap_section", kwargs=lambda world: {"section": "none"}, allowed=NOBODY, note="unknown section"),
    # For the monitoring server only (its token or address, test_metrics.py): no session opens it, staff included.
    Rule("metrics", allowed=NOBODY, note="without the monitoring token"),
]
