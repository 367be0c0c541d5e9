"""TensorFlow 2.15's rules for turning a path string into the file it names.

``tf.train.get_checkpoint_state`` and ``tf.train.latest_checkpoint`` build their
paths in Python (``os.path.join``, no normalisation: the strings they return keep
every ``.``, ``..`` and ``//``), but every file access goes through TF's C++
filesystem layer, which first

1. encodes the str as strict UTF-8 (``compat.path_to_bytes``): a str with lone
   surrogates, e.g. from ``os.fsdecode`` of non-UTF-8 bytes, raises
   UnicodeEncodeError before anything is touched;
2. splits off a ``scheme://`` (``tsl::io::ParseURI``: ``[a-zA-Z][0-9a-zA-Z.]*``
   followed by ``://``; no ``+`` or ``-``, unlike RFC 3986);
3. for the local filesystem, cleans the path lexically (``tsl::io::CleanPath``,
   reached through ``FileSystem::TranslateName``) and hands ``c_str()`` to the
   system call. CleanPath walks a C string, so the path ends at its first NUL;
   ``.`` components and repeated or trailing ``/`` disappear, and ``x/..`` is
   removed without looking at ``x`` (which need not exist, or may be a file).

This module does the same for local paths, so that ``compat_learn.checkpoints``
touches exactly the file TF would touch for every spelling.
"""

import re

__all__ = ["SCHEME", "clean", "local", "utf8"]

#: A path that TF hands to a filesystem other than the local one (tsl ParseURI).
SCHEME = re.compile(r"[a-zA-Z][0-9a-zA-Z.]*://")


def utf8(path):
    """``path`` (str) as TF encodes it; raises TF's UnicodeEncodeError on surrogates."""
    return path.encode("utf-8")


def clean(path):
    """``tsl::io::CleanPath`` of ``path`` (bytes): lexical, cut at the first NUL.

    Args:
      path: bytes.

    Returns:
      bytes; ``b"."`` when nothing is left, as TF returns.
    """
    nul = path.find(b"\0")
    if nul >= 0:
        path = path[:nul]
    absolute = path[:1] == b"/"
    parts = []
    fixed = 0  # leading ".." of a relative path: never removed by a later ".."
    for part in path.split(b"/"):
        if part == b"" or part == b".":
            continue
        if part == b"..":
            if len(parts) > fixed:
                parts.pop()
            elif not absolute:
                parts.append(part)
                fixed += 1
            continue  # "/.." is "/"
        parts.append(part)
    cleaned = b"/".join(parts)
    if absolute:
        return b"/" + cleaned
    return cleaned or b"."


def local(path):
    """The bytes TF's local filesystem passes to the system call for ``path`` (str).

    ``FileSystem::TranslateName``: the empty path stays empty (and is not found),
    anything else is cleaned.

    Raises:
      UnicodeEncodeError: as TF, for a str that is not valid Unicode (surrogates).
    """
    data = utf8(path)
    return clean(data) if data else data
