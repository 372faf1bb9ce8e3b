"""JSON builders for ECS, BSS and IAM answers, shaped like the real cloud's (field names
and types as the official SDK models expect them)."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from flexus_pulumi import catalog

from .clock import add_months, iso_micros, iso_millis, iso_seconds
from .models import (
    ORDER_PENDING_PAYMENT,
    ORDER_UNSUBSCRIBE,
    POWER_RUNNING,
    Instance,
    Job,
    Order,
    Server,
)
from .pricing import price
from .state import Account

SYS_TAG_L_INSTANCE = "_sys_type_hcss_l"
SERVICE_TYPE_CODE = "hws.service.type.hcss"
RESOURCE_TYPE_CODE = "hws.resource.type.hecsfusion"
JOB_TYPES = {
    "start": "batchStartServers",
    "stop": "batchStopServers",
    "reboot": "batchRebootServers",
}
SUB_JOB_TYPES = {"start": "startServer", "stop": "stopServer", "reboot": "rebootServer"}
#: BSS period type codes.
BSS_PERIOD_TYPES = {"month": 2, "year": 3}


def _derived(seed: str, length: int = 32) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:length]


def _derived_uuid(seed: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, seed))


def image_label(inst: Instance) -> str:
    """What the image is called in server metadata."""
    if inst.image_id:
        return f"private image {inst.image_id}"
    if inst.image_name:
        return f"{inst.image_name} {inst.image_version or ''}".strip()
    return "Huawei Cloud EulerOS 2.0"


def image_type(inst: Instance) -> str:
    """``market`` (app image), ``gold`` (system image) or ``private``."""
    if inst.image_id:
        return "private"
    image = catalog.IMAGES.get(inst.image_name or "")
    return "market" if image is not None and image.kind == "app" else "gold"


def _os_type(inst: Instance) -> str:
    spec = catalog.PLAN_SPECS.get(inst.spec)
    return "Windows" if spec is not None and spec.os == "windows" else "Linux"


def _flavor(inst: Instance, server: Server) -> dict[str, Any]:
    spec = catalog.PLAN_SPECS[inst.spec]
    return {
        "disk": "0",
        "vcpus": str(spec.vcpus),
        "ram": str(int(spec.memory_gib * 1024)),
        "id": server.flavor_id,
        "name": server.flavor_id,
        "gpus": [],
        "asic_accelerators": [],
    }


def _addresses(inst: Instance, server: Server) -> dict[str, list[dict[str, Any]]]:
    entries = [("fixed", server.fixed_ip)]
    if inst.public_ip:
        entries.append(("floating", inst.public_ip))
    return {
        server.vpc_id: [
            {
                "version": "4",
                "addr": addr,
                "primary": True,
                "OS-EXT-IPS-MAC:mac_addr": server.mac,
                "OS-EXT-IPS:type": kind,
                "OS-EXT-IPS:port_id": server.port_id,
            }
            for kind, addr in entries
        ]
    }


def _metadata(inst: Instance, server: Server) -> dict[str, str]:
    return {
        "lockScene": "OTHER_SVC_LOCK=changeos,resize,delete,attachvolume,detachvolume,"
        "detachnics,attachnics,renewfee",
        "charging_mode": "1",
        "vpc_id": server.vpc_id,
        "metering.product_id": "OFF" + _derived(inst.spec, 19),
        "lockSource": "hcss",
        "lockSourceId": inst.id,
        "__support_agent_list": "hss,hss-pc,ces",
        "metering.imagetype": image_type(inst),
        "metering.order_id": inst.order_id,
        "image_name": image_label(inst),
        "metering.resourcespeccode": f"{server.flavor_id}.{_os_type(inst).lower()}",
        "os_type": _os_type(inst),
        "metering.resourcetype": "1",
        "metering.image_id": server.image_id,
        "os_bit": "64",
        "lockCheckEndpoint": "",
    }


def _volumes(inst: Instance, server: Server) -> list[dict[str, str]]:
    volumes = [
        {
            "id": server.system_disk_id,
            "delete_on_termination": "false",
            "device": "/dev/vda",
            "bootIndex": "0",
        }
    ]
    for extra in inst.extras:
        if extra.type == "evs":
            volumes.append(
                {
                    "id": extra.resource_id,
                    "delete_on_termination": "false",
                    "device": "/dev/vdb",
                    "bootIndex": "",
                }
            )
    return volumes


def server_detail(inst: Instance, server: Server, account: Account) -> dict[str, Any]:
    """``GET /v1/{project_id}/cloudservers/{server_id}`` → ``{"server": …}`` body."""
    host = _derived(server.id, 56)
    running = server.power_state == POWER_RUNNING
    return {
        "server": {
            "fault": None,
            "id": server.id,
            "name": server.name,
            "addresses": _addresses(inst, server),
            "flavor": _flavor(inst, server),
            "accessIPv4": "",
            "accessIPv6": "",
            "status": server.status,
            "progress": 0,
            "hostId": host,
            "updated": iso_seconds(server.updated_at),
            "created": iso_seconds(server.created_at),
            "metadata": _metadata(inst, server),
            "tags": [SYS_TAG_L_INSTANCE],
            "description": server.description,
            "locked": False,
            "config_drive": "",
            "tenant_id": inst.project_id,
            "user_id": account.user_id,
            "key_name": None,
            "os-extended-volumes:volumes_attached": _volumes(inst, server),
            "OS-EXT-STS:task_state": server.task_state,
            "OS-EXT-STS:power_state": server.power_state,
            "OS-EXT-STS:vm_state": "active" if running else "stopped",
            "OS-EXT-SRV-ATTR:host": host,
            "OS-EXT-SRV-ATTR:instance_name": "instance-" + _derived(server.id, 8),
            "OS-EXT-SRV-ATTR:hypervisor_hostname": host,
            "OS-DCF:diskConfig": "MANUAL",
            "OS-EXT-AZ:availability_zone": f"{inst.region}a",
            "os:scheduler_hints": {},
            "OS-EXT-SRV-ATTR:root_device_name": "/dev/vda",
            "OS-EXT-SRV-ATTR:ramdisk_id": "",
            "enterprise_project_id": "0",
            "OS-EXT-SRV-ATTR:user_data": None,
            "OS-SRV-USG:launched_at": iso_micros(server.created_at),
            "OS-EXT-SRV-ATTR:kernel_id": "",
            "OS-EXT-SRV-ATTR:launch_index": 0,
            "host_status": "UP",
            "OS-EXT-SRV-ATTR:reservation_id": "r-" + _derived(server.id + "r", 8),
            "OS-EXT-SRV-ATTR:hostname": server.hostname,
            "OS-SRV-USG:terminated_at": None,
            "sys_tags": [{"key": "_sys_enterprise_project_id", "value": "0"}],
            "security_groups": [
                {"id": _derived_uuid(server.vpc_id + "/sg"), "name": "sg-default-smb"}
            ],
            "image": {"id": server.image_id},
            "hypervisor": None,
            "auto_terminate_time": "",
            "cpu_options": {"hw:cpu_threads": None},
            "enclave_options": {"enabled": False},
            "capacity_reservation_id": None,
            "capacity_reservation_specification": {"id": None, "preference": None},
            "security_options": {"secure_boot_enabled": None, "tpm_enabled": None},
            "spod_id": None,
        }
    }


def server_update_result(
    inst: Instance, server: Server, account: Account, base_url: str
) -> dict[str, Any]:
    """``PUT /v1/{project_id}/cloudservers/{server_id}`` → ``{"server": …}`` body. Like the
    real cloud, it shows the requested hostname even before a reboot applies it."""
    hostname = server.pending_hostname or server.hostname
    return {
        "server": {
            "tenant_id": inst.project_id,
            "image": "",
            "accessIPv4": None,
            "accessIPv6": None,
            "metadata": {"__support_agent_list": "hss,hss-pc,ces"},
            "addresses": {server.vpc_id: [{"addr": server.fixed_ip, "version": 4}]},
            "security_options": {"secure_boot_enabled": None, "tpm_enabled": None},
            "created": iso_seconds(server.created_at),
            "OS-EXT-SRV-ATTR:user_data": None,
            "hostId": _derived(server.id, 56),
            "description": server.description,
            "OS-EXT-SRV-ATTR:hostname": hostname,
            "flavor": {
                "links": [{"rel": "bookmark", "href": f"{base_url}/flavors/{server.flavor_id}"}],
                "id": server.flavor_id,
            },
            "OS-DCF:diskConfig": "MANUAL",
            "user_id": account.user_id,
            "name": server.name,
            "progress": 0,
            "links": [
                {"rel": "self", "href": f"{base_url}/v1.0/servers/{server.id}"},
                {"rel": "bookmark", "href": f"{base_url}/servers/{server.id}"},
            ],
            "id": server.id,
            "updated": iso_seconds(server.updated_at),
            "locked": False,
            "tags": [SYS_TAG_L_INSTANCE],
            "status": server.status,
        }
    }


def job(job: Job) -> dict[str, Any]:
    """``GET /v1/{project_id}/jobs/{job_id}`` body."""
    done = job.status in ("SUCCESS", "FAIL")
    end = iso_millis(job.end_at) if done else ""
    failed = next((s for s in job.sub_jobs if s.status == "FAIL"), None)
    return {
        "job_id": job.id,
        "job_type": JOB_TYPES[job.action],
        "begin_time": iso_millis(job.begin_at),
        "end_time": end,
        "status": job.status,
        "error_code": failed.error_code if failed and job.status == "FAIL" else None,
        "fail_reason": failed.fail_reason if failed and job.status == "FAIL" else None,
        "entities": {
            "sub_jobs_total": len(job.sub_jobs),
            "sub_jobs": [
                {
                    "job_id": sub.job_id,
                    "job_type": SUB_JOB_TYPES[job.action],
                    "begin_time": iso_millis(job.begin_at),
                    "end_time": iso_millis(job.end_at) if sub.status in ("SUCCESS", "FAIL") else "",
                    "status": sub.status,
                    "entities": {"server_id": sub.server_id},
                    "error_code": sub.error_code,
                    "fail_reason": sub.fail_reason,
                }
                for sub in job.sub_jobs
            ],
        },
    }


# --- BSS ------------------------------------------------------------------------------


def _line_item(order: Order, inst: Instance, index: int) -> dict[str, Any]:
    spec = catalog.PLAN_SPECS.get(inst.spec)
    amount = (
        0.0
        if order.order_type == ORDER_UNSUBSCRIBE
        else price(inst.spec, inst.extras, order.period_type, order.period_num)
    )
    product_id = "OFFI" + _derived(inst.spec, 18)
    desc = f"{inst.spec} | {spec.summary}" if spec else inst.spec
    effective = inst.provisioned_at
    return {
        "order_line_item_id": f"{order.id}-{index:06d}",
        "order_id": order.id,
        "service_type_code": SERVICE_TYPE_CODE,
        "service_type_name": "Flexus L Instance",
        "product_id": product_id,
        "product_spec_desc": desc,
        "period_type": BSS_PERIOD_TYPES.get(order.period_type, 2),
        "period_num": order.period_num,
        "effective_time": iso_seconds(effective) if effective else None,
        "expire_time": iso_seconds(inst.expire_at) if inst.expire_at else None,
        "subscription_num": 1,
        "amount_after_discount": amount,
        "official_amount": amount,
        "currency": "USD",
        "category_code": RESOURCE_TYPE_CODE,
        "product_owner_service": SERVICE_TYPE_CODE,
        "commercial_resource": RESOURCE_TYPE_CODE,
        "base_product_info": {
            "product_id": product_id,
            "product_spec_desc": desc,
            "category_code": RESOURCE_TYPE_CODE,
            "product_owner_service": SERVICE_TYPE_CODE,
            "commercial_resource": RESOURCE_TYPE_CODE,
        },
    }


def order_details(
    order: Order,
    instances: list[Instance],
    account: Account,
    offset: int = 0,
    limit: int | None = None,
) -> dict[str, Any]:
    """``GET /v2/orders/customer-orders/details/{order_id}`` body."""
    items = [_line_item(order, inst, i + 1) for i, inst in enumerate(instances)]
    page = items[offset : offset + limit if limit is not None else None]
    return {
        "total_count": len(items),
        "order_info": {
            "order_id": order.id,
            "customer_id": account.domain_id,
            "service_type_code": SERVICE_TYPE_CODE,
            "service_type_name": "Flexus L Instance",
            "source_type": 1,
            "status": order.status,
            "order_type": order.order_type,
            "amount_after_discount": order.amount,
            "official_amount": order.amount,
            "measure_id": 1,
            "create_time": iso_seconds(order.created_at),
            "payment_time": iso_seconds(order.payment_time) if order.payment_time else None,
            "currency": "USD",
            "contract_id": None,
            "amount_info": {
                "discounts": [],
                "flexipurchase_coupon_amount": 0.0,
                "coupon_amount": 0.0,
                "stored_card_amount": 0.0,
                "commission_amount": 0.0,
                "consumed_amount": 0.0,
            },
            "user_name": account.user_name,
            "pending_payment_end_time": (
                iso_seconds(order.pending_payment_end)
                if order.status == ORDER_PENDING_PAYMENT and order.pending_payment_end
                else None
            ),
        },
        "order_line_items": page,
    }


TRAFFIC_NAMES = {
    "zh": ("轻量BGP流量套餐包", "上行流量"),
    "en": ("Lightweight BGP traffic package", "Upstream traffic"),
}


def free_resource(inst: Instance, now: float, language: str = "en") -> dict[str, Any]:
    """One traffic package in ``POST /v2/payments/free-resources/usages/details/query``.

    The package renews monthly from provisioning (``quota_reuse_cycle`` 4 / type 2);
    no traffic is ever used in the emulator, so ``amount`` equals ``original_amount``."""
    start = inst.provisioned_at or now
    months = 0
    while add_months(start, months + 1) <= now:
        months += 1
    cycle_start = add_months(start, months)
    spec = catalog.PLAN_SPECS.get(inst.spec)
    total = spec.traffic_gb if spec else 0
    type_name, usage_name = TRAFFIC_NAMES["zh" if language.lower().startswith("zh") else "en"]
    return {
        "free_resource_id": inst.traffic_package_id,
        "free_resource_type_name": type_name,
        "quota_reuse_cycle": 4,
        "quota_reuse_cycle_type": 2,
        "usage_type_name": usage_name,
        "start_time": iso_seconds(cycle_start),
        "end_time": iso_seconds(add_months(cycle_start, 1)),
        "amount": total,
        "original_amount": total,
        "measure_id": 10,
    }


# --- IAM ------------------------------------------------------------------------------


def iam_project(account: Account, region: str, project_id: str, base_url: str) -> dict[str, Any]:
    """One entry of ``GET /v3/projects``."""
    return {
        "id": project_id,
        "name": region,
        "domain_id": account.domain_id,
        "parent_id": account.domain_id,
        "description": "",
        "enabled": True,
        "is_domain": False,
        "links": {"self": f"{base_url}/v3/projects/{project_id}"},
    }


def iam_domain(account: Account, base_url: str) -> dict[str, Any]:
    """The one entry of ``GET /v3/auth/domains``."""
    return {
        "id": account.domain_id,
        "name": account.domain_name,
        "enabled": True,
        "description": "",
        "links": {"self": f"{base_url}/v3/domains/{account.domain_id}"},
    }
