"""One WordPress server with a data disk, a backup vault and host security.

Config: ``flexus:region`` (and credentials, see the README), ``adminPassword`` (secret).
"""

import pulumi

from flexus_pulumi import ImageArgs, InstanceArgs, Server, get_server_details_output

config = pulumi.Config()

blog = Server(
    "blog",
    InstanceArgs(
        name="blog",
        description="company blog",
        plan_spec="hf.large.1.30m.linux",
        image=ImageArgs("WordPress", "6.4"),
        period_type="month",
        period_num=1,
        auto_renew=True,
        data_disk_size=40,
        backup_size=40,
        host_security=True,
        tags={"team": "web"},
        server_name="blog",
        hostname="blog",
        admin_password=config.get_secret("adminPassword"),
        power_state="running",
    ),
)

pulumi.export("instance_id", blog.instance_id)
pulumi.export("public_ip", blog.public_ip)
pulumi.export("data_disk_id", blog.data_disk.extra_id if blog.data_disk else None)
pulumi.export("server", get_server_details_output(blog.server_id))
