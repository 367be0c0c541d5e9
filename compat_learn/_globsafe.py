"""Checkpoint paths that TensorFlow 2.15 can restore although the model_dir has `[`.

TensorFlow finds checkpoint files through glob matching (`get_matching_files`), which
reads `[`, `]`, `*`, `?` and `\\` in a path as pattern characters (TF issue #35489).
For a model_dir such as ``runs/lr[0.1]``, `Estimator.evaluate(checkpoint_path=...)`
then raises "The passed save_path is not a valid checkpoint".

`alias_checkpoint` gives TensorFlow a path without pattern characters that points at
the same files: a private temporary directory of symbolic links, one per file of the
checkpoint, removed when the process exits (or, while the checkpoint is pinned by
`compat_learn._pinning`, its pinned copy). Nothing is written to the model_dir.
"""

import atexit
import os
import re
import shutil
import tempfile
import threading

__all__ = ["GLOB_CHARS", "alias_checkpoint", "checkpoint_to_restore", "has_glob_chars"]

GLOB_CHARS = "[]*?\\"
_GLOB_RE = re.compile(r"[\[\]*?\\]")
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")

_lock = threading.Lock()
_root = None
_count = 0


def has_glob_chars(path):
    """True if TensorFlow would read `path` (str, bytes or None) as a glob pattern."""
    if not path:
        return False
    return bool(_GLOB_RE.search(os.fsdecode(path)))


def _alias_root():
    global _root
    if _root is None:
        _root = tempfile.mkdtemp(prefix="compat_learn_ckpt_alias_")
        atexit.register(shutil.rmtree, _root, True)
    return _root


def alias_checkpoint(checkpoint_path):
    """Returns a pattern-free path that TensorFlow can restore `checkpoint_path` from.

    Args:
      checkpoint_path: a checkpoint prefix such as ``/runs/lr[0.1]/model.ckpt-20``.

    Returns:
      `checkpoint_path` itself if it has no pattern character, else a path in a
      private temporary directory whose files link to the checkpoint's files.

    Raises:
      ValueError: for a remote path (gs://, s3://, ...) with a pattern character,
        which cannot be aliased; the message names the character and the fix.
    """
    checkpoint_path = os.fsdecode(checkpoint_path)
    found = _GLOB_RE.search(checkpoint_path)
    if not found:
        return checkpoint_path
    from compat_learn import _pinning

    pinned = _pinning.pinned_prefix(checkpoint_path)
    if pinned is not None:
        return pinned  # pins are made only where no pattern character is
    if _SCHEME_RE.match(checkpoint_path):
        raise ValueError(
            "TensorFlow 2.15 cannot restore checkpoint %r: its path contains %r, which "
            "TensorFlow reads as a glob pattern character (TF issue #35489). Rename the "
            "model directory without any of %s." % (checkpoint_path, found.group(0), GLOB_CHARS))
    directory, prefix = os.path.split(checkpoint_path)
    global _count
    with _lock:
        _count += 1
        alias_dir = os.path.join(_alias_root(), str(_count))
    os.mkdir(alias_dir)
    alias_prefix = "model.ckpt" if _GLOB_RE.search(prefix) else prefix
    for entry in os.listdir(directory or "."):
        # The checkpoint's own files: <prefix>.index, <prefix>.data-*, <prefix>.meta
        # (and a V1 file named exactly <prefix>).
        if entry == prefix or entry.startswith(prefix + "."):
            os.symlink(os.path.join(os.path.abspath(directory), entry),
                       os.path.join(alias_dir, alias_prefix + entry[len(prefix):]))
    return os.path.join(alias_dir, alias_prefix)


def checkpoint_to_restore(model_dir, checkpoint_path, purpose="evaluate"):
    """The `checkpoint_path` to hand a core Estimator's evaluate() or export for `model_dir`.

    Unchanged (None included, so TF picks the latest itself, as r1.15 did) unless the
    directory or the path has a pattern character. Then TF 2.15 would fail to restore
    an explicit path, and with None would silently evaluate freshly initialised
    variables or fail to find the trained model; so compat_learn resolves the latest
    checkpoint itself and returns an alias path TF can restore.

    Args:
      model_dir: the estimator's model directory.
      checkpoint_path: the checkpoint asked for, or None for the latest.
      purpose: "evaluate" or "export", for the message when there is no checkpoint.

    Raises:
      ValueError: in such a directory, when there is no checkpoint (for "export",
        with TensorFlow's own "Couldn't find trained model" message).
    """
    if checkpoint_path is None:
        # A model_dir moved from another machine (see _moveddir); None otherwise.
        from compat_learn import _moveddir

        checkpoint_path = _moveddir.moved_checkpoint(model_dir)
    if not has_glob_chars(checkpoint_path or model_dir):
        return checkpoint_path
    if checkpoint_path is None:
        from compat_learn import checkpoints

        checkpoint_path = checkpoints.latest_checkpoint(model_dir)
        if checkpoint_path is None:
            if purpose == "export":
                raise ValueError("Couldn't find trained model at %s." % (os.fsdecode(model_dir),))
            raise ValueError(
                "No checkpoint to evaluate in `model_dir` %r: train the model first "
                "(TensorFlow would silently evaluate freshly initialised variables "
                "here)." % (os.fsdecode(model_dir),))
    return alias_checkpoint(checkpoint_path)
