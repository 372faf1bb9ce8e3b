"""Product facts shared by the ECS, BSS and Config answers: service and resource type
codes, image naming, derived stable ids."""

from __future__ import annotations

import hashlib
import uuid

from flexus_pulumi import catalog

from .models import Instance

SERVICE_TYPE_CODE = "hws.service.type.hcss"
RESOURCE_TYPE_CODE = "hws.resource.type.hecsfusion"
SYS_TAG_L_INSTANCE = "_sys_type_hcss_l"


def derived(seed: str, length: int = 32) -> str:
    """A stable hex string derived from ``seed`` (host ids, product ids, …)."""
    return hashlib.sha256(seed.encode()).hexdigest()[:length]


def derived_uuid(seed: str) -> str:
    """A stable UUID derived from ``seed``."""
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


def os_type(inst: Instance) -> str:
    """``Windows`` for the bring-your-own-licence specs, else ``Linux``."""
    spec = catalog.PLAN_SPECS.get(inst.spec)
    return "Windows" if spec is not None and spec.os == "windows" else "Linux"


def flavor_of(spec: str) -> str:
    """The ECS flavor behind a plan spec (``hf.large.1.30m.linux`` → ``at7.large.1``)."""
    parts = spec.split(".")
    return f"at7.{parts[1]}.{parts[2]}"


def product_name(inst: Instance) -> str:
    """The product name, like the vendor example's ``BT_light_server_8_0``."""
    if inst.image_id:
        return "private_image_light_server"
    name = inst.image_name or "HCE"
    version = (inst.image_version or "2.0").replace(".", "_")
    return f"{name.replace(' ', '_')}_light_server_{version}"
