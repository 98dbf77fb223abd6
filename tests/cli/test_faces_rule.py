"""The rule of the shape "faces never reach past Bantin" (docs/ARCHITECTURE.md), checked on the CLI's imports:
the commands reach the library through ``bantin.archive`` only (and the one data model, ``bantin.model``); the
archive-less commands (extract, annotate, option parsing) included."""

from __future__ import annotations

import ast
from pathlib import Path

import bantin.cli

CLI = Path(bantin.cli.__file__).parent
ALLOWED = {"bantin", "bantin.archive", "bantin.model"}  # + the CLI's own modules, and serve's bantin.api.app
OWN = ("bantin.cli",)


def _imports(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] if node.module != "bantin" else [f"bantin.{a.name}" for a in node.names]
            out += [(node.lineno, n) for n in names]
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
    return out


def test_the_cli_imports_nothing_of_bantin_but_the_archive_and_the_model():
    past = []
    for path in sorted(CLI.glob("*.py")):
        for line, mod in _imports(path):
            if not (mod == "bantin" or mod.startswith("bantin.")):
                continue
            if mod in ALLOWED or mod == "bantin.__version__" or mod.startswith(OWN):
                continue
            if path.name == "serve.py" and mod == "bantin.api.app":  # the command that starts the other faces
                continue
            past.append(f"{path.name}:{line} imports {mod}")
    assert not past, "faces never reach past Bantin:\n" + "\n".join(past)


def test_the_api_and_the_web_page_import_nothing_of_bantin_but_the_archive_and_the_model():
    import bantin.api
    import bantin.web

    past = []
    for face in (Path(bantin.api.__file__).parent, Path(bantin.web.__file__).parent):
        for path in sorted(face.glob("*.py")):
            for line, mod in _imports(path):
                if not (mod == "bantin" or mod.startswith("bantin.")):
                    continue
                if mod in ALLOWED or mod == "bantin.__version__" or mod.startswith(("bantin.api", "bantin.web")):
                    continue
                past.append(f"{face.name}/{path.name}:{line} imports {mod}")
    assert not past, "faces never reach past Bantin:\n" + "\n".join(past)


def test_the_archive_less_calls_answer_as_the_layers_below():
    from bantin import archive

    assert archive.parse_map('sapo=abstract,body="Nội dung, chi tiết"') == {"sapo": "abstract",
                                                                            "body": "Nội dung, chi tiết"}
    assert archive.parse_languages("vie,en") == ["vi", "en"]
    for bad, words in ((lambda: archive.parse_map("sapo"), "sapo"), (lambda: archive.parse_languages("xx"), "'xx'"),
                       (lambda: archive.check_urls(["ftp://x.vn/a"]), "ftp://x.vn/a"),
                       (lambda: archive.extract(["/no/such/file.txt"]), "/no/such/file.txt")):
        try:
            bad()
        except archive.UsageError as e:
            assert words in str(e)
        else:
            raise AssertionError("no UsageError")
    assert archive.fold_text("Thụy Sĩ") == "thuy si"
    assert archive.marks_to_plain(archive.Bantin.__name__) == "Bantin"
    assert "Thế giới" in archive.topics()
    assert archive.redact("postgresql://u:secret@127.0.0.1/db") == "postgresql://u:***@127.0.0.1/db"
