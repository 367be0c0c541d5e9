"""Build script for compat_learn.

The checkpoint-state scanner has a compiled kernel (csrc/_ckptstate_c.pyx) and a
pure-Python twin (compat_learn/_ckptstate_py.py).  The build honours two switches:

* ``COMPAT_LEARN_NO_EXTENSIONS=1``: build nothing; the pure-Python twin is used.
* ``COMPAT_LEARN_REQUIRE_EXTENSIONS=1``: a failed compile is an error instead of a
  warning followed by a pure-Python install.
"""
import os
import sys

from setuptools import Extension, find_packages, setup
from setuptools.command.build_ext import build_ext


def _flag(name):
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


NO_EXTENSIONS = _flag("COMPAT_LEARN_NO_EXTENSIONS")
REQUIRE_EXTENSIONS = _flag("COMPAT_LEARN_REQUIRE_EXTENSIONS")

# A sanitizer build (`tox -e sanitize` puts -fsanitize=... in CFLAGS) gets a build
# directory of its own: setuptools skips the compile when build/ already holds a newer
# .so, so a shared one would hand the instrumented scanner to ordinary builds, or an
# uninstrumented one to the sanitizer build.
BUILD_OPTIONS = {"build": {"build_base": "build/sanitize"}} if "-fsanitize" in os.environ.get("CFLAGS", "") else {}

if NO_EXTENSIONS and REQUIRE_EXTENSIONS:
    sys.exit(
        "COMPAT_LEARN_NO_EXTENSIONS and COMPAT_LEARN_REQUIRE_EXTENSIONS are both set; "
        "unset one of them."
    )


class _OptionalBuildExt(build_ext):
    """Falls back to the pure-Python twin when the C compiler fails, unless required."""

    def run(self):
        try:
            super().run()
        except Exception as exc:  # any compiler or setup failure
            self._fallback(exc)

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as exc:
            self._fallback(exc)

    def _fallback(self, exc):
        if REQUIRE_EXTENSIONS:
            raise
        sys.stderr.write(
            "WARNING: compat_learn's compiled checkpoint scanner could not be built "
            f"({exc}); installing the pure-Python scanner instead. "
            "Install a C compiler and the Python headers to get the fast one.\n"
        )


def _extensions():
    if NO_EXTENSIONS:
        return []
    from Cython.Build import cythonize

    ext = Extension(
        "compat_learn._ckptstate_c",
        sources=["csrc/_ckptstate_c.pyx"],
    )
    return cythonize(
        [ext],
        language_level=3,
        compiler_directives={"boundscheck": False, "wraparound": False, "cdivision": True},
    )


with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.md"), encoding="utf-8") as f:
    _long_description = f.read()

# tf-slim serves tf.contrib.slim, and most of tf.contrib.layers and tf.contrib.framework
# (compat_learn.slim makes its 1.1 release run on TF 2.15).
TF_REQUIREMENTS = ["tensorflow-cpu>=2.15,<2.16", "tensorflow-estimator>=2.15,<2.16",
                   "tf-slim>=1.1,<1.2"]

setup(
    name="compat_learn",
    version="0.1.0",
    description="tf.contrib.learn (Experiment, learn_runner, RunConfig) for TensorFlow 2.15's tf.estimator",
    long_description=_long_description,
    long_description_content_type="text/markdown",
    python_requires=">=3.9,<3.12",
    packages=find_packages(include=["compat_learn", "compat_learn.*"]),
    # The CSVs r1.15 shipped with contrib.learn.datasets (load_iris, load_boston,
    # load_dbpedia(test_with_fake_data=True)).
    package_data={"compat_learn.datasets": ["data/*.csv"]},
    ext_modules=_extensions(),
    cmdclass={"build_ext": _OptionalBuildExt},
    options=BUILD_OPTIONS,
    install_requires=[],
    extras_require={
        "tf": TF_REQUIREMENTS,
        # Kept for old install commands: tf-slim is part of "tf" now.
        "slim": ["tf-slim>=1.1,<1.2"],
        # pandas: fit/evaluate/predict on DataFrames and pandas_input_fn are tested
        # (pip picks 2.2.x next to TF 2.15's numpy 1.26; pandas 3 renames the string
        # dtype that r1.15's extract_pandas_* errors print).
        "test": ["pytest>=7", "hypothesis>=6", "pandas>=1.5,<2.3"],
    },
    entry_points={"console_scripts": ["compat-learn=compat_learn.cli:main"]},
    zip_safe=False,
    classifiers=[
        "Programming Language :: Python :: 3.9",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "License :: OSI Approved :: Apache Software License",
    ],
)
