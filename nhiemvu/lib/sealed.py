"""Files sealed at rest (backups, issue 31 item 5): AES-256-GCM over 1 MiB chunks, streamed, so
a dump of any size is encrypted and decrypted in constant memory.

The layout is the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015): a random
7-byte prefix in the header, and each chunk's nonce = prefix + its 4-byte number + a byte that
is 1 on the last chunk only. A chunk moved, dropped, repeated or a file cut short (its last
chunk missing) fails authentication; so does another key. Each chunk also authenticates the
header. The key is 32 bytes, given as URL-safe base64 (NHIEMVU_BACKUP_KEY).
"""

from __future__ import annotations

import base64
import binascii
import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"NHVSEAL1"
CHUNK = 1024 * 1024
TAG = 16
PREFIX = 7
SUFFIX = ".enc"


class SealError(ValueError):
    pass


def parse_key(text: str) -> bytes:
    """The key from its base64 text; a SealError (in the caller's words) when it is not 32 bytes."""
    try:
        key = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (binascii.Error, ValueError) as exc:
        raise SealError("not base64") from exc
    if len(key) != 32:
        raise SealError("not 32 bytes")
    return key


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", number) + (b"\x01" if last else b"\x00")


class SealedWriter:
    """A write-only file object: what is written goes out sealed to ``raw``; ``close()`` seals
    the last chunk (a file never closed cannot be opened: it has no last chunk)."""

    def __init__(self, raw: BinaryIO, key: bytes) -> None:
        self.raw = raw
        self.aead = AESGCM(key)
        self.prefix = os.urandom(PREFIX)
        self.header = MAGIC + self.prefix
        self.raw.write(self.header)
        self.buffer = bytearray()
        self.number = 0
        self.closed = False

    def _seal(self, data: bytes, last: bool) -> None:
        if self.number >= 2**32 - 1:
            raise SealError("file too large")
        nonce = _nonce(self.prefix, self.number, last)
        self.raw.write(self.aead.encrypt(nonce, data, self.header))
        self.number += 1

    def write(self, data: bytes) -> int:
        self.buffer += data
        # Keep at least one byte back: the last chunk is sealed by close(), never here.
        while len(self.buffer) > CHUNK:
            self._seal(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def flush(self) -> None:
        self.raw.flush()

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self.buffer), last=True)
            self.buffer.clear()
            self.raw.flush()
            self.closed = True

    def __enter__(self) -> SealedWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def opened(raw: BinaryIO, key: bytes) -> Iterator[bytes]:
    """The plain bytes of a sealed file, chunk by chunk; SealError when it is not one, was
    sealed with another key, was altered or is cut short."""
    header = raw.read(len(MAGIC) + PREFIX)
    if len(header) != len(MAGIC) + PREFIX or not header.startswith(MAGIC):
        raise SealError("not sealed")
    prefix = header[len(MAGIC) :]
    aead = AESGCM(key)
    number = 0
    current = raw.read(CHUNK + TAG)
    while True:
        following = raw.read(CHUNK + TAG)
        last = not following
        if not current:
            raise SealError("cut short")
        try:
            yield aead.decrypt(_nonce(prefix, number, last), current, header)
        except InvalidTag as exc:
            raise SealError("altered, cut short or another key") from exc
        if last:
            return
        number += 1
        current = following
