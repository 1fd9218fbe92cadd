"""What an uploaded file is, from its content: the name's extension alone proves nothing.

Accepted are PDF, Word (DOCX), Excel (XLSX), OpenDocument text and spreadsheets (ODT, ODS),
PNG and JPEG. Each is recognised by its structure (signatures, the ZIP parts that name an
office document's type, an image that decodes), and the name must end as that type does, so
that a program or a web page renamed ``.pdf`` is refused, and so is an office file with macros.
No Django here: callers word the refusal.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    extensions: tuple[str, ...]
    content_type: str


PDF = FileType("pdf", "PDF", ("pdf",), "application/pdf")
DOCX = FileType(
    "docx",
    "Word (DOCX)",
    ("docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
XLSX = FileType(
    "xlsx",
    "Excel (XLSX)",
    ("xlsx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
ODT = FileType(
    "odt", "OpenDocument text (ODT)", ("odt",), "application/vnd.oasis.opendocument.text"
)
ODS = FileType(
    "ods",
    "OpenDocument spreadsheet (ODS)",
    ("ods",),
    "application/vnd.oasis.opendocument.spreadsheet",
)
PNG = FileType("png", "PNG", ("png",), "image/png")
JPEG = FileType("jpeg", "JPEG", ("jpg", "jpeg"), "image/jpeg")
ACCEPTED: tuple[FileType, ...] = (PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG)
BY_KEY = {kind.key: kind for kind in ACCEPTED}

# The ZIP of an office document: more parts, or more unpacked bytes, than any real one has.
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_UNPACKED = 500 * 1024 * 1024
MAX_IMAGE_PIXELS = 80_000_000
OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
}


class FileTypeError(ValueError):
    """Why a file is refused: ``code`` is "unknown" (not a type we take), "mismatch" (the
    content is another type than the name says) or "macros" (an office file with macros)."""

    def __init__(self, code: str, found: FileType | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.found = found


def extension_of(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def identify(stream: BinaryIO, name: str) -> FileType:
    """The type of the file in ``stream`` (left at its start), or ``FileTypeError``."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    found: FileType | None = None
    if head.startswith(b"%PDF-"):
        found = _pdf(stream)
    elif head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff"):
        found = _image(stream)
    elif head.startswith(b"PK\x03\x04"):
        found = _office(stream)
    stream.seek(0)
    if found is None:
        raise FileTypeError("unknown")
    if extension_of(name) not in found.extensions:
        raise FileTypeError("mismatch", found)
    return found


def _pdf(stream: BinaryIO) -> FileType | None:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(max(0, size - 2048))
    return PDF if b"%%EOF" in stream.read() else None


def _image(stream: BinaryIO) -> FileType | None:
    try:
        with Image.open(stream) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                return None
            kind = {"PNG": PNG, "JPEG": JPEG}.get(str(image.format))
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return kind


def _office(stream: BinaryIO) -> FileType | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                return None
            if sum(entry.file_size for entry in entries) > MAX_ZIP_UNPACKED:
                return None
            names = {entry.filename for entry in entries}
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise FileTypeError("macros")
            if entries and entries[0].filename == "mimetype":
                if entries[0].file_size > 100:
                    return None
                return ODF_MIMETYPES.get(archive.read("mimetype").strip())
            if "[Content_Types].xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size > 1024 * 1024:
                    return None
                types = archive.read(info).decode("utf-8", "replace")
                if "macroEnabled" in types:
                    raise FileTypeError("macros")
                for content_type, kind in OOXML_MAIN.items():
                    if f'ContentType="{content_type}"' in types:
                        return kind
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        KeyError,
        RuntimeError,  # also an unsupported compression method (NotImplementedError is one)
    ):
        return None
    return None
