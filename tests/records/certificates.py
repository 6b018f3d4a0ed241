"""A made-up certificate authority for tests of signed adjustment: a root, certificates for people
(by name and e-mail) and organisations, and signing with pyHanko as a signing service would.

Test-only: the keys are generated on the spot and never leave the test's temporary folder.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Holder:
    """A certificate and its key."""

    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def pkcs12(self, password: bytes, chain: tuple[x509.Certificate, ...] = ()) -> bytes:
        return pkcs12.serialize_key_and_certificates(b"seal", self.key, self.certificate, list(chain),
                                                     serialization.BestAvailableEncryption(password))


def _name(common_name: str, email: str = "", organisation: str = "") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    if email:
        parts.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(parts)


def certificate_authority(name: str = "Testrådets test-CA (endast för test)") -> Holder:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(_name(name)).issuer_name(_name(name))
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - timedelta(days=30)).not_valid_after(now + timedelta(days=3650))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), True)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
                   .sign(key, hashes.SHA256()))
    return Holder(certificate, key)


def issued_by(authority: Holder, common_name: str, email: str = "", organisation: str = "",
              email_in_subject: bool = False, valid_days: tuple[int, int] = (-1, 365)) -> Holder:
    """A signing certificate from `authority`: the e-mail as a subject alternative name (or in the
    subject), valid from and to so many days from now."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(timezone.utc)
    builder = (x509.CertificateBuilder()
               .subject_name(_name(common_name, email if email_in_subject else "", organisation))
               .issuer_name(authority.certificate.subject).public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now + timedelta(days=valid_days[0])).not_valid_after(now + timedelta(days=valid_days[1]))
               .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), True)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()), False))
    if email and not email_in_subject:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), False)
    return Holder(builder.sign(authority.key, hashes.SHA256()), key)


def sign(pdf: bytes, holder: Holder, field: str) -> bytes:
    """`pdf` signed by `holder` in an incremental update (PAdES B-B), as a signing service returns it."""
    from asn1crypto import keys, x509 as asn1_x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(holder.certificate.public_bytes(serialization.Encoding.DER)),
        signing_key=keys.PrivateKeyInfo.load(holder.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        cert_registry=None)
    out = io.BytesIO()
    metadata = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES)
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), metadata, signer=signer, output=out)
    return out.getvalue()


def with_changed_content(pdf: bytes) -> bytes:
    """`pdf` with text drawn over its first page in an incremental update, as a tamperer would."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    stream = writer.add_object(generic.StreamObject(stream_data=b"BT 100 100 Td (Beslut: avslag) Tj ET"))
    contents = page["/Contents"]
    page["/Contents"] = generic.ArrayObject(
        (list(contents) if isinstance(contents, generic.ArrayObject) else [page.raw_get("/Contents")]) + [stream])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
