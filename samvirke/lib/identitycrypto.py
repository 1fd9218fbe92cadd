"""Encryption of identifying data at rest, and keyed hashes for finding duplicates.

Keys come from the environment: ``SAMVIRKE_IDENTITY_KEYS`` holds one or more Fernet keys,
comma-separated, newest first (old ones stay only until ``samvirke rotate_identity_key`` has
re-encrypted every row); ``SAMVIRKE_IDENTITY_HASH_KEY`` keys the duplicate-detection hash, also
newest first: a row hashed with an older key is still found until the same command has rehashed
it with the newest. No Django imports: the caller passes the keys in.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

__all__ = ["IdentityCipher", "InvalidToken", "new_key"]


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


class IdentityCipher:
    def __init__(self, keys: Sequence[str], hash_keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("At least one identity key is needed.")
        if not hash_keys or not all(hash_keys):
            raise ValueError("A hash key is needed.")
        self._fernet = MultiFernet([Fernet(key.encode("ascii")) for key in keys])
        self._hash_keys = [key.encode("utf-8") for key in hash_keys]

    def encrypt(self, value: str) -> str:
        if value == "":
            return ""
        return self._fernet.encrypt(value.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        if token == "":
            return ""
        return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")

    def rotate(self, token: str) -> str:
        """Re-encrypt a token with the newest key."""
        if token == "":
            return ""
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")

    def keyed_hash(self, value: str) -> str:
        """The hash under the newest key: what is stored."""
        return self.keyed_hashes(value)[0] if value else ""

    def keyed_hashes(self, value: str) -> list[str]:
        """The hash under every key, newest first: what a duplicate may be stored under."""
        if value == "":
            return [""]
        data = value.encode("utf-8")
        return [hmac.new(key, data, hashlib.sha256).hexdigest() for key in self._hash_keys]
