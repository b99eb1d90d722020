"""FER Studio's architectures in PyTorch, layer for layer as models/*.ts builds them (torch_peer.py)."""
import torch.nn as nn


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
