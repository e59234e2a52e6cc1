"""Re-make the pages in this folder from a fresh demo database (README.md says what each shows).

    .venv/bin/python docs/screenshots/print/render.py

Needs pdftoppm (poppler-utils) and, for the workbook pages, LibreOffice (soffice). A page is
found by the text it starts with, so that a change of pagination does not change what is shown.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]

# file: (report id in the demo, which file, the text the page holds, which of its matches)
PAGES = {
    "seed000-trang1": (1, "pdf", None, 0),  # None: any page, ``which`` picks it (0 the first, -1 the last)
    "seed000-bang-tong-hop-ghi-chu": (1, "pdf", "thực hiện chuyển đổi vào năm 2021", -1),
    "seed000-phu-luc-V": (1, "pdf", "Phụ lục V\n", 0),
    "seed000-phu-luc-VI": (1, "pdf", "Phụ lục VI\n", 0),
    "seed001-trang1": (3, "pdf", None, 0),
    "seed001-phu-luc-3": (3, "pdf", "Phụ lục 3\n", 0),
    "seed002-trang1": (4, "pdf", None, 0),
    "seed003-trang1": (2, "pdf", None, 0),
    "seed003-trang-ky": (2, "pdf", "Nơi nhận", 0),
    "seed003-bieu-mau-4B": (2, "pdf", "Biểu mẫu 4B\n", 0),
    "seed003-bieu-mau-5B": (2, "pdf", "Biểu mẫu 5B\n", 0),
    "seed003-bieu-mau-7B": (2, "pdf", "Biểu mẫu 7B\n", 0),
    "seed003-bieu-mau-14": (2, "pdf", "Biểu mẫu 14\n", 0),
    "excel-seed003-bieu-mau-5B": (2, "xlsx", "Biểu mẫu 5B", 0),
    "seed004-trang1": (16, "pdf", None, 0),
    "seed004-trang-ky": (16, "pdf", "Nơi nhận", 0),
    "bieu-06-son-trung": (12, "pdf", None, -1),
    "excel-bieu-06-son-trung": (12, "xlsx", None, -1),
}


def _page(pdf: Path, text: str | None, which: int) -> int:
    every = PdfReader(pdf).pages
    found = [number for number, page in enumerate(every, 1) if text is None or text in page.extract_text() + "\n"]
    if not found:
        raise SystemExit(f"{pdf.name}: no page holds {text!r}")
    return found[which]


def main() -> int:
    python = sys.executable
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        db = work / "demo.db"
        subprocess.run([python, "-m", "desktop", "--db", str(db), "demo"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        made: dict[tuple[int, str], Path] = {}
        for name, (report, kind, text, which) in PAGES.items():
            if (report, kind) not in made:
                out = work / f"r{report}.{kind}"
                subprocess.run([python, "-m", "desktop", "--db", str(db), "export", "--report", str(report),
                                f"--{kind}", str(out)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
                if kind == "xlsx":
                    subprocess.run(["soffice", "--headless", "--norestore",
                                    f"-env:UserInstallation=file://{work}/lo", "--convert-to", "pdf",
                                    "--outdir", str(work / "lo-pdf"), str(out)], check=True, stdout=subprocess.DEVNULL)
                    out = work / "lo-pdf" / f"r{report}.pdf"
                made[(report, kind)] = out
            pdf = made[(report, kind)]
            page = _page(pdf, text, which)
            subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", "60", "-png", "-singlefile",
                            str(pdf), str(HERE / name)], check=True)
            print(f"{name}.png: report {report}, {kind}, page {page}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
