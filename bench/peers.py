"""Python peers of the benchmark: PyTorch on CPU (training and matrix products) and numpy's
BLAS (the matrix-product ceiling). Run by bench/run.ts, which writes the data, the initial
weights and a job description into a folder; results are printed as one JSON object.

    python3 bench/peers.py JOB_DIR torch   # PyTorch workloads, scaling, GEMM
    python3 bench/peers.py JOB_DIR numpy   # numpy GEMM (threads from OPENBLAS_NUM_THREADS)
"""
import json
import math
import os
import sys
import time


def median(values):
    s = sorted(values)
    return s[len(s) // 2]


def timed_median(fn, budget):
    """Seconds per call: two warm-up calls, then 7 rounds sized to ~budget/7 each."""
    fn()
    t0 = time.perf_counter()
    fn()
    once = max(time.perf_counter() - t0, 1e-7)
    per_round = max(1, round(budget / 7 / once))
    rounds = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(per_round):
            fn()
        rounds.append((time.perf_counter() - start) / per_round)
    return median(rounds)


FORMS = ["A·B", "A·Bᵀ", "Aᵀ·B"]


def gemm_numpy(job):
    import numpy as np

    out = []
    rng = np.random.default_rng(0)
    for m, k, n in job["gemmShapes"]:
        for form in FORMS:
            ta, tb = form == "Aᵀ·B", form == "A·Bᵀ"
            a = rng.standard_normal((k, m) if ta else (m, k), dtype=np.float32)
            b = rng.standard_normal((n, k) if tb else (k, n), dtype=np.float32)
            # .T is a view: BLAS is called with the transpose flag, no copy.
            aa = a.T if ta else a
            bb = b.T if tb else b
            s = timed_median(lambda: aa @ bb, job["gemmBudgetSeconds"])
            out.append({"form": form, "m": m, "k": k, "n": n, "gflops": 2 * m * n * k / s / 1e9})
    return out


def loaded_blas():
    """The BLAS libraries this process has loaded (last two path parts), e.g. an OpenBLAS
    build or the slow reference BLAS; Linux only, "unknown" elsewhere."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
        return ", ".join(sorted("/".join(p.split("/")[-2:]) for p in paths)) or "none"
    except OSError:
        return "unknown"


def load_data(job):
    import numpy as np

    d = job["data"]
    folder = job["dir"]
    x_train = np.fromfile(os.path.join(folder, "x_train.f32"), dtype=np.float32).reshape(-1, d["inputs"])
    y_train = np.fromfile(os.path.join(folder, "y_train.i32"), dtype=np.int32)
    x_test = np.fromfile(os.path.join(folder, "x_test.f32"), dtype=np.float32).reshape(-1, d["inputs"])
    y_test = np.fromfile(os.path.join(folder, "y_test.i32"), dtype=np.int32)
    return x_train, y_train, x_test, y_test


def run_torch(job):
    import numpy as np
    import torch
    from torch import nn

    # One intra-op thread: on a 2-core machine PyTorch's own threads starve OpenBLAS's pool,
    # and this is its fastest setting (measured); OpenBLAS keeps its threads.
    torch.set_num_threads(1)
    x_train, y_train, x_test, y_test = load_data(job)

    def build(w):
        layers = []
        sizes = w["layers"]
        for i in range(1, len(sizes)):
            layers.append(nn.Linear(sizes[i - 1], sizes[i]))
            if i < len(sizes) - 1:
                layers.append(nn.ReLU())
            if i == 1 and w.get("dropout") is not None:
                layers.append(nn.Dropout(w["dropout"]))
        model = nn.Sequential(*layers)
        linears = [l for l in model if isinstance(l, nn.Linear)]
        with torch.no_grad():
            for i, lin in enumerate(linears):
                kernel = np.fromfile(os.path.join(job["dir"], f"{w['id']}_{2 * i}.f32"), dtype=np.float32)
                bias = np.fromfile(os.path.join(job["dir"], f"{w['id']}_{2 * i + 1}.f32"), dtype=np.float32)
                # gradiente's kernel is [in, out]; nn.Linear's weight is [out, in].
                lin.weight.copy_(torch.from_numpy(kernel.reshape(sizes[i], sizes[i + 1]).T.copy()))
                lin.bias.copy_(torch.from_numpy(bias))
        return model

    def train(w, samples, batch_size):
        x = torch.from_numpy(x_train[:samples])
        y = torch.from_numpy(y_train[:samples]).long()
        loss_fn = nn.CrossEntropyLoss()  # softmax + categorical cross-entropy, from the logits

        adam_cosine = w.get("optimizer") == "adam-cosine"
        accuracy_metric = w.get("accuracyMetric", False)
        evaluate = w.get("evaluateSamples")

        def epoch(model, count):
            # The npm start twin (W4): Adam with the learning rate along half a cosine to 0 over
            # the run, as gradiente's cosineDecay(lr, iterations), set before every step.
            iterations = -(-count // batch_size)
            if adam_cosine:
                opt = torch.optim.Adam(model.parameters(), lr=w["learningRate"])
            else:
                opt = torch.optim.SGD(model.parameters(), lr=w["learningRate"])
            model.train()
            losses = []
            for t, start in enumerate(range(0, count, batch_size)):
                xb = x[start : start + batch_size]
                yb = y[start : start + batch_size]
                if adam_cosine:
                    for group in opt.param_groups:
                        group["lr"] = w["learningRate"] * 0.5 * (1 + math.cos(math.pi * min(t, iterations) / iterations))
                opt.zero_grad()
                out = model(xb)
                loss = loss_fn(out, yb)
                loss.backward()
                opt.step()
                losses.append(loss.item())
                if accuracy_metric:
                    (out.argmax(dim=1) == yb).float().mean().item()
            if evaluate is not None:
                # The end-of-epoch evaluation npm start does, inside the timed run.
                model.eval()
                with torch.no_grad():
                    xt = torch.from_numpy(x_test[:evaluate])
                    yt = torch.from_numpy(y_test[:evaluate]).long()
                    out = model(xt)
                    loss_fn(out, yt).item()
                    (out.argmax(dim=1) == yt).float().mean().item()
                model.train()
            return losses

        epoch(build(w), min(samples, batch_size * 20))  # warm-up
        model = build(w)
        t0 = time.perf_counter()
        losses = epoch(model, samples)
        seconds = time.perf_counter() - t0
        model.eval()
        with torch.no_grad():
            pred = model(torch.from_numpy(x_test)).argmax(dim=1).numpy()
        tail = losses[int(len(losses) * 0.9) :]
        return {
            "samplesPerSecond": samples / seconds,
            "finalLoss": sum(tail) / len(tail),
            "testAccuracy": float((pred == y_test).mean()),
            "samples": samples,
            "seconds": seconds,
        }

    workloads = {}
    for w in job["workloads"]:
        workloads[w["id"]] = train(w, w["samples"], w["batchSize"])
        print(f"  PyTorch: {w['id']} {round(workloads[w['id']]['samplesPerSecond'])} samples/s", file=sys.stderr, flush=True)

    if job.get("trainingOnly"):
        # bench/paired.ts: only the workloads, once per round, alternating with gradiente.
        return {"details": {"version": torch.__version__, "intraOpThreads": torch.get_num_threads()}, "workloads": workloads, "scaling": {}, "gemm": []}

    scaling = {}
    w1 = next((w for w in job["workloads"] if w["id"] == "W1"), None)
    if w1 is not None:
        for bs in job["scalingBatchSizes"]:
            samples = min(w1["samples"], max(bs * 50, job["scalingMinSamples"]))
            scaling[str(bs)] = train(w1, samples, bs)["samplesPerSecond"]

    gemm = []
    rng = np.random.default_rng(0)
    for m, k, n in job["gemmShapes"]:
        for form in FORMS:
            ta, tb = form == "Aᵀ·B", form == "A·Bᵀ"
            a = torch.from_numpy(rng.standard_normal((k, m) if ta else (m, k), dtype=np.float32))
            b = torch.from_numpy(rng.standard_normal((n, k) if tb else (k, n), dtype=np.float32))
            aa = a.t() if ta else a
            bb = b.t() if tb else b
            s = timed_median(lambda: torch.matmul(aa, bb), job["gemmBudgetSeconds"])
            gemm.append({"form": form, "m": m, "k": k, "n": n, "gflops": 2 * m * n * k / s / 1e9})

    details = {"version": torch.__version__, "intraOpThreads": torch.get_num_threads(), "blas": loaded_blas()}
    return {"details": details, "workloads": workloads, "scaling": scaling, "gemm": gemm}


def main():
    folder, what = sys.argv[1], sys.argv[2]
    with open(os.path.join(folder, "job.json"), encoding="utf-8") as f:
        job = json.load(f)
    job["dir"] = folder
    if what == "numpy":
        import numpy as np

        gemm = gemm_numpy(job)
        details = {"version": np.__version__, "threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"), "blas": loaded_blas()}
        result = {"details": details, "gemm": gemm}
    else:
        result = run_torch(job)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
