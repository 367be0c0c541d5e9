"""Model directories moved from another machine (beyond r1.15 and TF 2.15).

TF 1.x wrote absolute paths into a model directory's ``checkpoint`` state file
(``Saver(save_relative_paths=False)``, the default until TF 2). Copied to another
machine, the directory holds the checkpoint files while its state file names paths
that do not exist there: TF 2.15 then logs "Couldn't match files for checkpoint"
and evaluates freshly initialised variables, or fails to restore when training.

`latest_checkpoint` finds the checkpoint of the same name in the directory itself
and says so in one log line; `restore_moved_paths` makes TensorFlow's own restore
at session creation (training) read those files too. Nothing is written to the
model directory, and `compat_learn.checkpoints.read_checkpoint_state` /
`latest_checkpoint` keep TF's exact answers: this module is a separate resolver
that the estimators, Experiment and the export strategies consult.
"""

import logging
import os
import threading

from compat_learn import _restore_paths

__all__ = ["latest_checkpoint", "moved_checkpoint", "moved_checkpoints", "restore_moved_paths"]

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_reported = set()  # (model_dir, recorded prefix) pairs already logged
_translations = {}  # recorded (missing) prefix -> prefix in the model directory
_installed = False


def _relocated(model_dir, prefix, fs):
    """The prefix of the same name in `model_dir` if `prefix` is missing, else None."""
    from compat_learn import checkpoints

    if not prefix or checkpoints._checkpoint_exists(fs, prefix):
        return None
    candidate = os.path.join(model_dir, os.path.basename(prefix.rstrip("/")))
    if candidate == prefix or not checkpoints._checkpoint_exists(fs, candidate):
        return None
    return candidate


def _state(model_dir):
    """``(state, filesystem)`` of `model_dir`'s state file; ``(None, None)`` without one."""
    from compat_learn import checkpoints

    model_dir = checkpoints._as_str_path(model_dir, "model_dir")
    try:
        state = checkpoints.read_checkpoint_state(model_dir)
    except ValueError:
        return None, None  # TF's own readers raise the same error where they read it
    return state, checkpoints._filesystem(model_dir)


def moved_checkpoint(model_dir):
    """The latest checkpoint of a moved `model_dir`, else None.

    Args:
      model_dir: the model directory (str, bytes or os.PathLike).

    Returns:
      ``<model_dir>/<basename>`` when the state file's ``model_checkpoint_path``
      does not exist but that file does (logged once per directory and path); None
      when the recorded checkpoint exists, or neither does, or there is no state.
    """
    state, fs = _state(model_dir)
    if state is None:
        return None
    model_dir = os.fsdecode(os.fspath(model_dir))
    found = _relocated(model_dir, state.model_checkpoint_path, fs)
    if found is not None:
        key = (model_dir, state.model_checkpoint_path)
        with _lock:
            first = key not in _reported
            _reported.add(key)
        if first:
            logger.warning(
                "The checkpoint state file of %s names %s, which does not exist (the "
                "directory was moved?); using %s, the checkpoint of that name in the "
                "directory.", model_dir, state.model_checkpoint_path, found)
    return found


def moved_checkpoints(model_dir, after=None):
    """Every kept checkpoint of a moved `model_dir`, oldest first, as in the directory.

    Args:
      model_dir: the model directory.
      after: a checkpoint already handled: only those listed after it are returned.

    Returns:
      The existing checkpoints of that name in `model_dir` for the state file's
      ``all_model_checkpoint_paths`` and latest; [] unless the directory was moved
      (see `moved_checkpoint`).
    """
    if moved_checkpoint(model_dir) is None:
        return []
    state, fs = _state(model_dir)
    model_dir = os.fsdecode(os.fspath(model_dir))
    found = []
    for path in state.all_model_checkpoint_paths + [state.model_checkpoint_path]:
        relocated = _relocated(model_dir, path, fs)
        if relocated is not None and relocated not in found:
            found.append(relocated)
    if after in found:
        found = found[found.index(after) + 1:]
    return found


def latest_checkpoint(model_dir):
    """Like ``tf.train.latest_checkpoint``, also for a moved `model_dir`.

    Returns:
      The recorded latest checkpoint if its files exist, else the one of the same
      name in `model_dir` (see `moved_checkpoint`), else None (with TF's "Couldn't
      match files" error log, as ``tf.train.latest_checkpoint``).
    """
    from compat_learn import checkpoints

    return moved_checkpoint(model_dir) or checkpoints.latest_checkpoint(model_dir)


def _install():
    """Makes TF's training restore read a registered moved path's files.

    Training restores through ``SessionManager._restore_checkpoint`` (TF 2.15.1
    session_manager.py), which reads the state file itself and calls
    ``saver.restore(sess, <recorded path>)`` and then
    ``saver.recover_last_checkpoints(<recorded paths>)``; `_translate` swaps a
    registered recorded path that does not exist for its file in the model directory
    (through `compat_learn._restore_paths`, shared with the evaluator's pins).
    """
    global _installed
    with _lock:
        if _installed:
            return
        _installed = True
    _restore_paths.register(_restore_paths.MOVED, _translate, on_recover=True)
    logging.getLogger("tensorflow").addFilter(_DropMismatchOfMoved())


class _DropMismatchOfMoved(logging.Filter):
    """Drops TF's "Couldn't match files" error for a registered moved checkpoint.

    TF's own ``latest_checkpoint`` (e.g. the global step lookup of
    ``Estimator.train(max_steps=...)``) still answers None for it; the restore reads
    the moved files, and `moved_checkpoint` has said so in its one log line.
    """

    def filter(self, record):
        if not str(record.msg).startswith("Couldn't match files for checkpoint"):
            return True
        args = record.args if isinstance(record.args, tuple) else ()
        try:
            path = os.fsdecode(args[0]) if args else None
        except TypeError:
            return True
        with _lock:
            return path not in _translations


def _translate(path):
    if not path:
        return None
    try:
        key = os.fsdecode(path)
    except TypeError:
        return None
    with _lock:
        moved = _translations.get(key)
    if moved is None or os.path.exists(key + ".index") or os.path.isfile(key):
        return None
    return moved


def restore_moved_paths(model_dir):
    """Lets TensorFlow's training restore of a moved `model_dir` find its files.

    Call before a core Estimator trains on `model_dir`. A no-op unless the
    directory was moved (see `moved_checkpoint`).

    Returns:
      The checkpoint that will be restored from the directory, or None.
    """
    found = moved_checkpoint(model_dir)
    if found is None:
        return None
    state, fs = _state(model_dir)
    model_dir = os.fsdecode(os.fspath(model_dir))
    pairs = {state.model_checkpoint_path: found}
    for path in state.all_model_checkpoint_paths:
        relocated = _relocated(model_dir, path, fs)
        if relocated is not None:
            pairs[path] = relocated
    with _lock:
        _translations.update(pairs)
    _install()
    return found
