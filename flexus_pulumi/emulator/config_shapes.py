"""The Config (RMS) resource of a Flexus L instance, shaped like the vendor's example:
the instance with its metadata and the bundle in ``properties.resources``.

Bundle members (``logical_resource_type``): ``hws.resource.type.marketplace`` (app images
only), ``huaweicloudinternal_ecs_instance`` (the server), ``hws.resource.type.volume``
(system disk), ``huaweicloudinternal_cbc_freeresource`` (traffic package),
``huaweicloudinternal_eip`` (with ``public_ip_address``), ``huaweicloudinternal_eip_attach``,
``huaweicloudinternal_eip_bandwidth_lock``, ``huaweicloudinternal_eip_lock``; and when
bought, data disk, backup vault and host security, named as the ``extras_in_bundle``
setting says (:data:`EXTRA_MEMBERS`; e.g. ``huaweicloudinternal_evs_volume``), or absent.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flexus_pulumi import catalog

from .clock import iso_millis, iso_seconds, plain_seconds
from .models import POWER_RUNNING, Extra, Instance, Server
from .product import RESOURCE_TYPE_CODE, SERVICE_TYPE_CODE, image_type, product_name
from .state import Account, inst_is_live

PROVIDER = "hcss"
RESOURCE_TYPE = "l-instance"


def _attrs(values: dict[str, Any], stamp: str) -> list[dict[str, str]]:
    """Config's ``resource_attributes``: every value as a string (JSON for structures)."""
    out = []
    for key, value in {**values, "cors_crm_updated_at": stamp}.items():
        if isinstance(value, str):
            text = value
        elif value is None:
            text = "null"
        else:
            text = json.dumps(value)
        out.append({"value": text, "key": key})
    return out


def _member(
    physical_type: str,
    logical_type: str,
    physical_id: str,
    logical_name: str,
    service: str,
    attributes: list[dict[str, str]] | None = None,
    physical_name: str | None = None,
) -> dict[str, Any]:
    member: dict[str, Any] = {
        "physical_resource_type": physical_type,
        "logical_resource_type": logical_type,
        "physical_resource_id": physical_id,
    }
    if physical_name is not None:
        member["physical_resource_name"] = physical_name
    if attributes is not None:
        member["resource_attributes"] = attributes
    member["logical_resource_name"] = logical_name
    member["cloud_service_type"] = service
    return member


def _server_member(inst: Instance, server: Server, stamp: str) -> dict[str, Any]:
    spec = catalog.PLAN_SPECS[inst.spec]
    data_volumes = [
        {"size": e.size, "volumetype": "SAS_for_smb", "id": e.resource_id}
        for e in inst.extras
        if e.type == "evs"
    ]
    attributes = {
        "admin_pass": None,
        "availability_zone": f"{inst.region}a",
        "data_volumes": data_volumes,
        "description": server.description or None,
        "extendparam": {"chargingMode": "prePaid", "orderID": inst.order_id},
        "flavor_id": server.flavor_id,
        "id": server.id,
        "image_id": server.image_id,
        "metadata": {"__support_agent_list": "hss,hss-pc,ces"},
        "name": server.name,
        "nics": [{"ip_address": server.fixed_ip, "subnet_id": server.subnet_id}],
        "primary_port_id": server.port_id,
        "root_volume": [
            {
                "extendparam": {"orderID": inst.order_id},
                "size": spec.system_disk_gib,
                "volumetype": "SAS_for_smb",
            }
        ],
        "status": "0" if server.power_state == POWER_RUNNING else "1",
        "system_disk_id": server.system_disk_id,
        "tags": ["_sys_type_hcss_l"],
        "vpc_id": server.vpc_id,
    }
    return _member(
        "hws.resource.type.vm",
        "huaweicloudinternal_ecs_instance",
        server.id,
        "huaweicloudinternal_ecs_instance_light_server_compute_instance",
        "hws.service.type.ec2",
        _attrs(attributes, stamp),
        physical_name=server.name,
    )


def _bundle(inst: Instance, account: Account, stamp: str, naming: str) -> list[dict[str, Any]]:
    server = inst.server
    assert server is not None
    spec = catalog.PLAN_SPECS[inst.spec]
    tail = server.name.rsplit("_", 1)[-1]
    members = []
    if image_type(inst) == "market":
        members.append(
            _member(
                "hws.resource.type.marketplace",
                "hws.resource.type.marketplace",
                f"{inst.id}_{server.image_id}_0",
                "huaweicloudinternal_ecs_instance_image",
                "hws.service.type.marketplace",
            )
        )
    members.append(_server_member(inst, server, stamp))
    members.append(
        _member(
            "hws.resource.type.volume",
            "hws.resource.type.volume",
            server.system_disk_id,
            "huaweicloudinternal_ecs_instance_system_disk",
            "hws.service.type.ebs",
            _attrs({"id": server.system_disk_id, "size": spec.system_disk_gib}, stamp),
        )
    )
    members.append(
        _member(
            "hws.resource.type.bandwidth",
            "huaweicloudinternal_cbc_freeresource",
            inst.traffic_package_id,
            "huaweicloudinternal_cbc_freeresource_cbc_freeresource",
            "hws.service.type.vpc",
            _attrs(
                {
                    "bundle_product_id": None,
                    "customer_id": account.domain_id,
                    "end_time": plain_seconds(inst.expire_at or 0.0),
                    "enterprise_project_id": None,
                    "id": inst.traffic_package_id,
                    "order_id": inst.order_id,
                    "oriented_resource_id": inst.bandwidth_id,
                    "amount": str(spec.traffic_gb),
                    "region_code": inst.region,
                },
                stamp,
            ),
        )
    )
    bandwidth = [
        {
            "billing_info": "",
            "charge_mode": "traffic",
            "id": inst.bandwidth_id,
            "name": f"hcss_bandwidth_{tail}",
            "share_type": "PER",
            "size": spec.bandwidth_mbps,
            "status": 0,
        }
    ]
    members.append(
        _member(
            "hws.resource.type.ip",
            "huaweicloudinternal_eip",
            inst.eip_id,
            "huaweicloudinternal_eip_light_server_eip",
            "hws.service.type.vpc",
            _attrs(
                {
                    "alias": f"hcss_eip_{tail}",
                    "associate_instance_id": None,
                    "associate_instance_type": None,
                    "bandwidth": bandwidth,
                    "id": inst.eip_id,
                    "ip_version": "4",
                    "public_ip_address": inst.public_ip,
                    "public_ipv6_address": "",
                    "publicip_pool_name": "5_bgp",
                    "status": "0",
                },
                stamp,
            ),
        )
    )
    members.append(
        _member(
            "",
            "huaweicloudinternal_eip_attach",
            inst.eip_id,
            "huaweicloudinternal_eip_attach_light_server_eip_attach_ecs",
            "",
            _attrs(
                {
                    "associate_instance_id": server.port_id,
                    "associate_instance_type": "PORT",
                    "eip_id": inst.eip_id,
                    "id": inst.eip_id,
                },
                stamp,
            ),
        )
    )
    lock = {"scene": "hcss", "source_id": server.id, "source_type": "hcss"}
    members.append(
        _member(
            "",
            "huaweicloudinternal_eip_bandwidth_lock",
            inst.bandwidth_id,
            "huaweicloudinternal_eip_bandwidth_lock_light_server_bandwidth_lock_ecs",
            "",
            _attrs(
                {
                    "action": "resize,change_charge_mode,delete",
                    "bandwidth_id": inst.bandwidth_id,
                    "id": inst.bandwidth_id,
                    **lock,
                },
                stamp,
            ),
        )
    )
    members.append(
        _member(
            "",
            "huaweicloudinternal_eip_lock",
            inst.eip_id,
            "huaweicloudinternal_eip_lock_light_server_eip_lock_ecs",
            "",
            _attrs(
                {
                    "action": "associate_instance,disassociate_instance,change_bandwidth,"
                    "delete,change_charge_mode",
                    "eip_id": inst.eip_id,
                    "id": inst.eip_id,
                    **lock,
                },
                stamp,
            ),
        )
    )
    members.extend(_extra_members(inst, server, stamp, naming))
    return members


#: Bundle member naming of the extras (``extras_in_bundle`` setting): per extra type, the
#: physical type, logical type and logical name of its member.
EXTRA_MEMBERS: dict[str, dict[str, tuple[str, str, str]]] = {
    "internal": {
        "evs": (
            "hws.resource.type.volume",
            "huaweicloudinternal_evs_volume",
            "huaweicloudinternal_evs_volume_light_server_data_disk",
        ),
        "cbr": (
            "hws.resource.type.vault",
            "huaweicloudinternal_cbr_vault",
            "huaweicloudinternal_cbr_vault_light_server_backup_vault",
        ),
        "hss": (
            "hws.resource.type.hss.quota",
            "huaweicloudinternal_hss_quota",
            "huaweicloudinternal_hss_quota_light_server_host_security",
        ),
    },
    "resource_type": {
        "evs": (
            "hws.resource.type.volume",
            "hws.resource.type.volume",
            "huaweicloudinternal_ecs_instance_data_volume",
        ),
        "cbr": (
            "hws.resource.type.vault",
            "hws.resource.type.vault",
            "huaweicloudinternal_cbr_light_server_vault",
        ),
        "hss": (
            "hws.resource.type.hss.quota",
            "hws.resource.type.hss.quota",
            "huaweicloudinternal_hss_light_server_quota",
        ),
    },
    "terraform": {
        "evs": ("hws.resource.type.volume", "huaweicloud_evs_volume", "light_server_data_disk"),
        "cbr": ("hws.resource.type.vault", "huaweicloud_cbr_vault", "light_server_backup"),
        "hss": (
            "hws.resource.type.hss.quota",
            "huaweicloud_hss_host_protection",
            "light_server_host_protection",
        ),
    },
    "absent": {},
}


def _extra_attributes(extra: Extra, server: Server) -> dict[str, Any]:
    if extra.type == "evs":
        return {
            "id": extra.resource_id,
            "size": str(extra.size),
            "volume_type": "SAS_for_smb",
            "server_id": server.id,
        }
    if extra.type == "cbr":
        return {
            "id": extra.resource_id,
            "size": str(extra.size),
            "protect_type": "backup",
            "resources": [{"server_id": server.id}],
        }
    return {"id": extra.resource_id, "version": "hss.version.basic", "host_id": server.id}


def _extra_members(inst: Instance, server: Server, stamp: str, naming: str) -> list[dict[str, Any]]:
    names = EXTRA_MEMBERS[naming]
    members = []
    for extra in inst.extras:
        if extra.type not in names:
            continue
        physical, logical, logical_name = names[extra.type]
        members.append(
            _member(
                physical,
                logical,
                extra.resource_id,
                logical_name,
                f"hws.service.type.{'ebs' if extra.type == 'evs' else extra.type}",
                _attrs(_extra_attributes(extra, server), stamp),
            )
        )
    return members


def instance_status(inst: Instance) -> str:
    """``RUNNING`` or ``STOPPED`` (from the server's power state)."""
    server = inst.server
    return "RUNNING" if server is None or server.power_state == POWER_RUNNING else "STOPPED"


def resource(inst: Instance, account: Account, extras_naming: str = "internal") -> dict[str, Any]:
    """The Config resource entity of a provisioned instance; its extras named as
    :data:`EXTRA_MEMBERS` ``[extras_naming]`` says."""
    assert inst.provisioned_at is not None
    assert inst.server is not None
    updated = max(inst.updated_at or inst.provisioned_at, inst.server.updated_at)
    stamp = iso_seconds(updated)
    metadata = {
        "charging_mode": "prePaid",
        "resource_type": RESOURCE_TYPE_CODE,
        "resource_spec_code": inst.spec,
        "order_id": inst.order_id,
        "cloud_service_type": SERVICE_TYPE_CODE,
        "period_type": inst.period_type,
        "period_num": str(inst.period_num),
        "is_auto_renew": "true" if inst.auto_renew else "false",
        "expire_time": iso_seconds(inst.expire_at) if inst.expire_at else "",
    }
    properties: dict[str, Any] = {
        "metadata": metadata,
        "description": inst.description,
        "resources": _bundle(inst, account, stamp, extras_naming),
        "product_name": product_name(inst),
        "platform": "SMB",
        "plan_name": inst.spec.replace(".", "_"),
        "product_id": hashlib.sha256(product_name(inst).encode()).hexdigest()[:24],
        "plan_id": hashlib.sha256(inst.spec.encode()).hexdigest()[:24],
        "status": instance_status(inst),
    }
    # built in a fixed order, so its repr changes exactly when a value does
    checksum = hashlib.sha256(repr(properties).encode()).hexdigest()
    return {
        "id": inst.id,
        "name": inst.name,
        "provider": PROVIDER,
        "type": RESOURCE_TYPE,
        "region_id": inst.region,
        "project_id": inst.project_id,
        "project_name": inst.region,
        "ep_id": "0",
        "ep_name": "default",
        "checksum": checksum,
        "created": iso_millis(inst.provisioned_at),
        "updated": iso_millis(updated),
        "provisioning_state": "Succeeded",
        "state": "Normal" if inst_is_live(inst) else "Deleted",
        "tags": dict(inst.tags),
        "properties": properties,
    }
