"""PDF/A-2b for the record: a reportlab PDF finished by as_pdfa, read back with pypdf (tests/pdfa.py),
made again in another process, refused with a font it does not embed, and signed with pyHanko."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import time
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from motesplats import fonts
from motesplats.render.pdf_archive import as_pdfa
from tests.pdfa import archived


def reportlab_pdf(font: str = fonts.REGULAR) -> bytes:
    """A page as the renderers make one: text in `font`, a stamp drawn from a form XObject in bold,
    and a link."""
    fonts.register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=font)
    canvas.setTitle("Protokoll")
    canvas.setFont(font, 12)
    canvas.drawString(72, 760, "Protokoll fört vid Mälardalsrådets styrelsemöte")
    canvas.beginForm("stamp")
    canvas.setFont(fonts.BOLD, 10)
    canvas.drawString(0, 0, "Justerat")
    canvas.endForm()
    canvas.doForm("stamp")
    canvas.linkURL("https://malardalsradet.example/anslagstavla", (72, 700, 300, 720), relative=0)
    canvas.drawString(72, 705, "Anslagstavlan")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_a_reportlab_pdf_becomes_pdfa_2b_dated_by_the_document_with_its_link_printed():
    pdf = as_pdfa(reportlab_pdf(), title="Protokoll: Styrelsemöte 8 juni 2018", language="sv",
                  dated=dt.date(2018, 6, 13))
    marked = archived(pdf)
    assert (marked.title, marked.language) == ("Protokoll: Styrelsemöte 8 juni 2018", "sv")
    assert marked.created == marked.modified == "2018-06-13"
    # the page's two fonts and the stamp's two again (reportlab gives both the document's font dictionary)
    assert marked.fonts == 4 and marked.annotations == 1


def test_without_a_date_the_file_bears_none_rather_than_an_invented_one():
    marked = archived(as_pdfa(reportlab_pdf(), title="Kallelse", language="en"))
    assert (marked.created, marked.modified, marked.language) == (None, None, "en")


def test_the_same_pdf_gives_the_same_bytes_later_and_in_another_process():
    here = as_pdfa(reportlab_pdf(), title="Protokoll", language="sv", dated=dt.date(2018, 6, 13))
    time.sleep(1.1)  # anything taken from the clock (to the second) would differ now
    script = ("import sys, datetime; from tests.render.test_pdf_archive import reportlab_pdf;"
              "from motesplats.render.pdf_archive import as_pdfa;"
              "sys.stdout.buffer.write(as_pdfa(reportlab_pdf(), title='Protokoll', language='sv',"
              " dated=datetime.date(2018, 6, 13)))")
    there = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                           cwd=Path(__file__).resolve().parents[2]).stdout
    assert here == there


def test_a_font_not_embedded_is_refused():
    with pytest.raises(ValueError, match="Helvetica is not embedded"):
        as_pdfa(reportlab_pdf(font="Helvetica"), title="Protokoll", language="sv")


def test_signing_keeps_the_markers_and_the_signed_revision(tmp_path):
    """An adjuster's signature is an incremental update: the PDF/A-2b file is a prefix of the signed
    one, which is PDF/A-2b still, and the signature covers it all."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    key_file, certificate_file = _self_signed(tmp_path, "Helena Forsberg")
    signer = signers.SimpleSigner.load(str(key_file), str(certificate_file))
    pdf = as_pdfa(reportlab_pdf(), title="Protokoll", language="sv", dated=dt.date(2018, 6, 13))
    signed = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)),
                              signers.PdfSignatureMetadata(field_name="Justering"), signer=signer).getvalue()
    assert signed.startswith(pdf) and len(signed) > len(pdf)
    marked = archived(signed)
    assert (marked.title, marked.created) == ("Protokoll", "2018-06-13")
    (signature,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[signer.signing_cert]))
    assert status.intact and status.valid and status.coverage.name == "ENTIRE_FILE"


def _self_signed(folder: Path, name: str) -> tuple[Path, Path]:
    """A throwaway key and self-signed certificate for `name`, as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
                   .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                                key_encipherment=False, data_encipherment=False,
                                                key_agreement=False, key_cert_sign=False, crl_sign=False,
                                                encipher_only=False, decipher_only=False), critical=True)
                   .sign(key, hashes.SHA256()))
    key_file, certificate_file = folder / "key.pem", folder / "certificate.pem"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    certificate_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_file, certificate_file
