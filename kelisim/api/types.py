"""Input types shared by the routers."""

from typing import Annotated

from pydantic import StringConstraints

# Text from the outside world: PostgreSQL cannot store or even compare a NUL character, so a NUL
# is refused at the door (422) instead of failing deep in a query (500). The pattern is also in
# the schema, so that clients and schema-based tests know it.
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
