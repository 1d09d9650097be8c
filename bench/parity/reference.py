#!/usr/bin/python3
"""PyTorch reference trainer for learning-speed parity (issue 16): the platform's plain ViT recipe in ~200 lines of
PyTorch + torchvision (Debian's python3-torch / python3-torchvision), so that `lb train` can be checked against it.

It mirrors `lb train` with a plain ViT recipe: the model (timm layout: patch conv, class token, learned position
embedding, pre-norm blocks, LayerNorm eps 1e-6, GELU), the recipe's initialisation (--init torch: PyTorch's module
defaults, as vit-plain.yaml; timm: trunc-normal .02 Linear weights, zero biases; both: trunc-normal .02 position
embedding, class token normal 1e-6), AdamW with two parameter groups (no weight decay on biases, norms,
position embedding and class token), linear warmup then cosine to min_lr over progress, label-smoothed cross entropy,
RandomResizedCrop + flip (+ RandAugment), ImageNet normalisation, the 2 % held-back slice of train (as `lb train`
excludes it), and evaluation resize + centre crop on the val split.

    /usr/bin/python3 bench/parity/reference.py --dataset DIR --budget 60 --seed 0           # time budget (progress = elapsed / budget)
    /usr/bin/python3 bench/parity/reference.py --dataset DIR --steps 500 --seed 0           # fixed steps (progress = step / steps)

Prints one JSON line: {"steps", "seconds", "top1", "top5"} (top-1/top-5 in percent on the val split).
"""
import argparse
import json
import math
import os
import random
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision import datasets, transforms

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from train_pytorch import VisionTransformer  # noqa: E402  (bench/: the same timm-layout ViT the speed bench uses)

MEAN, STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
BICUBIC = transforms.InterpolationMode.BICUBIC  # as lb (timm's default for ViTs); torchvision's default is bilinear


def init_weights(model, scheme):
    """timm: trunc-normal(.02) Linear weights and position embedding, class token normal(1e-6), zero biases;
    torch: PyTorch's module defaults (kaiming-uniform Linear), the same embeddings."""
    nn.init.trunc_normal_(model.pos_embed, std=0.02)
    nn.init.normal_(model.cls_token, std=1e-6)
    if scheme == "torch":
        return
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.trunc_normal_(m.weight, std=0.02)
            nn.init.zeros_(m.bias)


def param_groups(model, weight_decay):
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if p.ndim <= 1 or name in ("pos_embed", "cls_token") else decay).append(p)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


def lr_at(progress, base, warmup, min_lr):
    if progress < warmup:
        return base * progress / warmup
    t = min(1.0, (progress - warmup) / max(1e-9, 1 - warmup))
    return min_lr + (base - min_lr) * 0.5 * (1 + math.cos(math.pi * t))


def split_held_out(n, seed, fraction=0.02, most=1000):
    held = min(most, int(n * fraction))
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return sorted(order[held:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", required=True)
    ap.add_argument("--budget", type=float, help="seconds; progress = elapsed / budget")
    ap.add_argument("--steps", type=int, help="fixed steps; progress = step / steps")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dim", type=int, default=96)
    ap.add_argument("--depth", type=int, default=4)
    ap.add_argument("--heads", type=int, default=3)
    ap.add_argument("--patch", type=int, default=4)
    ap.add_argument("--img", type=int, default=32)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--weight-decay", type=float, default=0.05)
    ap.add_argument("--warmup", type=float, default=0.05)
    ap.add_argument("--min-lr", type=float, default=1e-5)
    ap.add_argument("--label-smoothing", type=float, default=0.1)
    ap.add_argument("--crop", choices=["rrc", "pad", "none"], default="rrc",
                    help="rrc: random-resized crop; pad: zero-pad by --padding then random crop; none: resize + centre crop")
    ap.add_argument("--scale-min", type=float, default=0.08)
    ap.add_argument("--padding", type=int, default=4)
    ap.add_argument("--flip", type=float, default=0.5, help="horizontal flip probability")
    ap.add_argument("--randaugment", type=int, default=0,
                    help="RandAugment magnitude on timm's 0-10 scale (2 ops, every op applied); 0 = off")
    ap.add_argument("--crop-ratio", type=float, default=1.0)
    ap.add_argument("--init", choices=["timm", "torch"], default="torch", help="as vit-plain.yaml's model.init")
    ap.add_argument("--hold-out", type=float, default=0.02, help="fraction of train held back, as lb train does")
    ap.add_argument("--threads", type=int, default=0)
    a = ap.parse_args()
    if (a.budget is None) == (a.steps is None):
        ap.error("give exactly one of --budget and --steps")
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    random.seed(a.seed)

    crops = {
        "rrc": [transforms.RandomResizedCrop(a.img, scale=(a.scale_min, 1.0), interpolation=BICUBIC)],
        "pad": [transforms.Resize(a.img, interpolation=BICUBIC), transforms.CenterCrop(a.img),
                transforms.RandomCrop(a.img, padding=a.padding)],
        "none": [transforms.Resize(a.img, interpolation=BICUBIC), transforms.CenterCrop(a.img)],
    }
    train_ops = crops[a.crop] + [transforms.RandomHorizontalFlip(a.flip)]
    if a.randaugment:
        # 11 bins: magnitude m is m/10 of each op's maximum, as timm's rand-m{m} (torchvision's default 31 bins is m/30).
        train_ops.append(transforms.RandAugment(2, a.randaugment, num_magnitude_bins=11))
    normalize = [transforms.ToTensor(), transforms.Normalize(MEAN, STD)]
    train = datasets.ImageFolder(f"{a.dataset}/train", transforms.Compose(train_ops + normalize))
    train = torch.utils.data.Subset(train, split_held_out(len(train), a.seed, a.hold_out))
    val = datasets.ImageFolder(f"{a.dataset}/val", transforms.Compose(
        [transforms.Resize(int(a.img / a.crop_ratio), interpolation=BICUBIC), transforms.CenterCrop(a.img)] + normalize))
    classes = len(val.classes)
    # Decoding is not what is compared: cache the decoded images once (the transforms still run per sample).
    cache = {}
    base_loader = train.dataset.loader
    train.dataset.loader = lambda path: cache.setdefault(path, base_loader(path))
    loader = torch.utils.data.DataLoader(train, batch_size=a.batch, shuffle=True, drop_last=True, num_workers=0)

    model = VisionTransformer(a.dim, a.depth, a.heads, a.img, patch=a.patch, classes=classes)
    init_weights(model, a.init)
    opt = torch.optim.AdamW(param_groups(model, a.weight_decay), lr=a.lr)
    step, start = 0, time.perf_counter()

    def progress():
        return step / a.steps if a.steps else (time.perf_counter() - start) / a.budget

    model.train()
    while progress() < 1:
        for x, y in loader:
            if progress() >= 1:
                break
            for g in opt.param_groups:
                g["lr"] = lr_at(progress(), a.lr, a.warmup, a.min_lr)
            loss = F.cross_entropy(model(x), y, label_smoothing=a.label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
    seconds = time.perf_counter() - start

    model.eval()
    top1 = top5 = n = 0
    with torch.no_grad():
        for x, y in torch.utils.data.DataLoader(val, batch_size=256):
            best = model(x).topk(min(5, classes), dim=1).indices
            top1 += (best[:, 0] == y).sum().item()
            top5 += (best == y[:, None]).any(dim=1).sum().item()
            n += len(y)
    print(json.dumps({"steps": step, "seconds": round(seconds, 1), "top1": round(100 * top1 / n, 2), "top5": round(100 * top5 / n, 2)}))


if __name__ == "__main__":
    main()
