"""Build hook: the wheel carries the report notebooks as ``b2bkit/notebooks/*.ipynb``.

The notebooks live in the project's ``notebooks/`` (the place users see and
edit); ``b2bkit report`` finds the copies in an installed wheel with
importlib.resources. An editable install reads ``notebooks/`` in the checkout.
Everything else about the package is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"


class BuildWithNotebooks(build_py):
    """``build_py``, then the notebooks copied into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "b2bkit" / "notebooks"
        target.mkdir(parents=True, exist_ok=True)
        for notebook in sorted(NOTEBOOKS.glob("*.ipynb")):
            shutil.copyfile(notebook, target / notebook.name)


setup(cmdclass={"build_py": BuildWithNotebooks})
