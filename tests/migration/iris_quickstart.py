"""The TF 1.0-1.3 "tf.contrib.learn Quickstart" (iris): a DNNClassifier over
real_valued_column("", dimension=4), data from load_csv_with_header over the two CSVs
the tutorial downloaded (written here from three separable synthetic species), fit on an
input_fn of constants (TF 1.1+) and on x / y (TF 1.0), evaluate(...)["accuracy"],
predict on new samples. Run with --tf1 (np.int, as the tutorial passed it).

Run twice on one output_dir: the second run continues from the first run's checkpoint.
"""
from __future__ import absolute_import
from __future__ import division
from __future__ import print_function

import argparse
import json
import os

import numpy as np
import tensorflow as tf

# Data sets
IRIS_TRAINING = "iris_training.csv"
IRIS_TEST = "iris_test.csv"


def write_iris_csv(filename, n, seed):
    # r1.15's CSV-with-header format: "n_samples,n_features,<class names>", then rows of
    # four measurements and the class id.
    rng = np.random.RandomState(seed)
    centers = np.array([[5.0, 3.4, 1.5, 0.2], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.6, 2.0]])
    with open(filename, "w") as f:
        f.write("%d,4,setosa,versicolor,virginica\n" % n)
        for i in range(n):
            label = i % 3
            row = centers[label] + rng.normal(0, 0.15, 4)
            f.write(",".join("%.1f" % v for v in row) + ",%d\n" % label)


def main(_):
    parser = argparse.ArgumentParser()
    parser.add_argument("--output_dir", required=True)
    args = parser.parse_args()

    # If the training and test sets aren't stored locally, "download" them.
    if not os.path.exists(IRIS_TRAINING):
        write_iris_csv(IRIS_TRAINING, 120, seed=0)
    if not os.path.exists(IRIS_TEST):
        write_iris_csv(IRIS_TEST, 30, seed=1)

    # Load datasets.
    training_set = tf.contrib.learn.datasets.base.load_csv_with_header(
        filename=IRIS_TRAINING, target_dtype=np.int, features_dtype=np.float32)
    test_set = tf.contrib.learn.datasets.base.load_csv_with_header(
        filename=IRIS_TEST, target_dtype=np.int, features_dtype=np.float32)

    # Specify that all features have real-value data
    feature_columns = [tf.contrib.layers.real_valued_column("", dimension=4)]

    # Build 3 layer DNN with 10, 20, 10 units respectively.
    classifier = tf.contrib.learn.DNNClassifier(feature_columns=feature_columns,
                                                hidden_units=[10, 20, 10],
                                                n_classes=3,
                                                model_dir=args.output_dir)
    start_step = (classifier.get_variable_value("global_step")
                  if tf.train.latest_checkpoint(args.output_dir) else 0)

    # Define the training inputs
    def get_train_inputs():
        x = tf.constant(training_set.data)
        y = tf.constant(training_set.target)
        return x, y

    # Fit model.
    classifier.fit(input_fn=get_train_inputs, steps=200)
    # TF 1.0's quickstart: fit on the arrays themselves.
    classifier.fit(x=training_set.data, y=training_set.target, steps=50)

    # Define the test inputs
    def get_test_inputs():
        x = tf.constant(test_set.data)
        y = tf.constant(test_set.target)
        return x, y

    # Evaluate accuracy.
    accuracy_score = classifier.evaluate(input_fn=get_test_inputs, steps=1)["accuracy"]
    older = classifier.evaluate(x=test_set.data, y=test_set.target)

    print("\nTest Accuracy: {0:f}\n".format(accuracy_score))

    # Classify two new flower samples.
    def new_samples():
        return np.array([[5.0, 3.4, 1.5, 0.2], [6.6, 3.0, 5.6, 2.0]], dtype=np.float32)

    predictions = list(classifier.predict(input_fn=new_samples))
    classes = list(classifier.predict_classes(x=test_set.data))
    probabilities = list(classifier.predict_proba(new_samples()))
    test_probabilities = list(classifier.predict_proba(x=test_set.data))
    older_predictions = list(classifier.predict(new_samples(), as_iterable=True))

    print("New Samples, Class Predictions:    {}\n".format(predictions))
    print("RESULT " + json.dumps({
        "start_step": int(start_step),
        "global_step": int(classifier.get_variable_value("global_step")),
        "accuracy": float(accuracy_score),
        "older_accuracy": float(older["accuracy"]),
        "older_loss": float(older["loss"]),
        "older_keys": sorted(older),
        "predictions": [int(p) for p in predictions],
        "older_predictions": [int(p) for p in older_predictions],
        "test_classes": [int(c) for c in classes],
        "test_targets": [int(t) for t in test_set.target],
        "probabilities": [[float(p) for p in row] for row in probabilities],
        "test_probabilities": [[float(p) for p in row] for row in test_probabilities],
        "hidden_shapes": [list(classifier.get_variable_value(
            "dnn/hiddenlayer_%d/weights" % i).shape) for i in range(3)],
    }))


if __name__ == "__main__":
    tf.app.run()
