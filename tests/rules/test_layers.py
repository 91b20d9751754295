"""The floor plan of `shared/`: imports run down the layers, never in a circle (devtools/layers.py)."""

from __future__ import annotations

from pathlib import Path

from devtools import layers


def _tree(root: Path, files: dict[str, str]) -> dict[str, Path]:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return layers.shared_modules(root)


def test_the_code_keeps_its_layers_and_has_no_import_cycles():
    modules = layers.shared_modules()
    assert layers.violations(modules) == []
    assert layers.cycles(modules) == []


def test_an_import_back_up_a_layer_is_reported_with_its_place(tmp_path):
    modules = _tree(
        tmp_path,
        {
            "shared/__init__.py": "",
            "shared/core/settings.py": "from shared.handover import hours\n",
            "shared/handover/hours.py": "from shared.core import settings\n",
        },
    )
    found = layers.violations(modules)
    assert len(found) == 1
    assert "settings.py:1: core imports shared.handover.hours (handover, above)" in found[0]
    assert layers.cycles(modules) == [["shared.core.settings", "shared.handover.hours"]]


def test_a_lazy_import_counts_but_a_command_alias_does_not(tmp_path):
    modules = _tree(
        tmp_path,
        {
            "shared/db/engine.py": "def f():\n    from shared.services import chat\n",
            "shared/db/migrate.py": "if __name__ == '__main__':\n    from shared.cli import main\n",
            "shared/services/chat.py": "",
            "shared/cli.py": "",
        },
    )
    assert [problem.split(": ", 1)[1] for problem in layers.violations(modules)] == [
        "db imports shared.services.chat (services, above)"
    ]


def test_shared_never_imports_the_tools_around_it(tmp_path):
    modules = _tree(tmp_path, {"shared/web/http.py": "import devtools.serve\n", "shared/loose.py": ""})
    assert sorted(problem.split(": ", 1)[1] for problem in layers.violations(modules)) == [
        "imports devtools.serve, outside shared/",
        "not in a layer (devtools/layers.py LAYERS)",
    ]
