from kelisim.core.tests.access import SIGNED_IN, Rule

ACCESS_RULES = [
    Rule("accounts:profile", allowed=SIGNED_IN),
]
