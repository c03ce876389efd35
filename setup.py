"""Build hook: the top-level ``scenarios/`` folder ships inside the package as ``budget/scenarios/``.

The project is configured in ``pyproject.toml``; this file only adds the copy. The repository
keeps one copy of the scenarios, at its top level; ``MANIFEST.in`` puts it in the sdist, and
``build_py`` copies it into every built wheel (``pip install .``, ``pip wheel``, ``python -m build``).
An editable install (``pip install -e .``) copies nothing: ``budget.bundled`` reads the
top-level folder of the source checkout.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SOURCE = Path(__file__).resolve().parent / "scenarios"
TARGET = ("budget", "scenarios")  # inside the built package


def _bundled() -> list[Path]:
    """Every file under ``scenarios/`` (hidden files and caches aside), relative to it."""
    return sorted(
        p.relative_to(SOURCE)
        for p in SOURCE.rglob("*")
        if p.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in p.parts)
    )


class BuildWithScenarios(build_py):
    """``build_py`` that also copies ``scenarios/`` into ``<build_lib>/budget/scenarios/``."""

    def run(self) -> None:
        """Build the package as usual, then copy the scenarios in (not for an editable install)."""
        super().run()
        if self.editable_mode:
            return  # the source tree is used in place
        if not SOURCE.is_dir():
            raise SystemExit(f"error: {SOURCE} is missing: the bundled scenarios cannot be packaged")
        for rel in _bundled():
            target = Path(self.build_lib, *TARGET, rel)
            self.mkpath(str(target.parent))
            self.copy_file(str(SOURCE / rel), str(target))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        """The built files, the copied scenarios included."""
        outputs = list(super().get_outputs(include_bytecode))
        if SOURCE.is_dir() and not self.editable_mode:
            outputs += [str(Path(self.build_lib, *TARGET, rel)) for rel in _bundled()]
        return outputs


setup(cmdclass={"build_py": BuildWithScenarios})
