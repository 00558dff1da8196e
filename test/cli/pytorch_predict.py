"""
The outputs of an exported project's final PyTorch model on its test rows, for the round-trip
test: the network is train.py's own build_model(), with the weights of its last checkpoint
(what PyTorch held at the end, not the file written for gradiente). Writes float32,
little-endian, row after row, to the path given.

usage: python3 pytorch_predict.py PROJECT_DIR OUT_FILE
"""
import importlib.util
import os
import sys

import numpy as np
import torch

project, out = sys.argv[1], sys.argv[2]
spec = importlib.util.spec_from_file_location("exported_train", os.path.join(project, "train.py"))
train = importlib.util.module_from_spec(spec)
spec.loader.exec_module(train)  # defines things only: training runs under __main__

model = train.build_model()
model.load_state_dict(torch.load(os.path.join(project, "checkpoints", "last.pt"))["model"])
model.eval()
data = train.load_data()
x = torch.from_numpy(train.inputs(data, "x_test", slice(None)))
with torch.no_grad():
    y = model(x)
with open(out, "wb") as f:
    f.write(y.numpy().astype("<f4").tobytes())
