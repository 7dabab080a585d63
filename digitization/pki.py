"""The demo PKI: a root CA and one PKCS#12 certificate per unit, made with ``cryptography``.

Files sit next to ``settings.SIGNING_CERT_P12`` (see ``signing``): ``ca.pem`` (the trust
root), ``ca.p12`` (the CA's key, to issue certificates for new units), ``<unit code>.p12``
and the default certificate itself, all protected by ``SIGNING_CERT_PASSWORD``.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

CA_NAME = "CA thử nghiệm Cổng Một cửa Bắc Yên"
ORGANISATION = "UBND huyện Bắc Yên"
PORTAL_NAME = "Cổng Một cửa Bắc Yên"
CA_FILE, CA_KEY_FILE = "ca.pem", "ca.p12"
VALID_YEARS = 10
CN_BYTES = 64


@dataclass
class DemoPki:
    ca_pem: Path
    default_p12: Path
    unit_p12: dict[str, Path]
    created: list[str]  # unit codes (and "default") whose certificate was (re)made this run


def ensure_demo_pki(units, *, directory=None) -> DemoPki:
    """Make sure the demo CA, the default certificate and one certificate per unit exist.

    ``units`` are objects with ``code``, ``name`` and optionally ``short_name`` (``Unit``);
    the CN is the name (see _common_name). Idempotent: the CA is made once and kept; a file is
    (re)made only when it is missing, does not open with ``SIGNING_CERT_PASSWORD``, names
    another CN (the unit was renamed) or was issued by another CA. Files are replaced
    atomically. ``directory`` defaults to the directory of ``SIGNING_CERT_P12``. Not safe to
    run twice at the same moment on an empty directory (two CAs); run it from one command.
    """
    default_p12 = Path(settings.SIGNING_CERT_P12)
    folder = Path(directory) if directory else default_p12.parent
    if directory:
        default_p12 = folder / default_p12.name
    folder.mkdir(parents=True, exist_ok=True)
    ca_cert, ca_key = _load_or_make_ca(folder)
    wanted = {default_p12: PORTAL_NAME}
    unit_p12 = {}
    for unit in units:
        unit_p12[unit.code] = folder / f"{unit.code}.p12"
        wanted[unit_p12[unit.code]] = _common_name(unit)
    created = []
    for path, name in wanted.items():
        if not _is_current(path, name, ca_cert):
            _write_p12(path, _issue(name, ca_cert, ca_key), ca_cert, name)
            created.append("default" if path == default_p12 else path.stem)
    return DemoPki(folder / CA_FILE, default_p12, unit_p12, created)


def _common_name(unit) -> str:
    """The unit's name, or its short name when the name passes the 64 bytes of UTF-8 that
    cryptography allows a CN (Vietnamese letters take 2-3 bytes), or the name cut short."""
    for candidate in (unit.name, getattr(unit, "short_name", "")):
        if candidate and len(candidate.encode()) <= CN_BYTES:
            return candidate
    cut = unit.name.encode()[: CN_BYTES - 3].decode(errors="ignore")  # "…" is 3 bytes
    return cut + "…"


def _name(common_name: str) -> x509.Name:
    pairs = [(NameOID.COUNTRY_NAME, "VN"), (NameOID.ORGANIZATION_NAME, ORGANISATION)]
    pairs.append((NameOID.COMMON_NAME, common_name))  # encoded as UTF8String
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in pairs])


def _certificate(subject, issuer, public_key, issuer_key, *, ca: bool) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    # digital_signature, content_commitment (non-repudiation), 3 × encipherment/agreement,
    # key_cert_sign, crl_sign, encipher_only, decipher_only
    usage = x509.KeyUsage(not ca, not ca, False, False, False, ca, ca, False, False)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=365 * VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    return builder.sign(issuer_key, hashes.SHA256())


def _load_or_make_ca(folder: Path):
    key_file = folder / CA_KEY_FILE
    if key_file.exists():
        key, cert, _ = pkcs12.load_key_and_certificates(key_file.read_bytes(), _password())
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = _certificate(_name(CA_NAME), _name(CA_NAME), key.public_key(), key, ca=True)
        _write_p12(key_file, (key, cert), None, CA_NAME)
    (folder / CA_FILE).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def _issue(common_name, ca_cert, ca_key):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = _name(common_name)
    return key, _certificate(subject, ca_cert.subject, key.public_key(), ca_key, ca=False)


def _write_p12(path: Path, key_and_cert, ca_cert, friendly_name: str) -> None:
    key, cert = key_and_cert
    data = pkcs12.serialize_key_and_certificates(
        friendly_name.encode(),
        key,
        cert,
        [ca_cert] if ca_cert else None,
        serialization.BestAvailableEncryption(_password()),
    )
    partial = path.with_suffix(".p12.tmp")
    partial.write_bytes(data)
    partial.chmod(0o600)
    partial.replace(path)  # never leave a half-written certificate behind


def _is_current(path: Path, name: str, ca_cert) -> bool:
    """The file opens with the password, names ``name`` and was issued by the current CA."""
    try:
        _, cert, _ = pkcs12.load_key_and_certificates(path.read_bytes(), _password())
        cert.verify_directly_issued_by(ca_cert)
    except (OSError, ValueError, TypeError, AttributeError, InvalidSignature):
        return False
    return cert.subject == _name(name)


def _password() -> bytes:
    return settings.SIGNING_CERT_PASSWORD.encode()
