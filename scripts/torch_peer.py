#!/usr/bin/env python3
"""PyTorch peer for FER Studio's models: the same architectures, for side-by-side figures.

  python3 scripts/torch_peer.py bench [--model compact-cnn] [--batch 64] [--steps 10]
      Training and inference img/s on random data, as scripts/bench-train.ts measures the studio.
  python3 scripts/torch_peer.py proxy --model NAME [recipe flags] --fer ../shared/fer2013
      A short training run on a stratified fraction of FER-2013 train, scored on a validation
      split of train only (the test folder is never read): a fast surrogate to screen
      architectures and recipes before confirming them in the studio with `npm run bench:accuracy`.
  python3 scripts/torch_peer.py step [--model compact-cnn-w24] [--threads 2] [--steps 10]
      The twin of the app's real training step (scripts/bench-step.ts): the default recipe's
      SGD-Nesterov, 44-px crops after rotation/zoom/shift/flip, label smoothing, class weights.
  python3 scripts/torch_peer.py conv [--threads 1] [--steps 10]
      GMAC/s of compact-cnn's single 3×3 convolutions (`npm run bench:peer -- --convs` prints the
      studio's beside them): how far a convolution-bound network can get on WebAssembly here.
  python3 scripts/torch_peer.py gemm [--threads 1]
      GMAC/s of oneDNN's best case (a wide 3×3 convolution): the CPU's ceiling as PyTorch
      reaches it.

Uses Debian's python3-torch when installed (`apt-get install python3-torch`); says so and exits 0
when it is not, so `npm run bench:torch` never fails on a machine without it.
"""
import argparse
import os
import platform
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from torch_fer_proxy import proxy
    from torch_models import build, params
except ImportError as error:  # the peer is optional
    print(f"PyTorch peer skipped: {error}. Install it with: apt-get install -y python3-torch")
    sys.exit(0)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def bench(args):
    model = build(args.model)
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    x = torch.rand(args.batch, 1, 48, 48)
    y = torch.randint(0, 7, (args.batch,))

    def step():
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()

    def infer():
        with torch.no_grad():
            model(x)

    def rate(fn, train):
        model.train(train)
        fn(), fn()
        t0 = time.perf_counter()
        for _ in range(args.steps):
            fn()
        return args.batch * args.steps / (time.perf_counter() - t0)

    tr, inf = rate(step, True), rate(infer, False)
    print(f"cpu: {cpu_model()}, {torch.get_num_threads()} threads, torch {torch.__version__}")
    print(f"model: {args.model} ({params(model):,} params), batch {args.batch}")
    print(f"training   {tr:8.1f} img/s")
    print(f"inference  {inf:8.1f} img/s")
    print(f"ratio      {tr / inf:.2f}")


def step(args):
    """Training img/s of the default recipe (app/training/config.ts), augmentation included."""
    from torch_fer_proxy import augment

    recipe = argparse.Namespace(rotation=10, zoom=0.1, shift=0.1, crop=44, padding=0)
    model = build(args.model)
    opt = torch.optim.SGD(model.parameters(), 0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
    loss_fn = nn.CrossEntropyLoss(weight=torch.rand(7) + 0.5, label_smoothing=0.1)
    gen = torch.Generator().manual_seed(1)
    faces = torch.randint(0, 256, (args.batch * 4, 1, 48, 48), generator=gen, dtype=torch.uint8)
    labels = torch.randint(0, 7, (args.batch * 4,), generator=gen)
    model.train()

    def one(i):
        b = slice((i % 4) * args.batch, (i % 4 + 1) * args.batch)
        xb = augment(faces[b].float().div(255), recipe, gen)
        opt.zero_grad()
        loss_fn(model(xb), labels[b]).backward()
        opt.step()

    one(0), one(1)
    t0 = time.perf_counter()
    for i in range(args.steps):
        one(i)
    rate = args.batch * args.steps / (time.perf_counter() - t0)
    print(f"cpu: {cpu_model()}, {torch.get_num_threads()} threads, torch {torch.__version__}")
    print(f"training   {rate:8.1f} img/s")


# compact-cnn's 3×3 convolutions at batch 64: (side, in channels, out channels).
CONV_SHAPES = [(48, 1, 16), (24, 16, 32), (12, 32, 64), (12, 64, 64), (6, 64, 128), (6, 128, 128)]


def conv(args):
    """Multiply-accumulates per second of single 3×3 convolutions: forward, and forward + both gradients."""
    print(f"cpu: {cpu_model()}, {torch.get_num_threads()} threads, torch {torch.__version__}")
    for side, c_in, c_out in CONV_SHAPES:
        macs = args.batch * side * side * 9 * c_in * c_out
        layer = nn.Conv2d(c_in, c_out, 3, padding=1, bias=False)
        x = torch.randn(args.batch, c_in, side, side, requires_grad=True)
        dy = torch.randn(args.batch, c_out, side, side)

        def forward():
            with torch.no_grad():
                layer(x)

        def both():
            layer(x).backward(dy)

        def seconds(fn):
            fn(), fn()
            t0 = time.perf_counter()
            for _ in range(args.steps):
                fn()
            return (time.perf_counter() - t0) / args.steps

        fwd, step = seconds(forward), seconds(both)
        print(f"conv {side}x{side} {c_in}->{c_out}  forward {macs / fwd / 1e9:6.1f} GMAC/s  "
              f"with gradients {3 * macs / step / 1e9:6.1f} GMAC/s")


def gemm(args):
    """Multiply-accumulates per second of oneDNN's best case here, a wide 3x3 convolution: the
    CPU's ceiling as PyTorch reaches it (Debian's torch has a generic, reference BLAS for torch.mm,
    and its 1x1 convolutions ran at a third of the 3x3 ones). bench:peer --peak prints
    WebAssembly's ceiling beside it."""
    best = 0.0
    with torch.no_grad():
        for ch, side in ((64, 24), (128, 12), (256, 6)):
            x, w = torch.randn(64, ch, side, side), torch.randn(ch, ch, 3, 3)
            F.conv2d(x, w, padding=1)
            reps = 5
            t0 = time.perf_counter()
            for _ in range(reps):
                F.conv2d(x, w, padding=1)
            macs = 64 * side * side * ch * ch * 9
            best = max(best, reps * macs / (time.perf_counter() - t0) / 1e9)
    print(f"cpu: {cpu_model()}, {torch.get_num_threads()} threads, torch {torch.__version__}")
    print(f"gemm {best:8.1f} GMAC/s")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cmd", choices=["bench", "step", "conv", "gemm", "proxy"])
    p.add_argument("--model", default="compact-cnn")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    p.add_argument("--fer", default="../shared/fer2013")
    p.add_argument("--cache", default="")
    p.add_argument("--out", default="")
    p.add_argument("--fraction", type=float, default=0.25)
    p.add_argument("--epochs", type=int, default=15)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--optimizer", choices=["adam", "sgd"], default="adam")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--min-lr", type=float, default=0.0)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--schedule", choices=["plateau", "cosine", "constant"], default="plateau")
    p.add_argument("--patience", type=int, default=3)
    p.add_argument("--warmup", type=float, default=0.0)
    p.add_argument("--label-smoothing", type=float, default=0.0)
    p.add_argument("--dropout", type=float, default=None)
    p.add_argument("--rotation", type=float, default=10)
    p.add_argument("--zoom", type=float, default=0.1)
    p.add_argument("--shift", type=float, default=0.1)
    p.add_argument("--crop", type=int, default=0)
    p.add_argument("--padding", type=int, default=0)
    p.add_argument("--weights", choices=["sqrt", "none"], default="sqrt")
    args = p.parse_args()
    # Debian's torch reads the container's CPU quota as 1 thread; use the cores the studio uses.
    torch.set_num_threads(args.threads)
    if args.cmd == "bench":
        bench(args)
    elif args.cmd == "step":
        step(args)
    elif args.cmd == "conv":
        conv(args)
    elif args.cmd == "gemm":
        gemm(args)
    else:
        if not os.path.isdir(os.path.join(args.fer, "train")):
            print(f"proxy needs FER-2013 at {args.fer}/train/<class>/ (not found)")
            sys.exit(1)
        proxy(args, cpu_model())


if __name__ == "__main__":
    main()
