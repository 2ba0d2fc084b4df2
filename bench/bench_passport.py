"""Median time to parse a typical practice passport as .txt, .docx and .pdf (target: well under 1 s).

    python bench/bench_passport.py [--runs 7] [--seed ../shared/seeds/001_18e33e3c7f29c81c.txt]

The passport is the Angarsk seed (22 sections, eight tables, about 48 KB of text) when it is
present, otherwise the demo Angarsk passport; the .docx and .pdf are built from it first (not
timed). Each run parses the bytes from scratch, as an upload would; the reference data
(municipalities) is loaded once before timing, as in the running app.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders.api import parse_bytes  # noqa: E402
from loaders.doc_text import read_text_document  # noqa: E402
from loaders.names import default_matcher  # noqa: E402
from scripts.doc_writer import find_font, to_docx, to_pdf, to_text  # noqa: E402

SEED = ROOT.parent / "shared" / "seeds" / "001_18e33e3c7f29c81c.txt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=Path, default=SEED)
    args = parser.parse_args()
    if args.seed.exists():
        text = args.seed.read_bytes()
        source = args.seed.name
    else:
        from scripts.build_demo_docs import angarsk, passport

        text = to_text(passport(angarsk()))
        source = "демо-паспорт Ангарска (сид не найден)"
    blocks = read_text_document(text, "passport.txt").blocks
    files = {"txt": text, "docx": to_docx(blocks)}
    if find_font() is not None:
        files["pdf"] = to_pdf(blocks)
    default_matcher()  # the reference is loaded once per process, not per upload
    print(f"паспорт: {source}; прогонов: {args.runs}")
    for fmt, data in files.items():
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            doc = parse_bytes(data, f"passport.{fmt}")
            times.append(time.perf_counter() - start)
        rows = doc.row_count()
        print(f"{fmt:>4}: медиана {statistics.median(times) * 1000:7.1f} мс (мин {min(times) * 1000:6.1f}, макс {max(times) * 1000:6.1f}); {len(data) / 1024:6.1f} КБ, строк фактов: {rows}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
