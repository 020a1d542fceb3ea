"""Archives from untrusted sources, extracted safely: zip (uploads, zipped shapefiles, zipped tables) and
7z (IGN downloads), refusing path traversal, nested archives and bombs before a byte is written."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from .base import LoadReport

__all__ = ["MAX_UNZIPPED_MB", "MAX_ZIP_RATIO", "MAX_DOWNLOAD_MB"]

#: Largest total size a zip may expand to, and largest expansion ratio (zip bombs).
MAX_UNZIPPED_MB = 1024
MAX_ZIP_RATIO = 200
#: Largest download (``lillegeo.io.fetch``), in MB; a 7z archive may expand to 8 times as much.
MAX_DOWNLOAD_MB = 2048


def _safe_extract(data: bytes, dest: Path, report: LoadReport) -> list[Path]:
    """Extract a zip into ``dest`` refusing path traversal, nested zips and zip bombs."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ValueError(f"'{report.source}' is not a valid zip archive ({exc})") from None
    out = []
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        # every check runs on the whole directory before a single byte is written
        for info in infos:
            name = info.filename.replace("\\", "/")
            parts = [p for p in name.split("/") if p not in ("", ".")]
            if name.startswith("/") or ".." in parts or re.match(r"^[A-Za-z]:", name):
                raise ValueError(f"zip entry '{info.filename}' points outside the archive; refused")
            if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO:
                raise ValueError(f"zip entry '{info.filename}' expands {info.file_size / info.compress_size:.0f}-fold "
                                 f"(limit {MAX_ZIP_RATIO}); refused as a possible zip bomb")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNZIPPED_MB * 2**20:
            raise ValueError(f"'{report.source}' would expand to {total / 2**20:,.0f} MB in {len(infos)} entries, "
                             f"over the {MAX_UNZIPPED_MB} MB limit; refused as a possible zip bomb")
        for info in infos:
            name = info.filename.replace("\\", "/")
            parts = [p for p in name.split("/") if p not in ("", ".")]
            if parts and parts[-1].startswith("__MACOSX") or "__MACOSX" in parts:
                continue
            target = dest.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as fsrc, open(target, "wb") as fdst:
                fdst.write(fsrc.read())
            out.append(target)
    report.details["zip_entries"] = [str(p.relative_to(dest)) for p in out]
    return out


def _unpack_7z(data: bytes, dest: Path) -> list[Path]:
    import py7zr

    with py7zr.SevenZipFile(io.BytesIO(data), mode="r") as z:
        names = z.getnames()
        for n in names:
            parts = n.replace("\\", "/").split("/")
            if n.startswith("/") or ".." in parts:
                raise ValueError(f"7z entry '{n}' points outside the archive; refused")
        total = sum(i.uncompressed for i in z.list() if not i.is_directory)
        if total > 8 * MAX_DOWNLOAD_MB * 2**20:
            raise ValueError("the 7z archive expands to more than allowed; refused")
        z.extractall(path=dest)
    return [p for p in dest.rglob("*") if p.is_file()]
