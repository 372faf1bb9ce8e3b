"""The program whose state ``record_state.py`` keeps, written as version 0.2.0's API took
it (Args objects, ``Renewal``'s positional instance id, a fleet from a dict), and the same
program in today's keyword form with enums — both must find the recorded state unchanged.
"""

from __future__ import annotations

from typing import Any

import pulumi

#: The fleet of both programs (a group of two, and one server with a data disk).
FLEET: dict[str, Any] = {
    "defaults": {
        "plan_spec": "hf.large.1.30m.linux",
        "image": {"name": "Ubuntu", "version": "22.04"},
        "period_type": "year",
    },
    "groups": {
        "api": {"count": 2},
        "cache": {"count": 1, "kind": "servers", "data_disk_size": 10},
    },
}


def as_recorded() -> None:
    """The program as version 0.2.0 took it."""
    from flexus_pulumi import (
        Fleet,
        ImageArgs,
        Instance,
        InstanceArgs,
        InstanceGroup,
        InstanceGroupArgs,
        Renewal,
        Server,
    )

    web = Instance(
        "web",
        InstanceArgs(
            name="web",
            plan_spec="hf.large.1.30m.linux",
            image=ImageArgs("Ubuntu", "22.04"),
            period_type="year",
            server_name="web-1",
            hostname="web",
            tags={"team": "shop"},
            admin_password=pulumi.Output.secret("Old-Pass-2024"),
        ),
    )
    db = Server(
        "db",
        InstanceArgs(
            name="db",
            plan_spec="hf.large.2.30m.linux",
            image=ImageArgs("WordPress", "6.4"),
            period_type="year",
            data_disk_size=20,
            backup_size=30,
            host_security=True,
        ),
    )
    workers = InstanceGroup(
        "workers",
        InstanceGroupArgs(
            name="workers",
            plan_spec="hf.large.1.30m.linux",
            image=ImageArgs("Debian", "11.1"),
            period_type="year",
            count=2,
            server_name="worker",
        ),
    )
    Renewal("web-renewal", web.id, period_num=1)
    fleet = Fleet("fleet", FLEET)
    _exports(web, db, workers, fleet)


def _exports(web: Any, db: Any, workers: Any, fleet: Any) -> None:
    pulumi.export("web_spec", web.spec)
    pulumi.export("web_cost", web.order_cost)
    pulumi.export("db_data_disk_id", db.data_disk_id)
    pulumi.export("db_backup_size", db.backup_size)
    pulumi.export("workers", workers.instances)
    pulumi.export("members", fleet.members)


def in_todays_form() -> None:
    """The same program with keyword arguments, enums and the typed fleet spec."""
    from flexus_pulumi import (
        Fleet,
        GroupSpec,
        ImageArgs,
        ImageName,
        ImageSpec,
        Instance,
        InstanceGroup,
        MemberDefaults,
        PeriodType,
        PlanSpec,
        Renewal,
        Server,
    )

    web = Instance(
        "web",
        name="web",
        plan_spec=PlanSpec.HF_LARGE_1_30M_LINUX,
        image=ImageArgs(ImageName.UBUNTU, "22.04"),
        period_type=PeriodType.YEAR,
        server_name="web-1",
        hostname="web",
        tags={"team": "shop"},
        admin_password=pulumi.Output.secret("Old-Pass-2024"),
    )
    db = Server(
        "db",
        name="db",
        plan_spec=PlanSpec.HF_LARGE_2_30M_LINUX,
        image=ImageArgs(ImageName.WORDPRESS, "6.4"),
        period_type=PeriodType.YEAR,
        data_disk_size=20,
        backup_size=30,
        host_security=True,
    )
    workers = InstanceGroup(
        "workers",
        name="workers",
        plan_spec=PlanSpec.HF_LARGE_1_30M_LINUX,
        image=ImageArgs(ImageName.DEBIAN, "11.1"),
        period_type="year",
        count=2,
        server_name="worker",
    )
    Renewal("web-renewal", instance_id=web.id, period_num=1)
    fleet = Fleet(
        "fleet",
        defaults=MemberDefaults(
            plan_spec=PlanSpec.HF_LARGE_1_30M_LINUX,
            image=ImageSpec(name=ImageName.UBUNTU, version="22.04"),
            period_type=PeriodType.YEAR,
        ),
        groups={
            "api": GroupSpec(count=2),
            "cache": GroupSpec(count=1, kind="servers", data_disk_size=10),
        },
    )
    _exports(web, db, workers, fleet)
