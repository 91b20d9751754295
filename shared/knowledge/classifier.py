"""A linear classifier over the knowledge base's own phrasings, learned at sync time.

Each entry's question and examples are labelled examples of that entry; multinomial logistic
regression on their embeddings gives every entry a weight vector and a bias, so that
`weights . query + bias` scores how much a query looks like that entry's phrasings rather than
its neighbours'. Trained with numpy in seconds (Nesterov-accelerated gradient descent).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def train(vectors: Any, labels: Any, classes: int, *, l2: float, iterations: int = 600) -> tuple[Any, Any]:
    """Weights (classes x dims) and biases (classes) minimising cross-entropy + l2/2 |W|^2."""
    x = np.asarray(vectors, dtype=np.float64)
    y = np.asarray(labels)
    n, dims = x.shape
    targets = np.zeros((n, classes))
    targets[np.arange(n), y] = 1.0
    weights, bias = np.zeros((classes, dims)), np.zeros(classes)
    look_w, look_b, momentum = weights.copy(), bias.copy(), 1.0
    # A step of 1/L with L bounding the gradient's Lipschitz constant guarantees descent.
    step = 1.0 / (0.5 * np.linalg.norm(x, 2) ** 2 / n + 0.5 + l2)
    for _ in range(iterations):
        logits = x @ look_w.T + look_b
        logits -= logits.max(1, keepdims=True)
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum(1, keepdims=True)
        gradient = (probabilities - targets) / n
        new_w = look_w - step * (gradient.T @ x + l2 * look_w)
        new_b = look_b - step * gradient.sum(0)
        next_momentum = (1 + math.sqrt(1 + 4 * momentum * momentum)) / 2
        carry = (momentum - 1) / next_momentum
        look_w, look_b = new_w + carry * (new_w - weights), new_b + carry * (new_b - bias)
        weights, bias, momentum = new_w, new_b, next_momentum
    return weights.astype(np.float32), bias.astype(np.float32)


def train_one(vectors: Any, is_entry: Any, others: Any, *, l2: float, iterations: int = 600) -> tuple[Any, float]:
    """One entry's weights and bias with every other entry's held fixed: the same loss, optimised for one row.

    `others` is, for each vector, the log-sum-exp of the other entries' logits. With those fixed,
    the softmax probability of this entry is sigmoid(logit - others), and the cross-entropy over
    all vectors depends on this row only as a logistic regression with that offset. An edited
    entry is re-learned this way in well under a second at any size; a full import retrains all.
    """
    x = np.asarray(vectors, dtype=np.float64)
    target = np.asarray(is_entry, dtype=np.float64)
    offset = np.asarray(others, dtype=np.float64)
    n = x.shape[0]
    weights, bias = np.zeros(x.shape[1]), 0.0
    look_w, look_b, momentum = weights.copy(), bias, 1.0
    step = 1.0 / (0.25 * (np.linalg.norm(x, 2) ** 2 + n) / n + l2)
    for _ in range(iterations):
        probability = 1.0 / (1.0 + np.exp(-(x @ look_w + look_b - offset)))
        error = (probability - target) / n
        new_w = look_w - step * (x.T @ error + l2 * look_w)
        new_b = look_b - step * float(error.sum())
        next_momentum = (1 + math.sqrt(1 + 4 * momentum * momentum)) / 2
        carry = (momentum - 1) / next_momentum
        look_w, look_b = new_w + carry * (new_w - weights), new_b + carry * (new_b - bias)
        weights, bias, momentum = new_w, new_b, next_momentum
    return weights.astype(np.float32), float(bias)


def log_sum_exp(logits: Any) -> Any:
    """Row-wise log(sum(exp(logits))), computed stably."""
    top = logits.max(1, keepdims=True)
    return (top + np.log(np.exp(logits - top).sum(1, keepdims=True)))[:, 0]
