"""`make bench`: the worst uploads we can craft under the limit, and the worker's peak memory.

Each file is posted to the member-import upload page through Django's full request handling,
as a coordinator would, in this one process (the "worker"). Before each file the kernel's
high-water mark of resident memory is reset (``/proc/self/clear_refs``), so the figure printed
is the worker's peak while handling that file; the child process that parses it is reported
beside it. Target (issue 8, 9): the worker's peak stays under 150 MB for every file.
Writes bench/results/upload-sqlite.json.
"""

from __future__ import annotations

import gc
import io
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import setup_django, signed_in_client, write_results  # noqa: E402
from tests.mapping import xlsx_bombs as bombs  # noqa: E402

MB = 1024 * 1024
# openpyxl warns about the missing default style of the hand-made workbooks.
warnings.filterwarnings("ignore", module="openpyxl")
TARGET_MB = 150


def _status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def many_strings(limit: int) -> bytes:
    """A shared-strings table just under its limit, every string used by a cell."""
    length = 190
    count = limit // (length + 20)
    rows = [[0, 1]] + [[2 + i, 2 + i + 1] for i in range(0, min(count, 40_000) - 2, 2)]
    strings = ["member id", "name"] + [f"{i:08}" + "x" * (length - 8) for i in range(count)]
    return bombs.xlsx(bombs.sheet_xml(rows), bombs.shared_strings_xml(strings))


def styles(limit: int) -> bytes:
    """A styles part just under its limit: tens of thousands of fonts and cell formats."""
    fonts = b"".join(b'<font><sz val="11"/><name val="F%d"/></font>' % i for i in range(40_000))
    xfs = b"".join(b'<xf fontId="%d" numFmtId="0"/>' % i for i in range(40_000))
    part = (
        b"<styleSheet " + bombs.MAIN + b'><fonts count="40000">' + fonts + b"</fonts>"
        b'<cellXfs count="40000">' + xfs + b"</cellXfs></styleSheet>"
    )
    assert len(part) < limit, len(part)
    return bombs.xlsx(bombs.sheet_xml([[0], [1]]), bombs.shared_strings_xml(["member id", "1"]),
                      styles=part)  # fmt: skip


def deep_xml(depth: int) -> bytes:
    """A cell nested inside ``depth`` unknown elements, all open at once while parsing."""

    def sheet() -> Iterator[bytes]:
        yield b"<worksheet " + bombs.MAIN + b'><sheetData><row r="1">'
        yield b'<c r="A1" t="s"><v>0</v></c>'
        yield b"<x>" * depth
        yield b"</x>" * depth
        yield b"</row></sheetData></worksheet>"

    return bombs.xlsx(sheet(), bombs.shared_strings_xml(["member id"]))


def many_rows() -> bytes:
    return bombs.xlsx(
        bombs.sheet_xml([[0]] + [[1]] * 1_048_575), bombs.shared_strings_xml(["member id", "1"])
    )


def csv_giant_cells() -> bytes:
    return b"member id;name\n" + b"".join(b"1;" + b"x" * 1999 + b"\n" for _ in range(4_900))


def csv_many_cells() -> bytes:
    return b"member id;name\n" + b"1;2\n" * 2_500_000


def csv_one_quoted_cell() -> bytes:
    return b'member id;name\n1;"' + b"x" * (10 * MB - 30) + b'"\n'


def legit_csv(rows: int) -> bytes:
    out = io.StringIO()
    out.write("Medlemsnummer;Namn;E-post;Födelseår;Kön;Kommunkod;Yrke;Intressen;Mål\n")
    for n in range(1, rows + 1):
        out.write(
            f"RSMH-{n:05};Medlem {n};medlem{n}@example.test;1980;kvinna;2380;kock;"
            "matlagning och mat;arbete\n"
        )
    return out.getvalue().encode("utf-8")


def legit_xlsx(rows: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for line in legit_csv(rows).decode("utf-8").splitlines():
        sheet.append(line.split(";"))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FILES: dict[str, Callable[[], bytes]] = {
    "xlsx: one 1,999-character string in 2 million cells": lambda: bombs.one_string_everywhere(
        rows=20_000, columns=100, length=1999
    ),
    "xlsx: shared strings at their 20 MB limit": lambda: many_strings(20 * MB - 64 * 1024),
    "xlsx: styles with 40,000 fonts and formats": lambda: styles(5 * MB),
    "xlsx: 1,048,576 rows": many_rows,
    "xlsx: XML nested 2 million deep": lambda: deep_xml(2_000_000),
    "csv: 4,900 cells of 1,999 characters": csv_giant_cells,
    "csv: 5 million small cells": csv_many_cells,
    "csv: one quoted 10 MB cell": csv_one_quoted_cell,
    "csv: 20,000 ordinary members": lambda: legit_csv(20_000),
    "xlsx: 20,000 ordinary members": lambda: legit_xlsx(20_000),
}


def make_files(folder: Path) -> None:
    """Written by a separate process, so that making them does not count for the worker."""
    for number, make in enumerate(FILES.values()):
        (folder / f"{number}.bin").write_bytes(make())


def run() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, __file__, "--make", tmp], check=True, cwd=ROOT
        )
        setup_django(f"sqlite:///{tmp}/upload.sqlite3")
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.urls import reverse

        from samvirke.accounts.models import Membership, Role, User
        from samvirke.imports import sandbox
        from samvirke.imports.limits import MAX_FILE_BYTES
        from samvirke.programmes.models import Programme, Subproject

        programme = Programme.objects.create(
            slug="bench", name_nb="Bench", starts_on="2024-01-01", ends_on="2030-12-31"
        )
        subproject = Subproject.objects.create(programme=programme, name="RSMH")
        user = User.objects.create_user(email="bench@example.test", password="bench-password-1")
        Membership.objects.create(user=user, programme=programme, role=Role.COORDINATOR)
        client = signed_in_client(user.email)
        url = reverse("mapping:import", args=[programme.slug])
        assert client.get(url).status_code == 200
        baseline = _status("VmRSS")
        print(f"worker resident before the uploads: {baseline:.0f} MB (target: peak < {TARGET_MB})")
        results: dict[str, object] = {"baseline_mb": round(baseline)}
        worst = 0.0
        for number, name in enumerate(FILES):
            content = (Path(tmp) / f"{number}.bin").read_bytes()
            assert len(content) <= MAX_FILE_BYTES, (name, len(content))
            suffix = "xlsx" if content.startswith(b"PK") else "csv"
            upload = SimpleUploadedFile(f"bomb.{suffix}", content)
            payload = {"subproject": str(subproject.pk), "country": "SE", "file": upload}
            sandbox.last_child_peak_kb = 0
            gc.collect()
            reset_peak()
            started = time.perf_counter()
            response = client.post(url, payload)
            elapsed = time.perf_counter() - started
            peak = _status("VmHWM")
            child = sandbox.last_child_peak_kb / 1024
            outcome = "accepted" if response.status_code == 302 else "refused"
            del response, upload, payload, content
            worst = max(worst, peak)
            print(
                f"{name:<54} {outcome:<8} worker peak {peak:4.0f} MB   child {child:4.0f} MB   "
                f"{elapsed:5.1f} s"
            )
            results[name] = {"worker_peak_mb": round(peak), "child_peak_mb": round(child),
                             "seconds": round(elapsed, 1), "outcome": outcome}  # fmt: skip
        verdict = "OK" if worst < TARGET_MB else "OVER TARGET"
        print(f"worst worker peak {worst:.0f} MB: {verdict}")
        results["worst_worker_peak_mb"] = round(worst)
        write_results("upload", "SQLite", results)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--make"]:
        make_files(Path(sys.argv[2]))
    else:
        run()
