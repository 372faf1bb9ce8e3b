"""flexus-pulumi: Huawei Cloud Flexus L instances as code with Pulumi.

Every public name is imported from here, and only from here::

    from flexus_pulumi import ImageArgs, Instance, PlanSpec, Region, Server, Renewal

resources and components (each taking an Args object or keyword arguments), their Args
classes, the enums generated from the catalog (:mod:`.enums`), the typed output values
(:mod:`.outputs`), the fleet spec's models and the lookups. They are loaded on first use,
so that the catalog, the cloud client and the emulator do not pull in the Pulumi SDK;
type checkers see the real classes. Tests use :mod:`flexus_pulumi.testing`; the cloud
client is :mod:`flexus_pulumi.cloud`, the emulator :mod:`flexus_pulumi.emulator`. Other
modules are internal.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

if TYPE_CHECKING:
    from .args import (
        BackupVaultArgs,
        DataDiskArgs,
        HostSecurityArgs,
        ImageArgs,
        InstanceArgs,
        InstanceGroupArgs,
        RenewalArgs,
    )
    from .components.fleet import Fleet, members_table
    from .components.fleet_fields import ImageSpec, MemberDefaults
    from .components.fleet_spec import FleetSpec, FleetSpecError, GroupSpec, SpecProblem
    from .components.server import Server
    from .enums import ImageName, PeriodType, PlanSpec, PowerState, Region
    from .functions import (
        get_server_details,
        get_server_details_output,
        get_traffic,
        get_traffic_output,
    )
    from .outputs import FleetMember, GroupMember, InstanceSpec, OrderCost, ServerInfo, TrafficUsage
    from .providers.extras import BackupVault, DataDisk, HostSecurity
    from .providers.group import InstanceGroup
    from .providers.instance import Instance
    from .providers.renewal import Renewal

#: Every public name → the module that defines it (imported on first use).
_EXPORTS: dict[str, str] = {
    "BackupVaultArgs": "flexus_pulumi.args",
    "DataDiskArgs": "flexus_pulumi.args",
    "HostSecurityArgs": "flexus_pulumi.args",
    "ImageArgs": "flexus_pulumi.args",
    "InstanceArgs": "flexus_pulumi.args",
    "InstanceGroupArgs": "flexus_pulumi.args",
    "RenewalArgs": "flexus_pulumi.args",
    "ImageName": "flexus_pulumi.enums",
    "PeriodType": "flexus_pulumi.enums",
    "PlanSpec": "flexus_pulumi.enums",
    "PowerState": "flexus_pulumi.enums",
    "Region": "flexus_pulumi.enums",
    "FleetMember": "flexus_pulumi.outputs",
    "GroupMember": "flexus_pulumi.outputs",
    "InstanceSpec": "flexus_pulumi.outputs",
    "OrderCost": "flexus_pulumi.outputs",
    "ServerInfo": "flexus_pulumi.outputs",
    "TrafficUsage": "flexus_pulumi.outputs",
    "Instance": "flexus_pulumi.providers.instance",
    "InstanceGroup": "flexus_pulumi.providers.group",
    "Renewal": "flexus_pulumi.providers.renewal",
    "BackupVault": "flexus_pulumi.providers.extras",
    "DataDisk": "flexus_pulumi.providers.extras",
    "HostSecurity": "flexus_pulumi.providers.extras",
    "Server": "flexus_pulumi.components.server",
    "Fleet": "flexus_pulumi.components.fleet",
    "members_table": "flexus_pulumi.components.fleet",
    "FleetSpec": "flexus_pulumi.components.fleet_spec",
    "FleetSpecError": "flexus_pulumi.components.fleet_spec",
    "GroupSpec": "flexus_pulumi.components.fleet_spec",
    "SpecProblem": "flexus_pulumi.components.fleet_spec",
    "ImageSpec": "flexus_pulumi.components.fleet_fields",
    "MemberDefaults": "flexus_pulumi.components.fleet_fields",
    "get_server_details": "flexus_pulumi.functions",
    "get_server_details_output": "flexus_pulumi.functions",
    "get_traffic": "flexus_pulumi.functions",
    "get_traffic_output": "flexus_pulumi.functions",
}

__all__ = [
    "BackupVault",
    "BackupVaultArgs",
    "DataDisk",
    "DataDiskArgs",
    "Fleet",
    "FleetMember",
    "FleetSpec",
    "FleetSpecError",
    "GroupMember",
    "GroupSpec",
    "HostSecurity",
    "HostSecurityArgs",
    "ImageArgs",
    "ImageName",
    "ImageSpec",
    "Instance",
    "InstanceArgs",
    "InstanceGroup",
    "InstanceGroupArgs",
    "InstanceSpec",
    "MemberDefaults",
    "OrderCost",
    "PeriodType",
    "PlanSpec",
    "PowerState",
    "Region",
    "Renewal",
    "RenewalArgs",
    "Server",
    "ServerInfo",
    "SpecProblem",
    "TrafficUsage",
    "__version__",
    "get_server_details",
    "get_server_details_output",
    "get_traffic",
    "get_traffic_output",
    "members_table",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'flexus_pulumi' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
