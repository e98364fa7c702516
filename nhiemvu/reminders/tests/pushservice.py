"""A push service for the tests (issue 32): it receives what the server POSTs to a device's
endpoint, checks the VAPID signature against RFC 8292 and decrypts the message against RFC 8291
with the device's own keys, written here from the RFCs with `cryptography` (not with the
library that encrypted it), so a message that does not follow the standards fails the test.
"""

from __future__ import annotations

import base64
import json
import os
import struct
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand

HOST = "push.example.test"


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _point(key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) -> bytes:
    public = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
    return public.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


@dataclass
class Device:
    """A browser's push subscription: its endpoint and its keys (RFC 8291 §2)."""

    name: str
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def endpoint(self) -> str:
        return f"https://{HOST}/send/{self.name}"

    def subscription(self) -> dict[str, Any]:
        """What PushSubscription.toJSON() gives the page's script."""
        return {
            "endpoint": self.endpoint,
            "keys": {"p256dh": b64(_point(self.key)), "auth": b64(self.secret)},
        }

    def decrypt(self, body: bytes) -> bytes:
        """RFC 8291 §3.4 and RFC 8188 §2: one aes128gcm record, keyed by ECDH with the
        sender's key in the header and the authentication secret."""
        salt, record_size, id_length = body[:16], struct.unpack("!I", body[16:20])[0], body[20]
        sender = body[21 : 21 + id_length]
        ciphertext = body[21 + id_length :]
        assert id_length == 65 and record_size >= 18, (id_length, record_size)
        shared = self.key.exchange(
            ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender)
        )
        info = b"WebPush: info\x00" + _point(self.key) + sender
        ikm = HKDF(hashes.SHA256(), 32, salt=self.secret, info=info).derive(shared)
        prk = _extract(salt, ikm)
        cek = HKDFExpand(hashes.SHA256(), 16, b"Content-Encoding: aes128gcm\x00").derive(prk)
        nonce = HKDFExpand(hashes.SHA256(), 12, b"Content-Encoding: nonce\x00").derive(prk)
        assert len(ciphertext) <= record_size, "one record"
        padded = AESGCM(cek).decrypt(nonce, ciphertext, None)
        unpadded = padded.rstrip(b"\x00")
        assert unpadded.endswith(b"\x02"), "the last record's delimiter (RFC 8188 §2)"
        return unpadded[:-1]


def _extract(salt: bytes, ikm: bytes) -> bytes:
    from cryptography.hazmat.primitives import hmac

    mac = hmac.HMAC(salt, hashes.SHA256())
    mac.update(ikm)
    return mac.finalize()


def check_vapid(authorization: str, endpoint: str, public_key: str, subject: str) -> None:
    """RFC 8292 §2-3: "vapid t=<JWT>, k=<public key>"; the JWT is ES256 over the push service's
    origin (aud), an expiry within 24 hours (exp) and a contact (sub), signed with the key k."""
    scheme, _, params = authorization.partition(" ")
    assert scheme.lower() == "vapid", authorization
    parts = dict(p.strip().split("=", 1) for p in params.split(","))
    assert parts["k"] == public_key, "signed with the configured key"
    header_b64, claims_b64, signature_b64 = parts["t"].split(".")
    header = json.loads(unb64(header_b64))
    claims = json.loads(unb64(claims_b64))
    assert header["alg"] == "ES256", header
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(endpoint))
    assert claims["aud"] == origin, claims
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600, claims
    assert claims["sub"] == subject, claims
    raw = unb64(signature_b64)
    assert len(raw) == 64, "JWS ES256: r || s"
    signature = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(public_key))
    key.verify(
        signature, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256())
    )  # raises InvalidSignature


class PushService(requests.adapters.BaseAdapter):
    """Mounted on the sender's session for https://push.example.test/: every POST is checked
    and decrypted; ``received`` holds (device name, message) in order of arrival; ``answer``
    chooses the status (201 Created by default, 410 Gone for a device that unsubscribed)."""

    def __init__(self, devices: list[Device], public_key: str, subject: str) -> None:
        super().__init__()
        self.devices = {d.endpoint: d for d in devices}
        self.public_key, self.subject = public_key, subject
        self.received: list[tuple[str, dict[str, Any]]] = []
        self.answer: dict[str, int] = {}

    def send(self, request: Any, *args: Any, **kwargs: Any) -> requests.Response:
        assert request.method == "POST"
        assert kwargs.get("timeout"), "a push is never waited on forever"
        device = self.devices[request.url]
        headers = request.headers
        status = self.answer.get(device.name, 201)
        if status < 300:
            assert headers["Content-Encoding"] == "aes128gcm", headers
            assert int(headers["TTL"]) > 0, headers
            check_vapid(headers["Authorization"], request.url, self.public_key, self.subject)
            message = json.loads(device.decrypt(request.body))
            self.received.append((device.name, message))
        response = requests.Response()
        response.status_code = status
        response.url, response.request, response._content = request.url, request, b""
        return response

    def close(self) -> None:
        pass

    def session(self) -> requests.Session:
        from nhiemvu.reminders.push import _NoRedirects

        session = _NoRedirects()
        session.mount(f"https://{HOST}/", self)
        return session
