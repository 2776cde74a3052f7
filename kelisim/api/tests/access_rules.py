from kelisim.core.tests.access import EVERYONE, NOBODY, Rule

ACCESS_RULES = [
    Rule("api:api-root", allowed=NOBODY, note="(ninja answers 404 at the bare root)"),
    Rule("api:openapi-json", allowed=EVERYONE),
    Rule("api:openapi-view", allowed=EVERYONE),
    Rule("api:list_regions", allowed=EVERYONE),
    Rule("api:get_region", kwargs=lambda world: {"code": "KZ-71"}, allowed=EVERYONE),
    Rule("api:list_strands", allowed=EVERYONE),
]
