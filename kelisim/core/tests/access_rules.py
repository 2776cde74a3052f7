from kelisim.core.tests.access import EVERYONE, Rule

ACCESS_RULES = [
    Rule("healthz", allowed=EVERYONE),
    Rule("core:home", allowed=EVERYONE),
    Rule("core:about_data", allowed=EVERYONE),
]
