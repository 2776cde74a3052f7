from kelisim.core.tests.access import EVERYONE, Rule

ACCESS_RULES = [
    Rule("organisations:list", allowed=EVERYONE),
    Rule("organisations:detail", kwargs=lambda world: {"pk": world.organisation.pk}, allowed=EVERYONE),
    Rule("organisations:expert_detail", kwargs=lambda world: {"pk": world.expert.pk}, allowed=EVERYONE),
]
