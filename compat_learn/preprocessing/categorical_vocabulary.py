"""`tf.contrib.learn.preprocessing.CategoricalVocabulary`: categories to integer ids.

Replaces ``tensorflow.contrib.learn.python.learn.preprocessing.categorical_vocabulary``
(r1.15), with its ids, trimming order and pickled attributes (so TF 1.x pickles of it
restore). Native TF2 replacement: ``tf.keras.layers.StringLookup`` or
``tf.lookup.StaticVocabularyTable``.
"""

import collections

from compat_learn import _deprecation

__all__ = ["CategoricalVocabulary"]

_REPLACEMENT = "tf.keras.layers.StringLookup or tf.lookup.StaticVocabularyTable"


class CategoricalVocabulary:
    """Maps categories (words, strings, integers) to ids; id 0 is the unknown token.

    Replaces ``tf.contrib.learn.preprocessing.CategoricalVocabulary``. Native TF2
    replacement: ``tf.keras.layers.StringLookup``.

    Ids are given in order of first appearance until `trim` renumbers them by
    frequency. The attribute names are r1.15's (``_mapping``, ``_reverse_mapping``,
    ``_freq``, ``_freeze`` ...): pickles that TF 1.x wrote hold them.

    Args:
      unknown_token: the category that id 0 stands for.
      support_reverse: keep the id -> category list that `reverse` needs.
    """

    def __init__(self, unknown_token="<UNK>", support_reverse=True):
        _deprecation.warn_deprecated("tf.contrib.learn.preprocessing.CategoricalVocabulary",
                                     _REPLACEMENT)
        self._unknown_token = unknown_token
        self._mapping = {unknown_token: 0}
        self._support_reverse = support_reverse
        if support_reverse:
            self._reverse_mapping = [unknown_token]
        self._freq = collections.defaultdict(int)
        self._freeze = False

    def __len__(self):
        """The number of ids, the unknown token's included."""
        return len(self._mapping)

    def freeze(self, freeze=True):
        """Freezes the vocabulary: new categories then get id 0 instead of a new id.

        Args:
          freeze: True to freeze, False to unfreeze.
        """
        self._freeze = freeze

    def get(self, category):
        """Returns the id of `category`, giving it the next id if it is new.

        Args:
          category: a string or integer.

        Returns:
          Its id; 0 for a new category once the vocabulary is frozen.
        """
        if category not in self._mapping:
            if self._freeze:
                return 0
            self._mapping[category] = len(self._mapping)
            if self._support_reverse:
                self._reverse_mapping.append(category)
        return self._mapping[category]

    def add(self, category, count=1):
        """Adds `count` to the frequency of `category` (giving it an id if new).

        The unknown token, and new categories of a frozen vocabulary, are not counted
        (r1.15: ``if category_id <= 0: return``).

        Args:
          category: a string or integer.
          count: how much to add.
        """
        category_id = self.get(category)
        if category_id <= 0:
            return
        self._freq[category] += count

    def trim(self, min_frequency, max_frequency=-1):
        """Keeps the categories seen more than `min_frequency` times, renumbered.

        Ids become 1..n in order of decreasing frequency, ties in ascending order of
        the category (integers before strings), as r1.15 sorted them.

        Args:
          min_frequency: categories seen this many times or fewer are dropped.
          max_frequency: if > 0, categories seen this many times or more are dropped
            too (stop words).
        """
        # r1.15: sort by category, then (stable) by decreasing count.
        by_category = sorted(self._freq.items(), key=lambda x: (isinstance(x[0], str), x[0]))
        self._freq = sorted(by_category, key=lambda x: x[1], reverse=True)
        self._mapping = {self._unknown_token: 0}
        if self._support_reverse:
            self._reverse_mapping = [self._unknown_token]
        idx = 1
        for category, count in self._freq:
            if max_frequency > 0 and count >= max_frequency:
                continue
            if count <= min_frequency:
                break
            self._mapping[category] = idx
            idx += 1
            if self._support_reverse:
                self._reverse_mapping.append(category)
        # r1.15 keeps the first idx - 1 counts of the sorted list (with max_frequency
        # that is not exactly the kept categories; kept as r1.15 did).
        self._freq = dict(self._freq[:idx - 1])

    def reverse(self, class_id):
        """Returns the category of id `class_id`.

        Raises:
          ValueError: if the vocabulary was built with ``support_reverse=False``.
        """
        if not self._support_reverse:
            raise ValueError("This vocabulary wasn't initialized with "
                             "support_reverse to support reverse() function.")
        return self._reverse_mapping[class_id]
