from kelisim.core.tests.access import EVERYONE, NOBODY, Rule

# The API is public reading, and /me answers only to a Bearer token (a signed-in browser session is not one).
ACCESS_RULES = [
    Rule("api:api-root", allowed=EVERYONE),
    Rule("api:openapi-json", allowed=EVERYONE),
    Rule("api:openapi-view", allowed=EVERYONE),
    Rule("api:docs-asset", kwargs=lambda world: {"name": "swagger-ui.css"}, allowed=EVERYONE),
    Rule("api:list_regions", allowed=EVERYONE),
    Rule("api:get_region", kwargs=lambda world: {"code": "KZ-71"}, allowed=EVERYONE),
    Rule("api:list_strands", allowed=EVERYONE),
    Rule("api:get_strand", kwargs=lambda world: {"code": world.strand.code}, allowed=EVERYONE),
    Rule("api:list_organisations", allowed=EVERYONE),
    Rule("api:get_organisation", kwargs=lambda world: {"organisation_id": world.organisation.pk}, allowed=EVERYONE),
    Rule("api:get_organisation_by_bin", kwargs=lambda world: {"bin": world.organisation.bin}, allowed=EVERYONE),
    Rule("api:list_experts", allowed=EVERYONE),
    Rule("api:list_expertise_fields", allowed=EVERYONE),
    Rule("api:get_expert", kwargs=lambda world: {"expert_id": world.expert.pk}, allowed=EVERYONE),
    Rule("api:me", allowed=NOBODY, note="(needs a Bearer token)"),
]
