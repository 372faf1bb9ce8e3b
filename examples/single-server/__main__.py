"""One WordPress server with a data disk, a backup vault and host security.

Config: ``flexus:region`` (and credentials, see the README), ``adminPassword`` (secret).
"""

import pulumi

from flexus_pulumi import (
    ImageArgs,
    ImageName,
    PeriodType,
    PlanSpec,
    PowerState,
    Server,
    get_server_details_output,
)

config = pulumi.Config()

blog = Server(
    "blog",
    name="blog",
    description="company blog",
    plan_spec=PlanSpec.HF_LARGE_1_30M_LINUX,
    image=ImageArgs(ImageName.WORDPRESS, "6.4"),
    period_type=PeriodType.MONTH,
    period_num=1,
    auto_renew=True,
    data_disk_size=40,
    backup_size=40,
    host_security=True,
    tags={"team": "web"},
    server_name="blog",
    hostname="blog",
    admin_password=config.get_secret("adminPassword"),
    power_state=PowerState.RUNNING,
)

pulumi.export("instance_id", blog.instance_id)
pulumi.export("public_ip", blog.public_ip)
pulumi.export("data_disk_id", blog.data_disk_id)
pulumi.export("server", get_server_details_output(blog.server_id))
