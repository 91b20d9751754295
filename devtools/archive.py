"""Build the functions' deploy archive: `python -m devtools.archive [OUT.zip]`.

The archive holds exactly what Cloud Functions needs at its root: main.py, requirements.txt,
functions/ and shared/. Entries have fixed timestamps, so the same code gives the same bytes
(and the same hash, which names the uploaded object).
"""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

from shared.settings import PROJECT_ROOT

ROOT_FILES = ("main.py", "requirements.txt")
PACKAGES = ("functions", "shared")
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def archive_files(root: Path = PROJECT_ROOT) -> list[str]:
    """The archive's file list, relative to the project root, sorted."""
    files = [name for name in ROOT_FILES]
    for package in PACKAGES:
        for path in (root / package).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix in {".py", ".mako", ".json"}:
                files.append(path.relative_to(root).as_posix())
    return sorted(files)


def build_archive(out: Path, root: Path = PROJECT_ROOT) -> Path:
    """Write the deploy archive to `out` and return its path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in archive_files(root):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, (root / name).read_bytes())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=PROJECT_ROOT / "build" / "function-source.zip")
    out = build_archive(parser.parse_args().out)
    print(out)


if __name__ == "__main__":
    main()
