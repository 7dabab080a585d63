"""Digital signatures (ký số) on PDFs: PAdES signing and verification (the demo PKI that
makes the certificates is in ``pki`` and re-exported here).

Signatures are PAdES baseline B-B (pyHanko): the signing time is the one the signer states,
not a timestamp token, because the portal has no trusted timestamp server. A local TSA run by
the same machine would add no trust, so B-T is left for when a real TSA is configured.

Certificates live in the directory of ``settings.SIGNING_CERT_P12``: ``<unit code>.p12`` per
unit, the default certificate at ``SIGNING_CERT_P12`` itself (the portal's own, used when no
unit is given), all protected by ``SIGNING_CERT_PASSWORD``. Every ``*.pem`` file there is a
trust root for verification: the demo CA is ``ca.pem``; drop a real root (e.g. the national
CA's) next to it to trust certificates it issued.
"""

import asyncio
import datetime as dt
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from .pki import DemoPki, ensure_demo_pki

__all__ = [
    "DemoPki",
    "SignatureReport",
    "SigningError",
    "ensure_demo_pki",
    "sign_pdf",
    "verify_pdf",
]

STAMP_FONT = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")
STAMP_SIZE = (230, 40)  # points, fits in the 2 cm top margin of the portal's forms


class SigningError(Exception):
    """A PDF that cannot be signed or read; the message is Vietnamese, fit for the clerk."""


@dataclass(frozen=True)
class SignatureReport:
    """One signature of a PDF as verify_pdf judged it."""

    field_name: str
    signer: str  # the certificate's CN, e.g. "UBND xã Phiêng Ban"
    organisation: str  # the certificate's O
    signing_time: dt.datetime | None  # stated by the signer (no timestamp token in B-B)
    intact: bool  # the bytes it covers are unchanged
    valid: bool  # the cryptographic signature checks out
    trusted: bool  # the certificate chains to a trust root and may sign documents
    covers_whole_file: bool  # nothing was appended after it
    changed_after: bool  # later revisions do more than add signatures or fill fields
    reason: str
    summary: str = field(default="")

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and not self.changed_after


# --- signing ---------------------------------------------------------------------------------


def sign_pdf(pdf_bytes, *, unit_code, reason, location="Bắc Yên, Sơn La", signer_name=None):
    """Return ``pdf_bytes`` with one more PAdES B-B signature by ``unit_code``'s certificate.

    The signature is an incremental update: the input is a byte-for-byte prefix of the result,
    and earlier signatures stay intact. A small visible stamp ("Đã ký số bởi ...", Noto Sans)
    goes at the top right of page 1, or none when the font is missing (invisible signature).
    ``unit_code=None`` signs with the default certificate (``SIGNING_CERT_P12``);
    ``signer_name`` (the clerk) is recorded as the signature's /Name. Raises SigningError for
    an encrypted or unreadable PDF or a unit without a certificate.
    """
    reader = _reader(pdf_bytes)
    if reader.encrypted:
        raise SigningError("Tệp PDF đã được đặt mật khẩu (mã hóa), không thể ký số.")
    signer = _signer(_p12_path(unit_code))
    index = len(reader.embedded_signatures) + 1
    meta = signers.PdfSignatureMetadata(
        field_name=f"ChuKySo{index}",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=signer_name,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    style, box = _stamp(reader, index)
    spec = fields.SigFieldSpec(meta.field_name, on_page=0, box=box)
    out = io.BytesIO()
    pdf_signer = signers.PdfSigner(meta, signer, stamp_style=style, new_field_spec=spec)
    params = {"signer": _cn(signer)}  # the unit; the clerk's name is the signature's /Name
    _outside_event_loop(pdf_signer.sign_pdf, writer, output=out, appearance_text_params=params)
    if not out.getvalue().startswith(pdf_bytes):  # what an incremental update guarantees
        raise SigningError("Ký số thất bại: tệp gốc bị thay đổi khi ký.")
    return out.getvalue()


def _p12_path(unit_code: str | None) -> Path:
    default = Path(settings.SIGNING_CERT_P12)
    path = default if unit_code is None else default.parent / f"{unit_code}.p12"
    if not path.exists():
        who = f"Đơn vị {unit_code}" if unit_code else "Cổng"
        raise SigningError(f"{who} chưa có chứng thư số (chạy make_signing_certs).")
    return path


def _signer(path: Path) -> signers.SimpleSigner:
    return _cached_signer(str(path), path.stat().st_mtime_ns, settings.SIGNING_CERT_PASSWORD)


@lru_cache(maxsize=64)
def _cached_signer(path: str, _mtime: int, password: str) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=password.encode())
    if signer is None:
        raise SigningError("Không mở được chứng thư số: sai mật khẩu hoặc tệp hỏng.")
    return signer


def _cn(signer) -> str:
    return signer.signing_cert.subject.native.get("common_name", "")


def _stamp(reader, index: int):
    """A visible stamp at the top right of page 1, where Nghị định 30/2020 puts the signature
    of a copy (in the margin of a form printed by the portal); later signatures go to its left.
    Invisible when the Vietnamese font is missing."""
    if not STAMP_FONT.exists():
        return None, None
    style = TextStampStyle(
        stamp_text="Đã ký số bởi: %(signer)s\nLúc: %(ts)s",
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(STAMP_FONT), font_size=8)),
        border_width=1,
        timestamp_format="%d/%m/%Y %H:%M",  # the signing time, local (Django sets TZ)
    )
    page, _ = reader.find_page_for_modification(0)
    node = page.get_object()
    while "/MediaBox" not in node and "/Parent" in node:
        node = node["/Parent"].get_object()
    box = node.get("/MediaBox") or [0, 0, 595, 842]  # A4 when the page does not say
    right, top = float(box[2]), float(box[3])
    width, height = STAMP_SIZE
    x1 = right - 12 - ((index - 1) % 2) * (width + 6)
    y1 = top - 8 - ((index - 1) // 2) * (height + 6)
    return style, (x1 - width, y1 - height, x1, y1)


def _reader(pdf_bytes: bytes) -> PdfFileReader:
    """A reader over the whole file. Bytes after the last %%EOF mean a cut-off update (a
    truncated signature would otherwise read as an unsigned file), so they are refused."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        reader.root  # noqa: B018 — parses the catalogue now rather than later
    except Exception as exc:
        raise SigningError("Tệp không phải PDF hợp lệ hoặc đã bị hỏng, không đọc được.") from exc
    if pdf_bytes[pdf_bytes.rindex(b"%%EOF") + 5 :].strip(b" \t\r\n\x00"):
        raise SigningError("Tệp PDF bị cắt cụt hoặc có dữ liệu lạ ở cuối, không đọc được.")
    return reader


# --- verification ----------------------------------------------------------------------------


def verify_pdf(pdf_bytes: bytes) -> list[SignatureReport]:
    """Every signature of ``pdf_bytes``, in signing order, judged against the trust roots.

    An unsigned PDF gives ``[]``; an unreadable one raises SigningError. Never modifies the
    file. A signature whose data cannot be read is reported as neither intact nor valid.
    """
    reader = _reader(pdf_bytes)
    try:
        embedded = list(reader.embedded_signatures)
    except Exception as exc:
        raise SigningError("Không đọc được chữ ký trong tệp PDF: tệp đã bị hỏng.") from exc
    roots = _trust_roots()
    return [_report(sig, roots) for sig in embedded]


def _report(sig, roots) -> SignatureReport:
    usage = KeyUsageConstraints(
        key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
    )
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    name = sig.field_name or ""
    reason = str(sig.sig_object.get("/Reason", ""))
    try:
        status = _outside_event_loop(validate_pdf_signature, sig, context, key_usage_settings=usage)
    except Exception:  # unreadable CMS data, a byte range outside the file, ...
        broken = "Không hợp lệ: không đọc được dữ liệu chữ ký"
        return SignatureReport(name, "", "", None, *[False] * 4, True, reason, broken)
    subject = status.signing_cert.subject.native
    report = SignatureReport(
        field_name=name,
        signer=subject.get("common_name", ""),
        organisation=subject.get("organization_name", ""),
        signing_time=status.signer_reported_dt,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        changed_after=status.docmdp_ok is False,
        reason=reason,
    )
    return _with_summary(report)


def _with_summary(report: SignatureReport) -> SignatureReport:
    if not report.intact:
        text = "Không hợp lệ: tài liệu đã bị sửa sau khi ký"
    elif not report.valid:
        text = "Không hợp lệ: chữ ký số không khớp với chứng thư"
    elif report.changed_after:
        text = "Không hợp lệ: tài liệu bị thay đổi (ngoài chữ ký thêm) sau khi ký"
    elif not report.trusted:
        text = f"Chưa tin cậy: chứng thư của {report.signer} không do tổ chức tin cậy cấp"
    else:
        at = _local(report.signing_time) if report.signing_time else "?"
        text = f"Hợp lệ — ký bởi {report.signer} lúc {at}"
    return SignatureReport(**{**report.__dict__, "summary": text})


def _outside_event_loop(func, *args, **kwargs):
    """pyHanko's synchronous API calls asyncio.run(), which refuses to start inside a running
    event loop (an async view, Playwright's sync API in tests): then run it on its own thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return func(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(func, *args, **kwargs).result()


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%d/%m/%Y %H:%M")


def _trust_roots() -> list:
    folder = Path(settings.SIGNING_CERT_P12).parent
    return [cert for pem in sorted(folder.glob("*.pem")) for cert in load_certs_from_pemder([pem])]
