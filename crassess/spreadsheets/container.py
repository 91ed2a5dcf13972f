"""The container of a returned workbook, checked before any parsing: size, zip structure, zip bombs, DTDs,
old or password-protected Office files. Only the parts that will be read are kept in memory."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator

from crassess.errors import InvalidInput, Problem
from crassess.i18n import register, t

MAX_FILE_BYTES = 20 * 2**20     # a returned workbook
MAX_CSV_BYTES = 5 * 2**20       # a returned CSV (text is decoded whole: up to 4 bytes a character)
MAX_UNZIPPED_BYTES = 50 * 2**20  # all parts of a workbook, decompressed
MAX_PART_BYTES = 16 * 2**20     # one part, decompressed (shared strings, styles and sheets are parsed whole)
MAX_RATIO = 100
MAX_MEMBERS = 1000
_CHUNK = 2**20
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

register({
    "read.empty": {"it": "il file è vuoto", "en": "the file is empty"},
    "read.too_big": {"it": "file troppo grande ({size} MB; massimo {limit} MB)", "en": "file too large ({size} MB; at most {limit} MB)"},
    "read.old_excel": {"it": "vecchio formato Excel 97-2003 (.xls): salvarlo come cartella di lavoro Excel (.xlsx)", "en": "old Excel 97-2003 format (.xls): save it as an Excel workbook (.xlsx)"},
    "read.password": {"it": "file protetto da password (cifrato): salvarlo senza password (File > Informazioni > Proteggi cartella di lavoro)", "en": "password-protected (encrypted) file: save it without a password (File > Info > Protect Workbook)"},
    "read.ole": {"it": "documento Office in formato binario, non un foglio .xlsx, .xlsm o .ods", "en": "a binary Office document, not an .xlsx, .xlsm or .ods workbook"},
    "read.corrupted": {"it": "file danneggiato o non è un foglio di calcolo ({detail})", "en": "corrupted file, or not a spreadsheet ({detail})"},
    "read.bomb": {"it": "file sospetto: decompresso sarebbe troppo grande ({detail})", "en": "suspicious file: too large once decompressed ({detail})"},
    "read.dtd": {"it": "file sospetto: contiene una dichiarazione DOCTYPE/ENTITY in {part}", "en": "suspicious file: it has a DOCTYPE/ENTITY declaration in {part}"},
    "read.lying": {"it": "più grande di quanto dichiarato", "en": "larger than declared"},
})


class Rejected(InvalidInput):
    """A file refused as a whole; ``reason`` is a short key for the summary (``empty``, ``corrupted``...)."""

    def __init__(self, reason: str, problems: list[Problem] | tuple[Problem, ...]):
        self.reason = reason
        super().__init__(problems=problems)


def reject(reason: str, file: str, message: str, place: str = "") -> Rejected:
    return Rejected(reason, [Problem(file, place, message)])


def check_size(data: bytes, file: str, limit: int | None = None) -> None:
    limit = MAX_FILE_BYTES if limit is None else limit
    if not data:
        raise reject("empty", file, t("read.empty"))
    if len(data) > limit:
        raise reject("too_big", file, t("read.too_big", size=round(len(data) / 2**20, 1), limit=limit // 2**20))


def _ole_kind(data: bytes) -> str:
    """What an OLE compound file (the container of .xls and of encrypted .xlsx) holds, from its stream names."""
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return "read.password"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "read.old_excel"
    return "read.ole"


def open_zip(data: bytes, file: str) -> zipfile.ZipFile:
    """The zip container, refused when it is not one, or would decompress beyond the limits (declared sizes)."""
    if data[:8] == _OLE:
        raise reject("password" if _ole_kind(data) == "read.password" else "unsupported", file, t(_ole_kind(data)))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception as exc:  # zipfile raises many kinds (BadZipFile, NotImplementedError, struct.error...)
        raise reject("corrupted", file, t("read.corrupted", detail=str(exc) or type(exc).__name__)) from None
    total = sum(i.file_size for i in infos)
    if len(infos) > MAX_MEMBERS:
        raise reject("unsafe", file, t("read.bomb", detail=f"{len(infos)} parts"))
    if total > MAX_UNZIPPED_BYTES:
        raise reject("unsafe", file, t("read.bomb", detail=f"{total // 2**20} MB"))
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise reject("unsafe", file, t("read.bomb", detail=f"{info.filename} {info.file_size // 2**20} MB"))
        if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise reject("unsafe", file, t("read.bomb", detail=f"{info.filename} x{info.file_size // max(info.compress_size, 1)}"))
    return zf


class _Damaged(Exception):
    """A member that cannot be read as declared; ``reason`` is ``unsafe`` or ``corrupted``."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason


def _chunks(view: memoryview, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """One member's bytes, decompressed a chunk at a time, at most one byte past its declared size.

    calamine's zip reader is not relied upon to stop at the declared size: a member whose stream expands
    beyond it (a zip bomb with a lying header) is refused here, before calamine sees the file.
    """
    if info.flag_bits & 0x1:
        raise _Damaged("corrupted", "encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _Damaged("corrupted", f"compression {info.compress_type}")
    start = info.header_offset
    if bytes(view[start:start + 4]) != b"PK\x03\x04":
        raise _Damaged("corrupted", "local header")
    name_len, extra_len = struct.unpack("<HH", view[start + 26:start + 30])
    begin = start + 30 + name_len + extra_len
    stream = view[begin:begin + info.compress_size]
    if info.file_size < _CHUNK and info.compress_size < _CHUNK:  # the usual part: one call
        try:
            yield stream.tobytes() if info.compress_type == zipfile.ZIP_STORED else zlib.decompressobj(-15).decompress(stream, info.file_size + 1)
        except zlib.error as exc:
            raise _Damaged("corrupted", str(exc)) from None
        return
    if info.compress_type == zipfile.ZIP_STORED:
        for at in range(0, len(stream), _CHUNK):
            yield bytes(stream[at:at + _CHUNK])
        return
    inflater = zlib.decompressobj(-15)
    left = info.file_size + 1
    try:
        for at in range(0, len(stream), _CHUNK):
            pending = stream[at:at + _CHUNK]
            while pending and left > 0:
                out = inflater.decompress(pending, min(left, _CHUNK))
                left -= len(out)
                yield out
                pending = inflater.unconsumed_tail
        if left > 0:
            yield inflater.flush()
    except zlib.error as exc:
        raise _Damaged("corrupted", str(exc)) from None


def _read_member(view: memoryview, info: zipfile.ZipInfo, keep: bool) -> bytes:
    """Decompress and verify one member (size, CRC, no DTD in XML); its bytes when ``keep``, else b""."""
    is_xml = info.filename.endswith((".xml", ".rels"))
    chunks = _chunks(view, info)
    if info.file_size < _CHUNK and info.compress_size < _CHUNK:  # the usual part, in one piece
        data = next(chunks, b"")
        if len(data) > info.file_size:
            raise _Damaged("unsafe", t("read.lying"))
        if len(data) < info.file_size or zlib.crc32(data) != info.CRC:
            raise _Damaged("corrupted", "CRC")
        if is_xml and (b"<!DOCTYPE" in data or b"<!ENTITY" in data):
            raise _Damaged("dtd", info.filename)
        return data if keep else b""
    kept: list[bytes] = []
    size, crc, tail = 0, 0, b""
    for chunk in chunks:
        size += len(chunk)
        if size > info.file_size:
            raise _Damaged("unsafe", t("read.lying"))
        crc = zlib.crc32(chunk, crc)
        if is_xml:
            window = tail + chunk[:64] if tail else b""  # a declaration split across two chunks
            if b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk or b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                raise _Damaged("dtd", info.filename)
            tail = chunk[-16:]
        if keep:
            kept.append(chunk)
    if size < info.file_size or crc != info.CRC:
        raise _Damaged("corrupted", "CRC")
    return b"".join(kept)


def read_member(data: bytes, zf: zipfile.ZipFile, name: str, file: str) -> bytes | None:
    """One member by name, verified; ``None`` when the zip has no such member."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    return _guarded(lambda: _read_member(memoryview(data), info, True), info, file)


def unpack(data: bytes, zf: zipfile.ZipFile, file: str, keep: Callable[[str], bool] | None = None,
           known: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Every member verified (sizes, CRC, no DOCTYPE/ENTITY in XML parts); the bytes of those ``keep`` accepts
    (default: all). ``known``: members already read (and verified) with :func:`read_member`."""
    view = memoryview(data)
    members: dict[str, bytes] = {}
    for info in zf.infolist():
        if known and info.filename in known:
            continue
        wanted = keep(info.filename) if keep is not None else True
        content = _guarded(lambda info=info, wanted=wanted: _read_member(view, info, wanted), info, file)  # type: ignore[misc]
        if wanted:
            members[info.filename] = content
    return members


def _guarded(read: Callable[[], bytes], info: zipfile.ZipInfo, file: str) -> bytes:
    try:
        return read()
    except _Damaged as exc:
        if exc.reason == "dtd":
            raise reject("unsafe", file, t("read.dtd", part=info.filename)) from None
        detail = f"{info.filename}: {exc}"
        message = t("read.bomb", detail=detail) if exc.reason == "unsafe" else t("read.corrupted", detail=detail)
        raise reject(exc.reason, file, message) from None
    except (struct.error, ValueError) as exc:
        raise reject("corrupted", file, t("read.corrupted", detail=f"{info.filename}: {exc}")) from None
