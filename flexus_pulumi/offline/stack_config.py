"""Stack config: from the project's ``Pulumi.yaml`` and ``Pulumi.<stack>.yaml``, as the CLI
reads them, and the Flexus providers' config for an emulator.

``Pulumi.yaml`` may declare config under ``config:`` — a key without a namespace belongs to
the project — as a plain value or as ``{default: …}`` / ``{value: …}`` (``secret: true``
makes it a secret). ``Pulumi.<stack>.yaml`` sets values under ``config:``: plain, structured
(objects and lists, kept as their JSON text as ``pulumi config set --path`` keeps them) and
secure (``{secure: v1:…}``, encrypted by ``pulumi config set --secret`` with the passphrase
secrets provider, whose ``encryptionsalt`` the file holds). Stack values win over project
defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .secrets import Crypter, Secret, SecretsError, config_text, given_passphrase


class StackConfigError(RuntimeError):
    """A ``Pulumi.yaml`` or ``Pulumi.<stack>.yaml`` cannot be used."""


def emulator_config(emulator: Any) -> dict[str, str | Secret]:
    """Stack config pointing the Flexus providers at ``emulator`` (secret key as a secret).

    Keys: ``flexus:accessKey``, ``flexus:secretKey``, ``flexus:region``,
    ``flexus:endpoint``, ``flexus:projectId``, ``flexus:domainId``, and
    ``flexus:configLag``: how long this emulator's Config takes to list a purchase, in
    real seconds (its ``config_lag_seconds`` at its clock speed), with a margin.
    """
    return {
        "flexus:accessKey": emulator.access_key,
        "flexus:secretKey": Secret(emulator.secret_key),
        "flexus:region": emulator.region,
        "flexus:endpoint": emulator.endpoint,
        "flexus:projectId": emulator.project_id,
        "flexus:domainId": emulator.domain_id,
        "flexus:configLag": f"{config_lag_of(emulator):g}",
    }


#: Real seconds added to an emulator's Config lag in the lag the providers assume.
CONFIG_LAG_MARGIN = 1.0


def config_lag_of(emulator: Any) -> float:
    """The real seconds ``emulator``'s Config (and order list) take to show a purchase,
    plus :data:`CONFIG_LAG_MARGIN`."""
    settings = emulator.settings()
    speed = float(settings.get("clock_speed") or 1.0)
    lag = max(
        float(settings.get("config_lag_seconds") or 0.0),
        float(settings.get("order_lag_seconds") or 0.0),
    )
    return round(lag / speed + CONFIG_LAG_MARGIN, 1)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise StackConfigError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise StackConfigError(f"{path}: not a YAML mapping")
    return data


def _namespaced(key: str, project: str) -> str:
    return key if ":" in key else f"{project}:{key}"


class _Decrypter:
    def __init__(self, path: Path, salt: str | None, passphrase: str | None) -> None:
        self._path = path
        self._salt = salt
        self._passphrase = passphrase
        self._crypter: Crypter | None = None

    def __call__(self, ciphertext: str) -> str:
        if self._crypter is None:
            if not self._salt:
                raise StackConfigError(
                    f"{self._path}: a secure value but no encryptionsalt (only the passphrase "
                    "secrets provider is supported offline)"
                )
            phrase = given_passphrase(self._passphrase)
            if phrase is None:
                raise StackConfigError(
                    f"{self._path} has secure values: give the stack's passphrase "
                    "(Stack(secrets_passphrase=...) or PULUMI_CONFIG_PASSPHRASE)"
                )
            try:
                self._crypter = Crypter.for_stack_config(phrase, self._salt)
            except SecretsError as exc:
                raise StackConfigError(f"{self._path}: {exc}") from exc
        return self._crypter.decrypt_text(ciphertext)


def _plain(value: Any, decrypt: _Decrypter) -> tuple[Any, bool]:
    """A config value with secure leaves decrypted, and whether it held any."""
    if isinstance(value, Mapping):
        if set(value) == {"secure"}:
            return decrypt(str(value["secure"])), True
        out: dict[str, Any] = {}
        secret = False
        for k, v in value.items():
            out[str(k)], inner = _plain(v, decrypt)
            secret = secret or inner
        return out, secret
    if isinstance(value, list):
        items = []
        secret = False
        for v in value:
            item, inner = _plain(v, decrypt)
            items.append(item)
            secret = secret or inner
        return items, secret
    return value, False


def effective_config(
    project_dir: Path,
    project: str,
    stack: str,
    passphrase: str | None,
    config: Mapping[str, str | Secret | Any],
) -> dict[str, str | Secret | Any]:
    """A stack's effective config: what the project folder's files set, then ``config``."""
    merged: dict[str, str | Secret | Any] = dict(
        load_project_config(project_dir, project, stack, passphrase)
    )
    merged.update(config)
    return merged


def load_project_config(
    project_dir: Path, project: str, stack: str, passphrase: str | None = None
) -> dict[str, str | Secret]:
    """The stack config that ``Pulumi.yaml`` and ``Pulumi.<stack>.yaml`` in ``project_dir``
    give (empty when they are absent). Values are config text (structured ones as JSON);
    secrets are :class:`Secret`."""
    config: dict[str, str | Secret] = {}
    project_file = project_dir / "Pulumi.yaml"
    if project_file.is_file():
        declared = _read_yaml(project_file).get("config") or {}
        for key, spec in declared.items():
            secret = False
            if isinstance(spec, Mapping) and ({"default", "value", "type", "secret"} & set(spec)):
                secret = bool(spec.get("secret"))
                if "value" in spec:
                    value = spec["value"]
                elif "default" in spec:
                    value = spec["default"]
                else:
                    continue
            else:
                value = spec
            text = config_text(value)
            config[_namespaced(str(key), project)] = Secret(text) if secret else text
    stack_file = project_dir / f"Pulumi.{stack}.yaml"
    if stack_file.is_file():
        data = _read_yaml(stack_file)
        decrypt = _Decrypter(stack_file, data.get("encryptionsalt"), passphrase)
        for key, raw in (data.get("config") or {}).items():
            value, secret = _plain(raw, decrypt)
            text = config_text(value)
            config[_namespaced(str(key), project)] = Secret(text) if secret else text
    return config
