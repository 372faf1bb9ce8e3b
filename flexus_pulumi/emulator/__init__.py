"""A local, faithful emulation of the Huawei Cloud APIs a Flexus L deployment uses.

One HTTP server serves HCSS (purchase), BSS (orders, renew, unsubscribe, traffic),
Config (listing), ECS (servers, listing, actions, jobs, passwords) and IAM (tokens,
projects, domains) on one port, authenticating requests like the real API gateway
(``SDK-HMAC-SHA256`` signatures, temporary credentials or IAM tokens, with their scopes),
with asynchronous orders and jobs driven by an emulated clock, injectable faults,
out-of-band console changes and a control API under ``/_emulator/``. Every answer the
vendor's reference leaves open is a setting (:data:`SETTINGS`); :mod:`.profiles` names
combinations of them.

>>> with Emulator(order_seconds=0.3) as emu:   # doctest: +SKIP
...     emu.endpoint, emu.access_key, emu.project_id
"""

from .console import Console
from .control_client import ConsoleControl, EmulatorControl, EmulatorControlError
from .emulator import Emulator
from .faults import FAULT_KINDS, OPERATIONS, SERVICES
from .profiles import PROFILES
from .settings import SETTINGS, Settings

__all__ = [
    "FAULT_KINDS",
    "OPERATIONS",
    "PROFILES",
    "SERVICES",
    "SETTINGS",
    "Console",
    "ConsoleControl",
    "Emulator",
    "EmulatorControl",
    "EmulatorControlError",
    "Settings",
]
