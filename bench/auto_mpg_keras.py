"""The Keras regression tutorial's recipe for Auto MPG ("Basic regression: predict fuel
efficiency"), run in PyTorch on given training and test rows of vega-datasets' cars.json, so
it can be compared with `gradiente train` on exactly the rows gradiente used.

The recipe: inputs normalized on the training rows (the tutorial's Normalization layer:
mean and population variance), Dense(64, relu) -> Dense(64, relu) -> Dense(1), Keras's
initialization (Glorot uniform weights, zero biases), mean absolute error as the loss, Adam
with learning rate 0.001 (epsilon 1e-7, as Keras), batch size 32, 100 epochs, the last 20% of
the training rows held out for validation (Keras's validation_split: never trained on), the
training batches reshuffled every epoch. The target is used raw, as the tutorial does.
Features as gradiente reads the file: Cylinders, Displacement, Horsepower, Weight_in_lbs,
Acceleration, the year of Year, and Origin one-hot (Europe, Japan, USA).

Also the exact least-squares fit on the same rows, as a reference that has no seed.

    python3 bench/auto_mpg_keras.py SPLITS.json   # written by bench/auto-mpg-seeds.mjs

SPLITS.json: {"cars": PATH, "inits": 3, "splits": [{"split": "plain", "seed": 1, "train": [row
indices], "test": [row indices]}, ...]}. Prints one JSON object: for each "split-seed", the test
MAE of each initialization and of least squares.
"""
import json
import sys

import numpy as np
import torch

NUMBERS = ["Cylinders", "Displacement", "Horsepower", "Weight_in_lbs", "Acceleration"]
ORIGINS = ["Europe", "Japan", "USA"]


def features(record):
    year = int(record["Year"][:4])
    return [float(record[k]) for k in NUMBERS] + [float(year)] + [1.0 if record["Origin"] == o else 0.0 for o in ORIGINS]


def keras_recipe(x_train, y_train, x_test, y_test, init_seed):
    torch.manual_seed(init_seed)
    rng = np.random.default_rng(init_seed)
    mean = x_train.mean(axis=0)
    std = np.sqrt(x_train.var(axis=0))
    std[std == 0] = 1
    norm = lambda x: torch.tensor((x - mean) / std, dtype=torch.float32)
    xt, yt = norm(x_train), torch.tensor(y_train, dtype=torch.float32).reshape(-1, 1)
    n_fit = len(xt) - int(round(0.2 * len(xt)))  # Keras: the last 20% validate, never train
    xt, yt = xt[:n_fit], yt[:n_fit]
    model = torch.nn.Sequential(torch.nn.Linear(xt.shape[1], 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1))
    for layer in model:
        if isinstance(layer, torch.nn.Linear):
            torch.nn.init.xavier_uniform_(layer.weight)
            torch.nn.init.zeros_(layer.bias)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = torch.nn.L1Loss()
    for _ in range(100):
        order = torch.tensor(rng.permutation(n_fit))
        for start in range(0, n_fit, 32):
            batch = order[start : start + 32]
            optimizer.zero_grad()
            loss_fn(model(xt[batch]), yt[batch]).backward()
            optimizer.step()
    with torch.no_grad():
        predicted = model(norm(x_test)).numpy().ravel()
    return float(np.abs(predicted - y_test).mean())


def least_squares(x_train, y_train, x_test, y_test):
    a = np.hstack([x_train, np.ones((len(x_train), 1))])
    w, *_ = np.linalg.lstsq(a, y_train, rcond=None)
    predicted = np.hstack([x_test, np.ones((len(x_test), 1))]) @ w
    return float(np.abs(predicted - y_test).mean())


def main():
    torch.set_num_threads(1)
    job = json.load(open(sys.argv[1]))
    records = json.load(open(job["cars"]))
    x = np.array([features(r) if all(r[k] is not None for k in NUMBERS + ["Miles_per_Gallon"]) else [np.nan] * 9 for r in records], dtype=np.float64)
    y = np.array([r["Miles_per_Gallon"] if r["Miles_per_Gallon"] is not None else np.nan for r in records], dtype=np.float64)
    out = {}
    for split in job["splits"]:
        train, test = np.array(split["train"]), np.array(split["test"])
        # The row order inside the training part is not recorded; a seeded shuffle stands in
        # for the tutorial's dataset.sample order (it decides which rows validate).
        train = np.random.default_rng(split["seed"]).permutation(train)
        assert not np.isnan(x[train]).any() and not np.isnan(x[test]).any(), "a split row has a missing value"
        args = (x[train], y[train], x[test], y[test])
        maes = [keras_recipe(*args, init) for init in range(job["inits"])]
        key = "%s-%d" % (split["split"], split["seed"])
        out[key] = {"mae": maes, "leastSquares": least_squares(*args)}
        print("%s: Keras recipe %s; least squares %.3f" % (key, ", ".join("%.3f" % m for m in maes), out[key]["leastSquares"]), file=sys.stderr)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
