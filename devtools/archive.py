"""Build the functions' deploy archive: `python -m devtools.archive [OUT.zip]` (Terraform uploads it).

The archive holds exactly what Cloud Functions needs at its root: main.py, requirements.txt,
knowledge_base.json, functions/ and shared/, the console's allow-listed files under frontend/ (operator_api serves
them), and under models/ the English MiniLM's files, copied from the installed weights package
(the package itself cannot be a deployed requirement: it declares torch). Entries have fixed
timestamps, so the same code gives the same bytes (and the same hash, which names the uploaded
object).
"""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

from shared.core.settings import PROJECT_ROOT
from shared.embeddings import local
from shared.web import console_site

# knowledge_base.json: prepare_deployment imports it from the archive, with the archive's encoders;
# actions.json: the actions the functions may call (ACTIONS_PATH).
ROOT_FILES = ("main.py", "requirements.txt", "knowledge_base.json", "actions.json")
PACKAGES = ("functions", "shared")
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)
DEFAULT_OUT = PROJECT_ROOT / "build" / "function-source.zip"  # where infra/functions.tf looks for it


def archive_files(root: Path = PROJECT_ROOT) -> list[str]:
    """The archive's file list, relative to the project root, sorted."""
    files = [name for name in ROOT_FILES]
    for package in PACKAGES:
        for path in (root / package).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix in {".py", ".mako", ".json"}:
                files.append(path.relative_to(root).as_posix())
    files += [f"frontend/{name}" for name in console_site.files(root / "frontend")]
    return sorted(files)


def model_files() -> dict[str, Path]:
    """The MiniLM files the archive carries, by name in the archive; none when it is not installed."""
    folder = local.model_dir()
    if folder is None:
        return {}
    bundled = local.BUNDLED.relative_to(PROJECT_ROOT).as_posix()
    return {f"{bundled}/{name}": folder / name for name in local.MODEL_FILES}


def build_archive(out: Path, root: Path = PROJECT_ROOT) -> Path:
    """Write the deploy archive to `out` and return its path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    sources = {name: root / name for name in archive_files(root)} | model_files()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, source in sorted(sources.items()):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, source.read_bytes())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT)
    out = build_archive(parser.parse_args().out)
    if not model_files():
        print(f"{local.PACKAGE} is not installed: the functions will retrieve with the multilingual encoder alone.")
    print(out)


if __name__ == "__main__":
    main()
