from setuptools import find_packages, setup

setup(
    name="minicreds",
    version="1.0.0",
    url="https://github.com/example/minicreds",
    packages=find_packages(),
)
