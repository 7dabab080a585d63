"""What a file is, read from its first bytes (never from its name or the browser's claim)."""

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"

SUFFIX = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", TIFF: ".tif"}
LABEL = {PDF: "PDF", JPEG: "ảnh JPEG", PNG: "ảnh PNG", TIFF: "ảnh TIFF"}

# (offset, signature, type); a PDF header may follow a little junk, as readers allow.
_SIGNATURES = (
    (0, b"\xff\xd8\xff", JPEG),
    (0, b"\x89PNG\r\n\x1a\n", PNG),
    (0, b"II*\x00", TIFF),
    (0, b"MM\x00*", TIFF),
)


def sniff(head: bytes) -> str | None:
    """The content type of a file from its first kilobyte, or None when it is none we take."""
    for offset, signature, kind in _SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return kind
    if b"%PDF-" in head[:1024]:
        return PDF
    return None


def sniff_path(path) -> str | None:
    with open(path, "rb") as stream:
        return sniff(stream.read(1024))
