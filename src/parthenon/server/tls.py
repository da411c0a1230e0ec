"""TLS for `parthenon serve`: the operator's certificate, or one made and kept for them.

- `--tls-cert FILE --tls-key FILE`: the operator's certificate chain and key (PEM).
- `--tls self-signed`: a certificate made on first start with `cryptography`
  (ECDSA P-256, valid 825 days, names: localhost, 127.0.0.1, ::1, this host's
  names and the address served), kept in PARTHENON_HOME/tls/ (key mode 0600) and
  reused across restarts, so clients pin it once: its SHA-256 fingerprint is
  printed at start, and the file itself serves as a CA bundle
  (`boto3.client(..., verify="<home>/tls/self-signed.pem")`).  It is made again
  when it expires within a day or does not name the address served.
- Plain HTTP only on a loopback address, unless the operator passes
  `--allow-plain-http` (keys and results would cross the network in clear).
TLS 1.2 is the oldest version accepted.
"""
from __future__ import annotations

import datetime
import hashlib
import ipaddress
import os
import socket
import ssl
from pathlib import Path

SELF_SIGNED_DAYS = 825          # the longest lifetime Apple's and browsers' rules accept


class TlsError(ValueError):
    """A TLS set-up the operator must fix; the message says how."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def context(cert: str | Path, key: str | Path) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        ctx.load_cert_chain(str(cert), str(key))
    except (OSError, ssl.SSLError) as e:
        raise TlsError(f"cannot load the TLS certificate {cert} with key {key}: {e}") from None
    return ctx


def fingerprint(cert: str | Path) -> str:
    """SHA-256 of the certificate (the first of the chain), as `openssl x509 -fingerprint` shows it."""
    pem = Path(cert).read_text()
    der = ssl.PEM_cert_to_DER_cert(pem[:pem.index("-----END CERTIFICATE-----") + 25])
    return ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())


def _names(host: str) -> tuple[set[str], set[str]]:
    dns, ips = {"localhost"}, {"127.0.0.1", "::1"}
    for name in (socket.gethostname(), socket.getfqdn()):
        if name:
            dns.add(name)
    if host and host not in ("0.0.0.0", "::"):
        try:
            ips.add(str(ipaddress.ip_address(host)))
        except ValueError:
            dns.add(host)
    return dns, ips


def self_signed(home: Path, host: str) -> tuple[Path, Path]:
    """(certificate, key) under home/tls/, made when missing, expiring, or not naming `host`."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder = home / "tls"
    cert_path, key_path = folder / "self-signed.pem", folder / "self-signed.key"
    dns, ips = _names(host)
    now = datetime.datetime.now(datetime.timezone.utc)
    if cert_path.exists() and key_path.exists():
        try:
            cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
            san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            have = set(san.get_values_for_type(x509.DNSName)) | \
                {str(i) for i in san.get_values_for_type(x509.IPAddress)}
            if cert.not_valid_after_utc > now + datetime.timedelta(days=1) and dns | ips <= have:
                return cert_path, key_path
        except (ValueError, x509.ExtensionNotFound):
            pass          # unreadable or foreign: make a new one
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Parthenon self-signed"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Parthenon")])
    alt = [x509.DNSName(d) for d in sorted(dns)] + [x509.IPAddress(ipaddress.ip_address(i)) for i in sorted(ips)]
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=SELF_SIGNED_DAYS))
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            # its own issuer, so clients can trust it as a CA bundle of one
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=False,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(ski, critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski),
                           critical=False)
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    tmp = key_path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key_pem)
    os.replace(tmp, key_path)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def server_context(home: Path, host: str, tls: str | None, cert: str | None, key: str | None,
                   allow_plain_http: bool) -> tuple[ssl.SSLContext | None, Path | None]:
    """The SSL context for these options and the certificate it serves (None, None: plain HTTP)."""
    if tls not in (None, "self-signed"):
        raise TlsError(f"--tls takes 'self-signed' (or give --tls-cert and --tls-key), not {tls!r}")
    if (cert is None) != (key is None):
        raise TlsError("--tls-cert and --tls-key go together")
    if tls and cert:
        raise TlsError("--tls self-signed and --tls-cert are exclusive")
    if tls == "self-signed":
        cert, key = self_signed(home, host)
    if cert is None:
        if not is_loopback(host) and not allow_plain_http:
            raise TlsError(f"refusing plain HTTP on {host}: access keys and results would cross "
                           f"the network unencrypted. Use --tls self-signed or --tls-cert/--tls-key, "
                           f"or --allow-plain-http if a proxy in front terminates TLS.")
        return None, None
    return context(cert, key), Path(cert)
