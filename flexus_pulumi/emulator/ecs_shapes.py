"""ECS answers: server details, modify result, job status (field names and types as the
official SDK models expect them)."""

from __future__ import annotations

from typing import Any

from flexus_pulumi import catalog

from .clock import iso_micros, iso_millis, iso_seconds
from .models import POWER_RUNNING, Instance, Job, Server
from .product import SYS_TAG_L_INSTANCE, derived, derived_uuid, image_label, image_type, os_type
from .state import Account

JOB_TYPES = {
    "start": "batchStartServers",
    "stop": "batchStopServers",
    "reboot": "batchRebootServers",
}
SUB_JOB_TYPES = {"start": "startServer", "stop": "stopServer", "reboot": "rebootServer"}


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
        "metering.product_id": "OFF" + derived(inst.spec, 19),
        "lockSource": "hcss",
        "lockSourceId": inst.id,
        "__support_agent_list": "hss,hss-pc,ces",
        "metering.imagetype": image_type(inst),
        "metering.order_id": inst.order_id,
        "image_name": image_label(inst),
        "metering.resourcespeccode": f"{server.flavor_id}.{os_type(inst).lower()}",
        "os_type": os_type(inst),
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
    host = derived(server.id, 56)
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
            "OS-EXT-SRV-ATTR:instance_name": "instance-" + derived(server.id, 8),
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
            "OS-EXT-SRV-ATTR:reservation_id": "r-" + derived(server.id + "r", 8),
            "OS-EXT-SRV-ATTR:hostname": server.hostname,
            "OS-SRV-USG:terminated_at": None,
            "sys_tags": [{"key": "_sys_enterprise_project_id", "value": "0"}],
            "security_groups": [
                {"id": derived_uuid(server.vpc_id + "/sg"), "name": "sg-default-smb"}
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


def unknown_server(server_id: str) -> dict[str, Any]:
    """A listing's entry for a ``server_id`` it does not know: all null but ``id``."""
    blank = dict.fromkeys(
        (
            "name",
            "addresses",
            "flavor",
            "status",
            "created",
            "updated",
            "metadata",
            "tags",
            "description",
            "OS-EXT-STS:power_state",
            "OS-EXT-STS:vm_state",
            "OS-EXT-STS:task_state",
            "OS-EXT-SRV-ATTR:hostname",
            "OS-EXT-AZ:availability_zone",
        )
    )
    return {"fault": None, "id": server_id, **blank}


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
            "hostId": derived(server.id, 56),
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
