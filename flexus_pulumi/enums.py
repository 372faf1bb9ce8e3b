"""The closed sets of values of Flexus L inputs, as ``str`` enums: an editor completes
them and a type checker catches a wrong member. Every input that takes one takes the
member's string too (``PlanSpec.HF_LARGE_1_30M_LINUX`` or ``"hf.large.1.30m.linux"``).

Generated from :mod:`flexus_pulumi.catalog` by ``python -m flexus_pulumi.schema.codegen``;
do not edit. Import them from :mod:`flexus_pulumi`.
"""

from __future__ import annotations

from enum import Enum


class _StrEnum(str, Enum):
    """A ``str`` enum whose members print and format as their value."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, format_spec: str) -> str:
        return format(str(self.value), format_spec)


class PlanSpec(_StrEnum):
    """Flexus L plan specs: the ``plan_spec`` of ``Instance``, ``InstanceGroup``, ``Server`` and
    fleets."""

    HF_LARGE_025_30M_LINUX = "hf.large.025.30m.linux"
    """2 vCPU, 0.5 GiB memory, 20 GiB system disk, 30 Mbit/s, 1,024 GB traffic a month; Linux."""
    HF_LARGE_05_30M_LINUX = "hf.large.05.30m.linux"
    """2 vCPU, 1 GiB memory, 40 GiB system disk, 30 Mbit/s, 2,048 GB traffic a month; Linux."""
    HF_LARGE_1_30M_LINUX = "hf.large.1.30m.linux"
    """2 vCPU, 2 GiB memory, 60 GiB system disk, 30 Mbit/s, 3,072 GB traffic a month; Linux."""
    HF_LARGE_2_30M_LINUX = "hf.large.2.30m.linux"
    """2 vCPU, 4 GiB memory, 80 GiB system disk, 30 Mbit/s, 4,096 GB traffic a month; Linux."""
    HF_LARGE_4_30M_LINUX = "hf.large.4.30m.linux"
    """2 vCPU, 8 GiB memory, 160 GiB system disk, 30 Mbit/s, 5,120 GB traffic a month; Linux."""
    HF_XLARGE_2_30M_LINUX = "hf.xlarge.2.30m.linux"
    """4 vCPU, 8 GiB memory, 240 GiB system disk, 30 Mbit/s, 6,144 GB traffic a month; Linux."""
    HF_XLARGE_4_30M_LINUX = "hf.xlarge.4.30m.linux"
    """4 vCPU, 16 GiB memory, 320 GiB system disk, 30 Mbit/s, 7,168 GB traffic a month; Linux."""
    HF_LARGE_1_30M_BYOL = "hf.large.1.30m.byol"
    """2 vCPU, 2 GiB memory, 60 GiB system disk, 30 Mbit/s, 3,072 GB traffic a month; Windows, your
    own licence (BYOL)."""
    HF_LARGE_2_30M_BYOL = "hf.large.2.30m.byol"
    """2 vCPU, 4 GiB memory, 80 GiB system disk, 30 Mbit/s, 4,096 GB traffic a month; Windows, your
    own licence (BYOL)."""
    HF_LARGE_4_30M_BYOL = "hf.large.4.30m.byol"
    """2 vCPU, 8 GiB memory, 160 GiB system disk, 30 Mbit/s, 5,120 GB traffic a month; Windows, your
    own licence (BYOL)."""
    HF_XLARGE_2_30M_BYOL = "hf.xlarge.2.30m.byol"
    """4 vCPU, 8 GiB memory, 240 GiB system disk, 30 Mbit/s, 6,144 GB traffic a month; Windows, your
    own licence (BYOL)."""
    HF_XLARGE_4_30M_BYOL = "hf.xlarge.4.30m.byol"
    """4 vCPU, 16 GiB memory, 320 GiB system disk, 30 Mbit/s, 7,168 GB traffic a month; Windows,
    your own licence (BYOL)."""


class Region(_StrEnum):
    """Regions that sell Flexus L: the ``region`` of every resource."""

    AP_SOUTHEAST_1 = "ap-southeast-1"
    """Hong Kong."""
    AP_SOUTHEAST_3 = "ap-southeast-3"
    """Singapore."""
    AP_SOUTHEAST_2 = "ap-southeast-2"
    """Bangkok."""
    TR_WEST_1 = "tr-west-1"
    """Istanbul."""
    SA_BRAZIL_1 = "sa-brazil-1"
    """Sao Paulo."""
    ME_EAST_1 = "me-east-1"
    """Riyadh."""


class PeriodType(_StrEnum):
    """Subscription period units: the ``period_type`` of purchases and of ``Renewal``."""

    MONTH = "month"
    """Months: 1-9 at purchase, 1-11 for a renewal."""
    YEAR = "year"
    """Years: 1-3 at purchase, 1-3 for a renewal."""


class PowerState(_StrEnum):
    """What a server should be doing: the ``power_state`` of instances."""

    RUNNING = "running"
    """Started (ECS status ACTIVE)."""
    STOPPED = "stopped"
    """Stopped (ECS status SHUTOFF): still prepaid, still billed."""


class ImageName(_StrEnum):
    """App and system images by name: the ``name`` of ``ImageArgs`` (a private image is given by
    ``id`` instead)."""

    BT = "BT"
    """App image BT; version 6.8.35; plans hf.large.1.30m.linux, hf.large.2.30m.linux,
    hf.large.4.30m.linux, hf.xlarge.2.30m.linux, hf.xlarge.4.30m.linux."""
    CRM = "CRM"
    """App image CRM; version 8.0; plans hf.large.1.30m.linux, hf.large.2.30m.linux,
    hf.large.4.30m.linux, hf.xlarge.2.30m.linux, hf.xlarge.4.30m.linux."""
    GHOST = "Ghost"
    """App image Ghost; version 5.67; plans hf.large.1.30m.linux, hf.large.2.30m.linux,
    hf.large.4.30m.linux, hf.xlarge.2.30m.linux, hf.xlarge.4.30m.linux."""
    GITLAB = "GitLab"
    """App image GitLab; version 16.9.3; plans hf.large.4.30m.linux, hf.xlarge.2.30m.linux,
    hf.xlarge.4.30m.linux."""
    JOOMLA = "Joomla"
    """App image Joomla; version 5.0.3; plans hf.large.1.30m.linux, hf.large.2.30m.linux,
    hf.large.4.30m.linux, hf.xlarge.2.30m.linux, hf.xlarge.4.30m.linux."""
    KODBOX = "KodBox"
    """App image KodBox; version 1.49; plans hf.large.1.30m.linux, hf.large.2.30m.linux,
    hf.large.4.30m.linux, hf.xlarge.2.30m.linux, hf.xlarge.4.30m.linux."""
    MATOMO = "Matomo"
    """App image Matomo; version 5.0.3; plans hf.large.1.30m.linux, hf.large.2.30m.linux,
    hf.large.4.30m.linux, hf.xlarge.2.30m.linux, hf.xlarge.4.30m.linux."""
    MOODLE = "Moodle"
    """App image Moodle; version 4.3.4; plans hf.large.1.30m.linux, hf.large.2.30m.linux,
    hf.large.4.30m.linux, hf.xlarge.2.30m.linux, hf.xlarge.4.30m.linux."""
    NEXTCLOUD = "Nextcloud"
    """App image Nextcloud; version 28.0.3; plans hf.large.2.30m.linux, hf.large.4.30m.linux,
    hf.xlarge.2.30m.linux, hf.xlarge.4.30m.linux."""
    NODEJS = "Nodejs"
    """App image Nodejs; version 21; plans hf.large.1.30m.linux, hf.large.2.30m.linux,
    hf.large.4.30m.linux, hf.xlarge.2.30m.linux, hf.xlarge.4.30m.linux."""
    ODOO = "Odoo"
    """App image Odoo; version 17.0; plans hf.large.1.30m.linux, hf.large.2.30m.linux,
    hf.large.4.30m.linux, hf.xlarge.2.30m.linux, hf.xlarge.4.30m.linux."""
    PORTAINER = "Portainer"
    """App image Portainer; version 2.19.4; plans hf.large.1.30m.linux, hf.large.2.30m.linux,
    hf.large.4.30m.linux, hf.xlarge.2.30m.linux, hf.xlarge.4.30m.linux."""
    PRESTASHOP = "PrestaShop"
    """App image PrestaShop; version 8.1.5; plans hf.large.1.30m.linux, hf.large.2.30m.linux,
    hf.large.4.30m.linux, hf.xlarge.2.30m.linux, hf.xlarge.4.30m.linux."""
    REDMINE = "Redmine"
    """App image Redmine; version 5.1; plans hf.large.1.30m.linux, hf.large.2.30m.linux,
    hf.large.4.30m.linux, hf.xlarge.2.30m.linux, hf.xlarge.4.30m.linux."""
    SRS = "SRS"
    """App image SRS; version 6.0.101; plans hf.large.2.30m.linux, hf.large.4.30m.linux,
    hf.xlarge.2.30m.linux, hf.xlarge.4.30m.linux."""
    SUPERSET = "Superset"
    """App image Superset; version 3.1.1; plans hf.large.4.30m.linux, hf.xlarge.2.30m.linux,
    hf.xlarge.4.30m.linux."""
    WORDPRESS = "WordPress"
    """App image WordPress; version 6.4; plans hf.large.1.30m.linux, hf.large.2.30m.linux,
    hf.large.4.30m.linux, hf.xlarge.2.30m.linux, hf.xlarge.4.30m.linux."""
    UBUNTU = "Ubuntu"
    """System image Ubuntu; versions 22.04, 20.04, 18.04, 16.04; plans hf.large.05.30m.linux,
    hf.large.1.30m.linux, hf.large.2.30m.linux, hf.large.4.30m.linux, hf.xlarge.2.30m.linux,
    hf.xlarge.4.30m.linux."""
    HUAWEI_CLOUD_EULEROS = "Huawei Cloud EulerOS"
    """System image Huawei Cloud EulerOS; version 2.0; plans hf.large.025.30m.linux (in Hong Kong
    and Singapore only), hf.large.05.30m.linux, hf.large.1.30m.linux, hf.large.2.30m.linux,
    hf.large.4.30m.linux, hf.xlarge.2.30m.linux, hf.xlarge.4.30m.linux."""
    CENTOS = "CentOS"
    """System image CentOS; versions 8.2, 8.1, 8.0, 7.9, 7.8, 7.7, 7.6, 7.5, 7.4, 7.3, 7.2; plans
    hf.large.025.30m.linux (version 7.6 only, in Hong Kong and Singapore only),
    hf.large.05.30m.linux, hf.large.1.30m.linux, hf.large.2.30m.linux, hf.large.4.30m.linux,
    hf.xlarge.2.30m.linux, hf.xlarge.4.30m.linux; not in Istanbul: 7.2, 7.3, 8.0, 8.1, 8.2; not
    in Riyadh: 7.2, 7.3, 8.0, 8.1, 8.2."""
    DEBIAN = "Debian"
    """System image Debian; versions 11.1, 9.0; plans hf.large.025.30m.linux (version 11.1 only, in
    Hong Kong and Singapore only), hf.large.05.30m.linux, hf.large.1.30m.linux,
    hf.large.2.30m.linux, hf.large.4.30m.linux, hf.xlarge.2.30m.linux, hf.xlarge.4.30m.linux."""


__all__ = ["ImageName", "PeriodType", "PlanSpec", "PowerState", "Region"]
