"""Encryption of identifying data at rest, and keyed hashes for finding duplicates.

Keys come from the environment: ``SAMVIRKE_IDENTITY_KEYS`` holds one or more Fernet keys,
comma-separated, newest first (old ones stay only until ``samvirke rotate_identity_key`` has
re-encrypted every row); ``SAMVIRKE_IDENTITY_HASH_KEY`` keys the duplicate-detection hash and
never changes. No Django imports: the caller passes the keys in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

__all__ = ["IdentityCipher", "InvalidToken", "derive_key", "new_key"]


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def derive_key(secret: str, purpose: str) -> str:
    """A Fernet key derived from a secret, for development and tests only."""
    digest = hashlib.sha256(f"{purpose}:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")


class IdentityCipher:
    def __init__(self, keys: list[str], hash_key: str) -> None:
        if not keys:
            raise ValueError("At least one identity key is needed.")
        if not hash_key:
            raise ValueError("A hash key is needed.")
        self._fernet = MultiFernet([Fernet(key.encode("ascii")) for key in keys])
        self._hash_key = hash_key.encode("utf-8")

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
        if value == "":
            return ""
        return hmac.new(self._hash_key, value.encode("utf-8"), hashlib.sha256).hexdigest()
