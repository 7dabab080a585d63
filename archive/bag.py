"""Writing a BagIt bag (RFC 8493) onto the media storage, one streamed file at a time.

Every payload file is read once from its source, hashed while it is written, and the
manifest is made from those hashes — no second pass. The tag files come last and
``tagmanifest-sha256.txt`` very last, so a bag cut short by a crash or a full disk has no tag
manifest and fails BagIt validation: it can never look complete. The storage is Django's
default storage (a local folder or an S3-compatible bucket: the same code path).
"""

import hashlib
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile, File

from .errors import PackagingError

BAGIT_TXT = "BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n"
MANIFEST = "manifest-sha256.txt"
TAGMANIFEST = "tagmanifest-sha256.txt"


class HashingReader(io.RawIOBase):
    """A read-only stream that hashes what is read through it. Rewinding to the start (as a
    storage does before a retry) starts the hash afresh."""

    def __init__(self, raw):
        super().__init__()
        self.raw = raw
        self._reset()

    def _reset(self):
        self.hash = hashlib.sha256()
        self.size = 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def read(self, n=-1):
        data = self.raw.read(n)
        self.hash.update(data)
        self.size += len(data)
        return data

    def readinto(self, buffer):
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset, whence=io.SEEK_SET):
        if offset == 0 and whence == io.SEEK_SET:
            self._reset()
        elif whence != io.SEEK_END or offset != 0:
            raise io.UnsupportedOperation("only rewinding is supported")
        return self.raw.seek(offset, whence)

    def tell(self):
        return self.raw.tell()


@dataclass
class Entry:
    path: str  # inside the bag, e.g. "data/01-phieu-yeu-cau-ban-goc.jpg"
    sha256: str
    size: int
    kind: str = "payload"
    role: str = ""
    label: str = ""


def _manifest_line(entry):
    # RFC 8493 §2.1.3: CR, LF and % in a path are percent-encoded.
    path = entry.path.replace("%", "%25").replace("\n", "%0A").replace("\r", "%0D")
    return f"{entry.sha256}  {path}\n"


class BagWriter:
    """Writes one bag under ``root`` on ``storage``; remembers every name it tried, so a
    failed attempt can be removed whole (:meth:`discard`)."""

    def __init__(self, storage, root):
        self.storage = storage
        self.root = root.rstrip("/")
        self.entries: list[Entry] = []
        self.tried: list[str] = []

    def name(self, path):
        return f"{self.root}/{path}"

    def _save(self, path, content):
        name = self.name(path)
        self.tried.append(name)
        saved = self.storage.save(name, content)
        if saved != name:  # the storage renamed it: the attempt's folder was not fresh
            self.tried.append(saved)
            raise PackagingError(f"Kho lưu trữ đã có tệp {name}; không ghi đè gói lưu trữ.")

    def add_stream(self, path, stream, *, role, label, expect_sha256=None):
        """Copy ``stream`` into the bag at ``path``, hashing it on the way. When the source's
        recorded checksum is given and differs, the copy is refused: the source changed."""
        reader = HashingReader(stream)
        self._save(path, File(reader, name=path.rsplit("/", 1)[-1]))
        entry = Entry(path, reader.hash.hexdigest(), reader.size, role=role, label=label)
        if expect_sha256 and entry.sha256 != expect_sha256:
            raise PackagingError(
                f"Tệp «{label}» đã bị thay đổi so với lúc lưu (mã băm SHA-256 không khớp); "
                "không đưa vào gói lưu trữ."
            )
        self.entries.append(entry)
        return entry

    def add_bytes(self, path, data: bytes, *, role, label, kind="payload"):
        self._save(path, ContentFile(data, name=path.rsplit("/", 1)[-1]))
        entry = Entry(path, hashlib.sha256(data).hexdigest(), len(data), kind, role, label)
        self.entries.append(entry)
        return entry

    def payload_oxum(self):
        payload = [e for e in self.entries if e.kind == "payload"]
        return f"{sum(e.size for e in payload)}.{len(payload)}"

    def seal(self, bag_info: dict) -> str:
        """Write the manifest, bag-info.txt, bagit.txt and, last, the tag manifest; returns
        the tag manifest's SHA-256 (which pins every file of the bag)."""
        payload = sorted((e for e in self.entries if e.kind == "payload"), key=lambda e: e.path)
        self.add_bytes(
            MANIFEST,
            "".join(map(_manifest_line, payload)).encode(),
            role="manifest",
            label="Danh mục mã băm các tệp nội dung",
            kind="tag",
        )
        info = {**bag_info, "Payload-Oxum": self.payload_oxum()}
        lines = "".join(f"{key}: {' '.join(str(value).split())}\n" for key, value in info.items())
        self.add_bytes(
            "bag-info.txt",
            lines.encode(),
            role="bag-info",
            label="Thông tin gói (BagIt)",
            kind="tag",
        )
        self.add_bytes(
            "bagit.txt", BAGIT_TXT.encode(), role="bagit", label="Khai báo BagIt", kind="tag"
        )
        tags = sorted((e for e in self.entries if e.kind == "tag"), key=lambda e: e.path)
        body = "".join(map(_manifest_line, tags)).encode()
        entry = self.add_bytes(
            TAGMANIFEST, body, role="tagmanifest", label="Danh mục mã băm các tệp mô tả", kind="tag"
        )
        return entry.sha256

    def verify(self):
        """Every file is on the storage with the size that was hashed: a write the storage
        cut short is caught before the package is marked sealed."""
        for entry in self.entries:
            name = self.name(entry.path)
            try:
                size = self.storage.size(name)
            except (OSError, ValueError) as exc:
                raise PackagingError(f"Sau khi ghi, không thấy tệp {entry.path} của gói.") from exc
            if size != entry.size:
                raise PackagingError(
                    f"Tệp {entry.path} của gói ghi thiếu ({size} / {entry.size} byte)."
                )

    def discard(self):
        """Remove every file this attempt wrote or began (best effort, never raises)."""
        for name in reversed(self.tried):
            try:
                self.storage.delete(name)
            except Exception:  # noqa: BLE001, S110 - cleanup must not hide the first error
                pass
