"""Legacy Word (.doc) and WPS (.wps) → .docx by LibreOffice headless, then the .docx extractor.

The converter runs in a fresh temporary directory (its own user profile too, so parallel runs do not
fight over one) and is killed after `TIMEOUT_S`. `XXGK_SOFFICE` names the binary (default: `soffice`
on PATH). Without it, the document is a recorded problem naming the missing tool.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ingest.errors import XxgkError
from ingest.extract import docx
from ingest.grid import Document

TIMEOUT_S = 120


def soffice_binary() -> str | None:
    name = os.environ.get("XXGK_SOFFICE", "soffice")
    if os.sep in name:
        return name if os.access(name, os.X_OK) else None
    return shutil.which(name) or shutil.which("libreoffice")


def extract(data: bytes, source: str) -> Document:
    fmt = "wps" if source.lower().endswith(".wps") else "doc"
    binary = soffice_binary()
    if binary is None:
        doc = Document(source=source, format=fmt, sha256=hashlib.sha256(data).hexdigest())
        doc.problems.append(
            (
                "error",
                "converter_missing",
                f"{source}: a .{fmt} file needs LibreOffice to be read, and "
                f"{os.environ.get('XXGK_SOFFICE', 'soffice')} was not found "
                "(apt-get install libreoffice-writer-nogui, or set XXGK_SOFFICE)",
            )
        )
        return doc
    try:
        converted = convert_to_docx(data, fmt, binary)
    except ConversionFailed as e:
        doc = Document(source=source, format=fmt, sha256=hashlib.sha256(data).hexdigest())
        doc.problems.append(("error", "conversion_failed", f"{source}: {e}"))
        return doc
    doc = docx.extract(converted, source)
    doc.format = fmt
    doc.sha256 = hashlib.sha256(data).hexdigest()
    return doc


class ConversionFailed(XxgkError):
    pass


def convert_to_docx(data: bytes, fmt: str, binary: str, timeout: float | None = None) -> bytes:
    timeout = TIMEOUT_S if timeout is None else timeout
    with tempfile.TemporaryDirectory(prefix="xxgk-soffice-") as tmp:
        src = Path(tmp) / f"in.{fmt}"
        src.write_bytes(data)
        cmd = [
            binary,
            f"-env:UserInstallation=file://{tmp}/profile",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
            tmp,
            str(src),
        ]
        try:
            # its own session, so a timeout ends soffice.bin too and not only the wrapper script
            proc = subprocess.Popen(
                cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp, start_new_session=True
            )
        except OSError as e:
            raise ConversionFailed(f"cannot run LibreOffice ({binary}): {e}") from None
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise ConversionFailed(f"LibreOffice did not finish converting within {timeout:.0f} s") from None
        out = Path(tmp) / "in.docx"
        if not out.exists():
            detail = (stderr or stdout).decode("utf-8", "replace").strip()[-300:]
            raise ConversionFailed(
                f"LibreOffice could not convert the file (exit {proc.returncode}): {detail or 'no output'}"
            )
        return out.read_bytes()
