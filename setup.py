"""Packages of the wheel, discovered: the design keeps `ingest/`, `index/`, `service/` and
`ontology/` at the top level, installed as subpackages of `kkr`; every folder under them (and
under `kkr/`) is found here, so a new subpackage or data folder cannot be left out of an install.
The project's metadata is in pyproject.toml."""

from setuptools import find_namespace_packages, setup

ROOTS = {
    "kkr": "kkr",
    "kkr.ingest": "ingest",
    "kkr.index": "index",
    "kkr.service": "service",
    "kkr.ontology": "ontology",
}


def discover() -> list[str]:
    """Every package and data folder under the roots, by its installed name."""
    found = []
    for name, folder in ROOTS.items():
        found.append(name)
        found += [
            f"{name}.{sub}"
            for sub in find_namespace_packages(where=folder, exclude=["*__pycache__*"])
            if sub.split(".")[0] not in ROOTS.values()
        ]
    return found


setup(packages=discover(), package_dir=ROOTS)
