#!/usr/bin/env python3
"""PyTorch peer for FER Studio's models: the same architectures, for side-by-side figures.

  python3 scripts/torch_peer.py bench [--model compact-cnn] [--batch 64] [--steps 10]
      Training and inference img/s on random data, as scripts/bench-train.ts measures the studio.
  python3 scripts/torch_peer.py proxy --model NAME [recipe flags] --fer ../shared/fer2013
      A short training run on a stratified fraction of FER-2013 train, scored on a validation
      split of train only (the test folder is never read): a fast surrogate to screen
      architectures and recipes before confirming them in the studio with `npm run bench:accuracy`.
  python3 scripts/torch_peer.py conv [--threads 1] [--steps 10]
      GMAC/s of compact-cnn's single 3×3 convolutions (`npm run bench:peer -- --convs` prints the
      studio's beside them): how far a convolution-bound network can get on WebAssembly here.

Uses Debian's python3-torch when installed (`apt-get install python3-torch`); says so and exits 0
when it is not, so `npm run bench:torch` never fails on a machine without it.
"""
import argparse
import json
import math
import os
import platform
import sys
import time

try:
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as error:  # the peer is optional
    print(f"PyTorch peer skipped: {error}. Install it with: apt-get install -y python3-torch")
    sys.exit(0)

CLASSES = ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"]


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def bn(c):
    # Keras momentum 0.9 (compact-cnn's choice) is PyTorch momentum 0.1.
    return nn.BatchNorm2d(c, momentum=0.1, eps=1e-3)


class CompactCnn(nn.Module):
    """models/compact-cnn.ts: conv→BN→ReLU blocks 16, pool, 32, pool, 64, 64, pool, 128, 128, GAP."""

    def __init__(self, width=16, dropout=0.3, classes=7):
        super().__init__()
        layers, c_in = [], 1
        for c in [width, "P", width * 2, "P", width * 4, width * 4, "P", width * 8, width * 8]:
            if c == "P":
                layers.append(nn.MaxPool2d(2))
                continue
            layers += [nn.Conv2d(c_in, c, 3, padding=1, bias=False), bn(c), nn.ReLU(inplace=True)]
            c_in = c
        self.features = nn.Sequential(*layers)
        self.drop = nn.Dropout(dropout)
        self.fc = nn.Linear(c_in, classes)

    def forward(self, x):
        x = self.features(x).mean((2, 3))
        return self.fc(self.drop(x))


class SepConv(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.dw = nn.Conv2d(c_in, c_in, 3, padding=1, groups=c_in, bias=False)
        self.pw = nn.Conv2d(c_in, c_out, 1, bias=False)

    def forward(self, x):
        return self.pw(self.dw(x))


class XceptionModule(nn.Module):
    def __init__(self, c_in, c_out, depth):
        super().__init__()
        self.res = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride=2, bias=False), bn(c_out))
        layers, c = [], c_in
        for i in range(depth):
            layers += [SepConv(c, c_out), bn(c_out)]
            if i < depth - 1:
                layers.append(nn.ReLU(inplace=True))
            c = c_out
        layers.append(nn.MaxPool2d(3, stride=2, padding=1))
        self.main = nn.Sequential(*layers)

    def forward(self, x):
        return self.main(x) + self.res(x)


class XceptionFer(nn.Module):
    """mini-Xception (oarriaga/face_classification) with a width multiplier and module depth."""

    def __init__(self, width=1, depth=2, dropout=0.0, classes=7):
        super().__init__()
        s = 8 * width
        self.stem = nn.Sequential(
            # 'valid' stem as in the original and models/: 48 → 46 → 44.
            nn.Conv2d(1, s, 3, bias=False), bn(s), nn.ReLU(inplace=True),
            nn.Conv2d(s, s, 3, bias=False), bn(s), nn.ReLU(inplace=True),
        )
        mods, c = [], s
        for f in [16, 32, 64, 128]:
            mods.append(XceptionModule(c, f * width, depth))
            c = f * width
        self.modules_ = nn.Sequential(*mods)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Conv2d(c, classes, 3, padding=1)

    def forward(self, x):
        x = self.modules_(self.stem(x))
        return self.head(self.drop(x)).mean((2, 3))


def build(name, dropout=None):
    if name == "compact-cnn" or name.startswith("compact-cnn-w"):
        # compact-cnn-w24: 24 channels in the first block (models/names.ts COMPACT_VARIANT)
        width = int(name[len("compact-cnn-w"):]) if name != "compact-cnn" else 16
        return CompactCnn(width=width, dropout=0.3 if dropout is None else dropout)
    if name == "mini-xception":
        return XceptionFer(1, 2, 0.0 if dropout is None else dropout)
    if name.startswith("xception-fer"):
        # xception-fer-w2, xception-fer-w3d3: width and depth in the name
        width, depth = 2, 2
        for part in name.split("-")[2:]:
            if part.startswith("w"):
                rest = part[1:]
                if "d" in rest:
                    rest, d = rest.split("d")
                    depth = int(d)
                width = int(rest)
        return XceptionFer(width, depth, 0.2 if dropout is None else dropout)
    raise SystemExit(f"unknown model {name}")


def params(model):
    return sum(p.numel() for p in model.parameters())


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


def load_fer(root, cache):
    if cache and os.path.exists(cache):
        d = np.load(cache)
        return d["x"], d["y"]
    from PIL import Image

    xs, ys = [], []
    for ci, c in enumerate(CLASSES):
        folder = os.path.join(root, "train", c)
        for f in sorted(os.listdir(folder)):
            xs.append(np.asarray(Image.open(os.path.join(folder, f)).convert("L"), dtype=np.uint8))
            ys.append(ci)
    x, y = np.stack(xs), np.array(ys, dtype=np.int64)
    if cache:
        np.savez(cache, x=x, y=y)
    return x, y


def stratified(y, fraction, rng):
    idx = []
    for c in range(7):
        ci = np.flatnonzero(y == c)
        rng.shuffle(ci)
        idx.append(ci[: max(1, int(round(len(ci) * fraction)))])
    return np.concatenate(idx)


def augment(x, args, gen):
    """Batch affine warp on (N,1,48,48): rotation, zoom, shift, flip; then optional random crop."""
    n = x.shape[0]
    ang = (torch.rand(n, generator=gen) * 2 - 1) * math.radians(args.rotation)
    zoom = 1 + (torch.rand(n, generator=gen) * 2 - 1) * args.zoom
    tx = (torch.rand(n, generator=gen) * 2 - 1) * args.shift * 2
    ty = (torch.rand(n, generator=gen) * 2 - 1) * args.shift * 2
    flip = torch.where(torch.rand(n, generator=gen) < 0.5, -1.0, 1.0)
    cos, sin = torch.cos(ang) / zoom, torch.sin(ang) / zoom
    theta = torch.stack(
        [torch.stack([cos * flip, -sin, tx], 1), torch.stack([sin * flip, cos, ty], 1)], 1
    )
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, padding_mode="border", align_corners=False)
    if args.crop and args.crop < 48:
        p = args.padding
        xp = F.pad(x, (p, p, p, p), mode="replicate") if p else x
        span = xp.shape[-1] - args.crop + 1
        ox = torch.randint(0, span, (n,), generator=gen)
        oy = torch.randint(0, span, (n,), generator=gen)
        x = torch.stack(
            [xp[i, :, oy[i] : oy[i] + args.crop, ox[i] : ox[i] + args.crop] for i in range(n)]
        )
    return x


def center(x, crop):
    if not crop or crop >= 48:
        return x
    o = (48 - crop) // 2
    return x[:, :, o : o + crop, o : o + crop]


def lr_at(args, epoch, step, steps):
    t = epoch + step / steps
    if args.warmup and t < args.warmup:
        return args.lr * t / args.warmup
    if args.schedule == "cosine":
        span = max(1e-9, args.epochs - args.warmup)
        return args.min_lr + 0.5 * (args.lr - args.min_lr) * (1 + math.cos(math.pi * (t - args.warmup) / span))
    return args.lr  # constant / plateau handled per epoch


def proxy(args):
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    x, y = load_fer(args.fer, args.cache)
    val = stratified(y, 0.1, np.random.default_rng(1))  # the same split for every seed
    rest = np.setdiff1d(np.arange(len(y)), val)
    train = rest[stratified(y[rest], args.fraction, rng)] if args.fraction < 1 else rest
    xt = torch.from_numpy(x[train]).float().div(255).unsqueeze(1)
    yt = torch.from_numpy(y[train])
    xv = torch.from_numpy(x[val]).float().div(255).unsqueeze(1)
    yv = torch.from_numpy(y[val])
    counts = np.bincount(y[train], minlength=7)
    w = np.sqrt(counts.max() / counts) if args.weights == "sqrt" else np.ones(7)
    w = w / (w[y[train]].mean())
    model = build(args.model, args.dropout)
    if args.optimizer == "sgd":
        opt = torch.optim.SGD(model.parameters(), args.lr, momentum=args.momentum, nesterov=True,
                              weight_decay=args.weight_decay)
    else:
        opt = torch.optim.Adam(model.parameters(), args.lr, weight_decay=args.weight_decay)
    loss_fn = nn.CrossEntropyLoss(weight=torch.tensor(w, dtype=torch.float32),
                                  label_smoothing=args.label_smoothing)
    gen = torch.Generator().manual_seed(args.seed)
    plateau_lr, best_loss, wait = args.lr, float("inf"), 0
    t0 = time.time()
    steps = math.ceil(len(train) / args.batch)
    result = {"model": args.model, "params": params(model), "seed": args.seed,
              "recipe": {k: v for k, v in vars(args).items() if k not in ("cmd", "fer", "cache", "out")},
              "cpu": cpu_model(), "epochs": []}
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(train), generator=gen)
        correct = seen = 0
        for s in range(steps):
            b = perm[s * args.batch : (s + 1) * args.batch]
            lr = plateau_lr if args.schedule == "plateau" else lr_at(args, epoch, s, steps)
            for g in opt.param_groups:
                g["lr"] = lr
            xb = augment(xt[b], args, gen)
            out = model(xb)
            loss = loss_fn(out, yt[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            correct += (out.argmax(1) == yt[b]).sum().item()
            seen += len(b)
        model.eval()
        with torch.no_grad():
            vo = torch.cat([model(center(xv[i : i + 512], args.crop)) for i in range(0, len(val), 512)])
            vf = torch.cat([model(center(xv[i : i + 512].flip(3), args.crop)) for i in range(0, len(val), 512)])
            vloss = F.cross_entropy(vo, yv).item()
            vacc = (vo.argmax(1) == yv).float().mean().item()
            vflip = ((vo.softmax(1) + vf.softmax(1)).argmax(1) == yv).float().mean().item()
        if args.schedule == "plateau":
            if vloss < best_loss - 1e-4:
                best_loss, wait = vloss, 0
            else:
                wait += 1
                if wait >= args.patience:
                    plateau_lr, wait = max(plateau_lr * 0.5, 1e-5), 0
        row = {"epoch": epoch + 1, "minutes": round((time.time() - t0) / 60, 2), "lr": lr,
               "train_acc": round(correct / seen, 4), "val_loss": round(vloss, 4),
               "val_acc": round(vacc, 4), "val_acc_flip": round(vflip, 4)}
        result["epochs"].append(row)
        print(json.dumps(row), flush=True)
    last = result["epochs"][-1]
    result.update(val_acc=last["val_acc"], val_acc_flip=last["val_acc_flip"],
                  best_val_acc=max(e["val_acc"] for e in result["epochs"]),
                  minutes=last["minutes"], train_images=len(train))
    print(json.dumps({k: v for k, v in result.items() if k != "epochs"}))
    if args.out:
        with open(args.out, "a") as f:
            f.write(json.dumps(result) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cmd", choices=["bench", "conv", "proxy"])
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
    elif args.cmd == "conv":
        conv(args)
    else:
        if not os.path.isdir(os.path.join(args.fer, "train")):
            print(f"proxy needs FER-2013 at {args.fer}/train/<class>/ (not found)")
            sys.exit(1)
        proxy(args)


if __name__ == "__main__":
    main()
