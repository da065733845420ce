"""KMS: one key per function, and one ciphertext per secret that function reads.

pulumi-yandex 0.13 has no Lockbox and no secrets argument on ``Function``, so a
secret travels as a ``KmsSecretCiphertext``: its plaintext input is a Pulumi
secret (encrypted in the stack state), its ciphertext goes into the function's
environment, and only that function's service account may decrypt with its
key. A key per function keeps one function from decrypting another's secrets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_yandex as yandex

from campaignctl.stack.yandex.naming import Naming

KEY_ROTATION = "8760h"
"""Yearly rotation: old versions stay usable for decryption, new ones encrypt."""
DECRYPTER_ROLE = "kms.keys.decrypter"


@dataclass(frozen=True)
class Reader:
    service_account_id: pulumi.Input[str]
    secrets: Mapping[str, pulumi.Output[str]]
    """Secret name -> value; each value is made a Pulumi secret before it is used."""


@dataclass(frozen=True)
class VaultArgs:
    naming: Naming
    readers: Mapping[str, Reader]
    """Function role -> its service account and the secrets it reads."""


class Vault(pulumi.ComponentResource):
    keys: dict[str, yandex.KmsSymmetricKey]
    ciphertexts: dict[str, dict[str, pulumi.Output[str]]]
    """Role -> secret name -> base64 ciphertext."""

    def __init__(self, name: str, args: VaultArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("campaignctl:yandex:Vault", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        n = args.naming
        self.keys = {}
        self.ciphertexts = {}
        for role, reader in sorted(args.readers.items()):
            key = yandex.KmsSymmetricKey(
                f"secrets-{role}",
                name=n.name(f"secrets-{role}"),
                description=f"Seals the secrets of the {role} function of {n.slug}",
                default_algorithm="AES_256",
                rotation_period=KEY_ROTATION,
                labels=n.labels,
                folder_id=n.target.folder_id,
                opts=child,
            )
            yandex.KmsSymmetricKeyIamBinding(
                f"secrets-{role}-decrypter",
                symmetric_key_id=key.id,
                role=DECRYPTER_ROLE,
                members=[pulumi.Output.concat("serviceAccount:", reader.service_account_id)],
                opts=child,
            )
            self.keys[role] = key
            self.ciphertexts[role] = {}
            for secret, value in sorted(reader.secrets.items()):
                sealed = yandex.KmsSecretCiphertext(
                    f"{role}-{secret}",
                    key_id=key.id,
                    plaintext=pulumi.Output.secret(value),  # type: ignore[arg-type]
                    # The context binds a ciphertext to its campaign and name: one
                    # copied into another variable fails to decrypt.
                    aad_context=aad_context(n.slug, secret),
                    opts=child,
                )
                self.ciphertexts[role][secret] = sealed.ciphertext
        self.register_outputs({"key_ids": {role: key.id for role, key in self.keys.items()}})


def aad_context(slug: str, secret: str) -> str:
    """The AAD the handler passes to KMS Decrypt for ``secret``."""
    return f"{slug}:{secret}"
