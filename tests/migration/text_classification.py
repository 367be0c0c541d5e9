"""Text classification, the shape of TF 1.0's examples/learn/text_classification.py
(run with --tf1).

learn.preprocessing.VocabularyProcessor maps documents to word ids; the model_fn
embeds them with learn.ops.categorical_variable, max-pools, and classifies with
learn.models.logistic_regression, trained by tf.contrib.layers.optimize_loss inside a
contrib learn.Estimator with fit(x, y) / predict(x). The data are generated here
(DBpedia-like: title, text, class), and learn.datasets.load_dataset('dbpedia',
test_with_fake_data=True) is read as the tutorial's test mode did.
"""
import argparse
import json
import os
import sys

import numpy as np
import tensorflow as tf
from tensorflow.contrib import learn

FLAGS = None

MAX_DOCUMENT_LENGTH = 8
EMBEDDING_SIZE = 10
N_CLASSES = 3
n_words = 0

TOPICS = [
    ["football", "goal", "team", "league", "coach", "match"],
    ["atom", "cell", "theory", "physics", "molecule", "experiment"],
    ["album", "song", "band", "guitar", "concert", "singer"],
]
FILLER = ["the", "a", "is", "of", "and", "in", "was", "famous"]


def fake_corpus(n, rng):
    docs, labels = [], []
    for _ in range(n):
        label = rng.randint(N_CLASSES)
        words = list(rng.choice(TOPICS[label], 3)) + list(rng.choice(FILLER, 4))
        rng.shuffle(words)
        docs.append(" ".join(words).capitalize() + ".")
        labels.append(label)
    return np.array(docs), np.array(labels, dtype=np.int32)


def average_model(features, target):
    target = tf.one_hot(target, N_CLASSES, 1, 0)
    word_vectors = learn.ops.categorical_variable(
        features, n_classes=n_words, embedding_size=EMBEDDING_SIZE, name="words")
    features = tf.reduce_max(word_vectors, 1)
    prediction, loss = learn.models.logistic_regression(features, target)
    train_op = tf.contrib.layers.optimize_loss(
        loss, tf.contrib.framework.get_global_step(),
        optimizer="Adam", learning_rate=0.05)
    return {"class": tf.argmax(prediction, 1), "prob": prediction}, loss, train_op


def main(unused_argv):
    global n_words
    # The tutorial's --test_with_fake_data mode: three tiny rows shipped with TF.
    dbpedia = learn.datasets.load_dataset("dbpedia", test_with_fake_data=True)
    dbpedia_titles = [str(t) for t in dbpedia.train.data[:, 0]]

    rng = np.random.RandomState(0)
    x_train, y_train = fake_corpus(150, rng)
    x_test, y_test = fake_corpus(30, rng)

    vocab_processor = learn.preprocessing.VocabularyProcessor(MAX_DOCUMENT_LENGTH)
    x_train = np.array(list(vocab_processor.fit_transform(x_train)))
    n_words = len(vocab_processor.vocabulary_)
    print("Total words: %d" % n_words)
    vocab_path = os.path.join(FLAGS.output_dir, "vocab")
    tf.gfile.MakeDirs(FLAGS.output_dir)
    vocab_processor.save(vocab_path)
    restored = learn.preprocessing.VocabularyProcessor.restore(vocab_path)
    x_test = np.array(list(restored.transform(x_test)))

    classifier = learn.Estimator(model_fn=average_model, model_dir=FLAGS.output_dir)
    classifier.fit(x_train, y_train, steps=FLAGS.steps)
    y_predicted = [p["class"] for p in classifier.predict(x_test, as_iterable=True)]
    accuracy = float(np.mean(np.array(y_predicted) == y_test))
    print("Accuracy: {0:f}".format(accuracy))

    print("RESULT " + json.dumps({
        "dbpedia_titles": dbpedia_titles,
        "n_words": n_words,
        "x_train_shape": list(x_train.shape),
        "restored_vocabulary": len(restored.vocabulary_),
        "reverse": next(restored.reverse([x_test[0]])),
        "accuracy": accuracy,
        "predictions": len(y_predicted),
    }))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--output_dir", required=True)
    parser.add_argument("--steps", type=int, default=100)
    FLAGS, unparsed = parser.parse_known_args()
    tf.app.run(main=main, argv=[sys.argv[0]] + unparsed)
