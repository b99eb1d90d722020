"""torch_peer.py proxy: a short training run on a stratified fraction of FER-2013 train, scored on a
validation split of train only (the test folder is never read)."""
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_models import build, params

CLASSES = ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"]


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


def proxy(args, cpu):
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
              "cpu": cpu, "epochs": []}
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
