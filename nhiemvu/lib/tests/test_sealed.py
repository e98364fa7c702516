"""Sealed files (lib/sealed.py): what goes in comes out, and nothing else opens."""

from __future__ import annotations

import io
import os

import pytest

from nhiemvu.lib import sealed

KEY = sealed.parse_key(sealed.new_key())


def seal(data: bytes, key: bytes = KEY, piece: int = 70_000) -> bytes:
    out = io.BytesIO()
    with sealed.SealedWriter(out, key) as writer:
        for i in range(0, len(data), piece):
            writer.write(data[i : i + piece])
    return out.getvalue()


def open_all(blob: bytes, key: bytes = KEY) -> bytes:
    return b"".join(sealed.opened(io.BytesIO(blob), key))


@pytest.mark.parametrize(
    "size", [0, 1, sealed.CHUNK - 1, sealed.CHUNK, sealed.CHUNK + 1, 3 * sealed.CHUNK + 7]
)
def test_what_is_sealed_opens_unchanged(size: int) -> None:
    data = os.urandom(size)
    blob = seal(data)
    assert open_all(blob) == data
    if size > 64:
        assert data[:64] not in blob  # not in the clear


def test_another_key_a_changed_byte_a_cut_or_a_reordering_is_refused() -> None:
    data = os.urandom(2 * sealed.CHUNK + 10)
    blob = seal(data)
    head = len(sealed.MAGIC) + sealed.PREFIX
    chunk = sealed.CHUNK + sealed.TAG
    changed = bytearray(blob)
    changed[head + 100] ^= 1
    swapped = blob[:head] + blob[head + chunk : head + 2 * chunk] + blob[head : head + chunk]
    swapped += blob[head + 2 * chunk :]
    for bad, key in [
        (blob, sealed.parse_key(sealed.new_key())),
        (bytes(changed), KEY),
        (blob[: head + 2 * chunk], KEY),  # the last chunk dropped: a whole-chunk cut
        (blob[:-1], KEY),
        (swapped, KEY),
        (b"not a sealed file at all", KEY),
    ]:
        with pytest.raises(sealed.SealError):
            open_all(bad, key)


def test_a_key_must_be_32_bytes_of_base64() -> None:
    for text in ["", "short", "!!!!", sealed.new_key()[:-4]]:
        with pytest.raises(sealed.SealError):
            sealed.parse_key(text)
    assert len(sealed.parse_key(sealed.new_key())) == 32
