"""Package layout that pyproject.toml cannot express: resources/ ships as dnt_desktop/resources."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["dnt_desktop", "dnt_desktop.*"]), "dnt_desktop.resources"],
    package_dir={"dnt_desktop.resources": "resources"},
    package_data={
        "dnt_desktop.resources": ["**/*"],
        "dnt_desktop.storage.migrations": ["script.py.mako", "versions/*.py"],
    },
    include_package_data=False,
)
