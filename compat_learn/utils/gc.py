"""Garbage collection of path-based exports (replaces ``tf.contrib.learn.utils.gc``).

A filter takes a list of `Path`s and returns a sorted list of the ones it selects;
`negation` turns a keep-filter into a delete-filter. `saved_model_export_utils`
uses ``negation(largest_export_versions(n))`` to delete all but the newest ``n``
timestamped exports.

Native TF2 replacement: ``tf.estimator.LatestExporter(exports_to_keep=...)`` or your
own file management. Unlike r1.15 these functions do not warn: they are helpers of
the export strategies, which do.
"""

import collections
import heapq
import math
import os

__all__ = [
    "Path",
    "get_paths",
    "largest_export_versions",
    "mod_export_version",
    "negation",
    "one_of_every_n_export_versions",
    "union",
]

#: One item under a base directory; `export_version` is None until a parser sets it.
Path = collections.namedtuple("Path", "path export_version")


def largest_export_versions(n):
    """A filter that keeps the `n` paths with the largest export versions.

    Paths whose export_version is None are never kept.
    """
    def keep(paths):
        heap = [(p.export_version, idx) for idx, p in enumerate(paths)
                if p.export_version is not None]
        return sorted(paths[i] for _, i in heapq.nlargest(n, heap))
    return keep


def one_of_every_n_export_versions(n):
    """A filter that keeps the largest path of each interval [0, n], (n, 2n], ...."""
    def keep(paths):
        keeper_map = {}
        for p in paths:
            if p.export_version is None:
                continue
            # r1.15: export_version 0 belongs to the first interval.
            interval = math.floor((p.export_version - 1) / n) if p.export_version else 0
            existing = keeper_map.get(interval)
            if not existing or existing.export_version < p.export_version:
                keeper_map[interval] = p
        return sorted(keeper_map.values())
    return keep


def mod_export_version(n):
    """A filter that keeps the paths whose export_version is a multiple of `n`."""
    def keep(paths):
        return sorted(p for p in paths if p.export_version % n == 0)
    return keep


def union(lf, rf):
    """A filter that keeps what either filter keeps."""
    def keep(paths):
        return sorted(set(lf(paths)) | set(rf(paths)))
    return keep


def negation(f):
    """A filter that keeps what `f` does not keep."""
    def keep(paths):
        return sorted(set(paths) - set(f(paths)))
    return keep


def get_paths(base_dir, parser):
    """Lists `base_dir` as `Path`s, through `parser`.

    Args:
      base_dir: the directory (str or bytes; local or any ``tf.io.gfile`` scheme).
      parser: ``Path -> Path or None``; sets export_version, or drops the entry.

    Returns:
      The sorted list of parsed `Path`s, with str paths.
    """
    from compat_learn import _tf

    base_dir = os.fsdecode(base_dir)
    paths = []
    for name in _tf.gfile.listdir(base_dir):
        # gfile.listdir marks sub-directories of remote file systems with a slash.
        p = parser(Path(os.path.join(base_dir, os.fsdecode(name).rstrip("/")), None))
        if p:
            paths.append(p)
    return sorted(paths)
