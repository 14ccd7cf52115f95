#!/usr/bin/python3
"""The anchor of `npm run bench`: the same pairing as `wfa pair`, in one process
on Yubico's own library (yubikit and ykman's helpers, Debian's
yubikey-manager 4.0.9), as a careful script author would write it.

  verify the temporary PIN, change the PIN, verify the new PIN, make the
  management key random and PIN-protected (ykman's pivman_set_mgm_key),
  change the PUK to a random one, generate RSA-2048 in 9A, sign a CSR on the
  key, have a local CA issue the certificate, write it, a CHUID and a CCC.

yubikit 4.0.9 signs with RSA through two throw-away RSA-2048 keys made on
the host (ykman.piv.sign_csr_builder's dummy key, yubikit.piv._pad_message's
padding trick): `--host-keys-ahead` makes them before the clock starts, the
library's own work on the key without that cost (the stricter anchor).

`--attest` also attests the new key as the app does (issue 17): ATTEST 9A,
the device certificate (F9) read, and the slot certificate checked against it
(its signature by the F9 key), the like-for-like anchor for the app's 24 APDUs.

Prints one JSON line: the pairing's wall time (from connecting to the reader
to the last write, the interpreter's start excluded) and the APDUs it sent,
by instruction, counted at the connection (chained blocks and GET RESPONSE
would each count), and how long the card took to generate the key (the
virtual key's RSA generation varies by seconds from run to run).
"""
import argparse
import datetime
import json
import os
import secrets
import sys
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from ykman.pcsc import list_devices
from ykman.piv import generate_ccc, generate_chuid, generate_csr, pivman_set_mgm_key
from yubikit.core.smartcard import SmartCardConnection
from yubikit.piv import (
    DEFAULT_MANAGEMENT_KEY,
    KEY_TYPE,
    MANAGEMENT_KEY_TYPE,
    OBJECT_ID,
    PIN_POLICY,
    SLOT,
    TOUCH_POLICY,
    PivSession,
)

NAMES = {
    0x1D: "READ CONFIG", 0x20: "VERIFY", 0x24: "CHANGE REFERENCE", 0x47: "GENERATE",
    0x87: "GENERAL AUTHENTICATE", 0xA4: "SELECT", 0xC0: "GET RESPONSE", 0xCB: "GET DATA",
    0xDB: "PUT DATA", 0xF7: "GET METADATA", 0xF8: "GET SERIAL", 0xF9: "ATTEST", 0xFD: "GET VERSION",
    0xFF: "SET MANAGEMENT KEY",
}


class Counting:
    """Wraps the connection's send_and_receive: one count per APDU on the wire."""

    def __init__(self, connection, origin):
        self.connection = connection
        self.origin = origin
        self.sent = []
        self.generate_ms = 0.0
        self.timeline = []

    def mark(self, name, started, ended=None):
        """One timeline entry, in ms from the run's start (as bench/timeline.ts reads them)."""
        ended = time.perf_counter() if ended is None else ended
        self.timeline.append({"name": name, "start": round((started - self.origin) * 1000, 3), "end": round((ended - self.origin) * 1000, 3)})

    def __getattr__(self, name):
        return getattr(self.connection, name)

    def send_and_receive(self, apdu):
        name = NAMES.get(apdu[1], "INS %02X" % apdu[1])
        self.sent.append(name)
        started = time.perf_counter()
        try:
            return self.connection.send_and_receive(apdu)
        finally:
            if apdu[1] == 0x47:
                self.generate_ms += (time.perf_counter() - started) * 1000
            self.mark(name, started)

    def close(self):
        started = time.perf_counter()
        self.connection.close()
        self.mark("DISCONNECT", started)


def local_ca():
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bench local CA")])
    now = datetime.datetime.utcnow()
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True).sign(key, hashes.SHA256())
    )
    return key, cert


def issue(ca_key, ca_cert, csr):
    now = datetime.datetime.utcnow()
    return (
        x509.CertificateBuilder().subject_name(csr.subject).issuer_name(ca_cert.subject).public_key(csr.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )


def check_issued_by(certificate, issuer):
    """The issuer's key signed the certificate (Debian's cryptography 3.4 has no verify_directly_issued_by)."""
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = issuer.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        key.verify(certificate.signature, certificate.tbs_certificate_bytes, padding.PKCS1v15(), certificate.signature_hash_algorithm)
    else:
        key.verify(certificate.signature, certificate.tbs_certificate_bytes, ec.ECDSA(certificate.signature_hash_algorithm))


def make_host_keys_ahead(n):
    """The RSA keys yubikit would generate on the host while signing, made now."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    generate = rsa.generate_private_key
    ready = {2048: [generate(65537, 2048) for _ in range(n)]}

    def from_pool(public_exponent, key_size, backend=None):
        pool = ready.get(key_size, [])
        return pool.pop() if pool else generate(public_exponent, key_size, backend)

    rsa.generate_private_key = from_pool


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reader", required=True)
    parser.add_argument("--user", default="alice")
    parser.add_argument("--host-keys-ahead", action="store_true")
    parser.add_argument("--attest", action="store_true")
    args = parser.parse_args()
    if args.host_keys_ahead:
        make_host_keys_ahead(2)
    temporary_pin, new_pin = sys.stdin.readline().strip(), sys.stdin.readline().strip()
    ca_key, ca_cert = local_ca()

    started = time.perf_counter()
    device = next(d for d in list_devices(args.reader) if d.reader.name == args.reader)
    connecting = time.perf_counter()
    connection = Counting(device.open_connection(SmartCardConnection), started)
    connection.mark("phase:list_devices", started, connecting)
    connection.mark("CONNECT", connecting)
    try:
        session = PivSession(connection)
        session.verify_pin(temporary_pin)
        session.change_pin(temporary_pin, new_pin)
        session.verify_pin(new_pin)
        # A factory key: its management key type from metadata (5.3+), as ykman does.
        key_type = session.get_management_key_metadata().key_type
        session.authenticate(key_type, DEFAULT_MANAGEMENT_KEY)
        # The new key as the app makes it: AES-192 where the firmware has AES (5.4+), else 3DES.
        new_type = MANAGEMENT_KEY_TYPE.AES192 if session.version >= (5, 4, 0) else MANAGEMENT_KEY_TYPE.TDES
        pivman_set_mgm_key(session, secrets.token_bytes(24), new_type, store_on_device=True)
        session.change_puk("12345678", "".join(secrets.choice("0123456789") for _ in range(8)))
        public_key = session.generate_key(SLOT.AUTHENTICATION, KEY_TYPE.RSA2048, PIN_POLICY.DEFAULT, TOUCH_POLICY.DEFAULT)
        if args.attest:
            attestation = session.attest_key(SLOT.AUTHENTICATION)
            check_issued_by(attestation, session.get_certificate(SLOT.ATTESTATION))
            if attestation.public_key().public_numbers() != public_key.public_numbers():
                raise SystemExit("the attestation is for another key")
        csr = generate_csr(session, SLOT.AUTHENTICATION, public_key, "CN=" + args.user)
        session.put_certificate(SLOT.AUTHENTICATION, issue(ca_key, ca_cert, csr))
        session.put_object(OBJECT_ID.CHUID, generate_chuid())
        session.put_object(OBJECT_ID.CAPABILITY, generate_ccc())
    finally:
        connection.close()
    elapsed = time.perf_counter() - started
    counts = {}
    for name in connection.sent:
        counts[name] = counts.get(name, 0) + 1
    print(json.dumps({"ms": round(elapsed * 1000, 1), "generateMs": round(connection.generate_ms, 1), "apdus": len(connection.sent), "byInstruction": counts, "timeline": connection.timeline}))


if __name__ == "__main__":
    main()
