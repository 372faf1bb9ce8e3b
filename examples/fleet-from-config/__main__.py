"""A fleet from structured stack config (``flexus:fleet``), else from ``fleet.yaml``.

The whole definition is validated before anything is registered: every problem is
reported at once, with its path (``groups.web.image.version: …``).
"""

from pathlib import Path

import pulumi
import yaml

from flexus_pulumi import Fleet, members_table

spec = pulumi.Config("flexus").get_object("fleet")
if spec is None:
    spec = yaml.safe_load((Path(__file__).parent / "fleet.yaml").read_text())

fleet = Fleet("shop", spec)

pulumi.export("members", fleet.members)
pulumi.export("table", fleet.members.apply(members_table))
