"""PAdES signatures on the minutes, through pyHanko: the document made ready for signing, each
signature brought back verified, and the organisation's seal applied.

Imported only by the signing commands (pyHanko and its cryptography take a while to load).
Every check reports one reason in words a secretary can act on (`Refused`); nothing here writes
to the workspace.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel, SuspiciousModification
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

# A signature may add fields and fill them (its own, and later signers'); anything else after the
# document was issued (a page's content, an annotation) changes what was signed.
ALLOWED_CHANGES = ModificationLevel.FORM_FILLING
# Signers' certificates say "digital signature" or "non-repudiation" (BankID's and most services'
# say one or both); pyHanko's default asks for non-repudiation only.
KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
CLOCK_SKEW = timedelta(minutes=10)


class Refused(ValueError):
    """A signed file that is not accepted, and why, in words for the secretary."""


@dataclass(frozen=True)
class FoundSignature:
    """One valid signature in a signed file, and who its certificate names."""

    common_name: str
    emails: tuple[str, ...]
    subject: str          # the certificate's subject as people read it
    fingerprint: str      # SHA-256 of the certificate
    signed_at: datetime   # a trusted timestamp's time, else the time the signer's software wrote


def signable(pdf: bytes) -> bytes:
    """`pdf` with an empty form added in an incremental update, so that the document issued for
    signing is byte for byte the start of every signed copy and pyHanko can compare each signature's
    changes with it (its difference analysis needs a form in the revision it compares from)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    writer.root["/AcroForm"] = writer.add_object(generic.DictionaryObject({
        generic.NameObject("/Fields"): generic.ArrayObject(),
        # AppendOnly: tools that open the file save it incrementally, keeping the issued bytes
        generic.NameObject("/SigFlags"): generic.NumberObject(3)}))
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def read_certificates(contents: list[bytes]) -> list[asn1_x509.Certificate]:
    """Certificates from PEM or DER files' contents; ValueError for one that is neither."""
    found = []
    for content in contents:
        if b"-----BEGIN" in content:
            from asn1crypto import pem
            found += [asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(content, multiple=True)]
        else:
            found.append(asn1_x509.Certificate.load(content))
        found[-1].native  # parse now: a broken file fails here, not in the middle of validation
    return found


def verify(signed: bytes, issued: bytes, trust_roots: list[asn1_x509.Certificate], now: datetime,
           issued_on: str) -> list[FoundSignature]:
    """Every signature in `signed`, each checked: intact, covering the whole document (nothing but
    further signatures after it), over exactly the document `issued`, by a certificate that chains
    to `trust_roots` and is valid `now`. Raises Refused for the first that is not."""
    try:
        reader = PdfFileReader(io.BytesIO(signed))
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError) as error:
        raise Refused(f"cannot be read as a PDF ({error})") from None
    if not signatures:
        raise Refused("has no signature: sign it, or bring the copy the signing service returned")
    context = ValidationContext(trust_roots=trust_roots, allow_fetching=False, revocation_mode="soft-fail",
                                moment=now)
    statuses = [(signature, _status(signature, context)) for signature in signatures]
    if not signed.startswith(issued):  # intact signatures over something else: another document
        raise Refused(f"not the document issued on {issued_on}: have the document issued last signed, "
                      "or issue it again")
    for signature, status in statuses:
        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
            status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.modification_level <= ALLOWED_CHANGES)
        if not whole or status.docmdp_ok is False:
            raise Refused(f"the document was changed after it was signed by {_name(signature.signer_cert)}")
    # Each signature's own update too: a content change made with the first signature is not the issued document
    base = PdfFileReader(io.BytesIO(issued)).xrefs.total_revisions - 1
    changes = DEFAULT_DIFF_POLICY.review_file(reader, base)
    if isinstance(changes, SuspiciousModification) or changes.modification_level > ALLOWED_CHANGES:
        raise Refused("the document was changed after it was issued: its content differs from the issued "
                      "document's, not only by signatures")
    return [_checked(signature, status, now) for signature, status in statuses]


def _status(signature, context: ValidationContext):
    """pyHanko's verdict on one signature; Refused when it no longer matches the bytes it signed."""
    name = _name(signature.signer_cert)
    try:
        status = validate_pdf_signature(signature, context, key_usage_settings=KEY_USAGE)
    except (SigningError, PdfError, ValueError) as error:
        raise Refused(f"the signature of {name} cannot be checked ({error})") from None
    if not status.intact or not status.valid:
        raise Refused(f"the document was changed after it was signed: the signature of {name} no longer matches it")
    return status


def _checked(signature, status, now: datetime) -> FoundSignature:
    certificate = signature.signer_cert
    name = _name(certificate)
    if not status.trusted:
        raise Refused(_untrusted(name, certificate, status, now))
    signed_at = status.timestamp_validity.timestamp if status.timestamp_validity else status.signer_reported_dt
    if signed_at is None:
        raise Refused(f"the signature of {name} does not say when it was made")
    if signed_at > now + CLOCK_SKEW:
        raise Refused(f"the signature of {name} says it was made on {signed_at:%Y-%m-%d %H:%M}, in the future")
    return FoundSignature(_common_name(certificate) or name, _emails(certificate), certificate.subject.human_friendly,
                          hashlib.sha256(certificate.dump()).hexdigest(), signed_at)


def _name(certificate) -> str:
    return _common_name(certificate) or certificate.subject.human_friendly


def _untrusted(name: str, certificate, status, now: datetime) -> str:
    validity = certificate["tbs_certificate"]["validity"]
    ends, starts = validity["not_after"].native, validity["not_before"].native
    if ends < now:
        return f"the certificate of {name} expired on {ends:%Y-%m-%d}: sign again with a valid certificate"
    if starts > now:
        return f"the certificate of {name} is valid only from {starts:%Y-%m-%d}"
    if status.revoked:
        return f"the certificate of {name} is revoked"
    return (f"the certificate of {name} ({certificate.issuer.human_friendly}) does not chain to the trust roots "
            "named in motesplats.toml ([signing] trust_roots)")


def _common_name(certificate) -> str:
    return str(certificate.subject.native.get("common_name", "") or "")


def _emails(certificate) -> tuple[str, ...]:
    """The e-mail addresses a certificate names: subject alternative names (rfc822Name) and the
    subject's emailAddress."""
    found = [name.native for name in (certificate.subject_alt_name_value or ()) if name.name == "rfc822_name"]
    subject = certificate.subject.native.get("email_address")
    found += [subject] if isinstance(subject, str) else list(subject or ())
    return tuple(dict.fromkeys(found))


def apply_seal(issued: bytes, pkcs12: bytes, password: bytes) -> bytes:
    """`issued` signed with the organisation's seal (PAdES B-B, no timestamp server: none is
    reached from here), in an incremental update. Raises Refused when the file or password is wrong."""
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(pkcs12, other_certs=(), passphrase=password)
    except (ValueError, TypeError) as error:
        raise Refused(f"the seal cannot be opened ({error}); check MOTESPLATS_SEAL_PASSWORD") from None
    if signer is None:
        raise Refused("the seal cannot be opened: check the file and MOTESPLATS_SEAL_PASSWORD")
    out = io.BytesIO()
    metadata = signers.PdfSignatureMetadata(field_name="Organisationens_sigill", md_algorithm="sha256",
                                            subfilter=SigSeedSubFilter.PADES)
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(issued)), metadata, signer=signer, output=out)
    return out.getvalue()

