#!/usr/bin/python3
"""Reference data-pipeline throughput: torchvision ImageFolder + the DeiT train transforms.

Compare with `./lb bench data --dataset DIR --size 224 --augment deit --threads N` (Leaderboard.Imaging.DataBench).
Same work per image: read JPEG, PIL decode, RandomResizedCrop(size, bicubic), horizontal flip, RandAugment (2 ops,
magnitude 9), ToTensor, Normalize(ImageNet), RandomErasing(0.25, per-pixel random values).

  --workers 0   one process, a plain loop: per-core throughput (the fair per-core comparison)
  --workers N   torch DataLoader with N worker processes, batch 64

Prints JSON with the keys of the C# bench (images_per_second, images_per_second_per_core, threads, images, seconds)
plus cpu_seconds / images_per_cpu_second (process CPU time, children included: robust on a busy machine).
Uses Debian's python3-torchvision (/usr/bin/python3). timm's rand-m9-mstd0.5-inc1 is used when timm is importable,
else torchvision's RandAugment(num_ops=2, magnitude=9) (same op family, similar cost).
"""
import argparse
import json
import os
import resource
import time

import torch
from torchvision import datasets, transforms
from torchvision.transforms import InterpolationMode


def cpu_seconds():
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def build_transform(size, augment):
    mean, std = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
    if augment == "eval":
        return transforms.Compose([
            transforms.Resize(int(size / 0.875), interpolation=InterpolationMode.BICUBIC),
            transforms.CenterCrop(size), transforms.ToTensor(), transforms.Normalize(mean, std)])
    ops = [transforms.RandomResizedCrop(size, interpolation=InterpolationMode.BICUBIC), transforms.RandomHorizontalFlip()]
    if augment == "deit":
        try:
            from timm.data.auto_augment import rand_augment_transform
            ops.append(rand_augment_transform("rand-m9-mstd0.5-inc1",
                                              dict(translate_const=int(size * 0.45), img_mean=(124, 116, 104))))
        except ImportError:
            ops.append(transforms.RandAugment(num_ops=2, magnitude=9, interpolation=InterpolationMode.BICUBIC))
    ops += [transforms.ToTensor(), transforms.Normalize(mean, std)]
    if augment == "deit":
        ops.append(transforms.RandomErasing(p=0.25, value="random"))
    return transforms.Compose(ops)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dataset", required=True, help="ImageFolder root (uses DIR/train)")
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--augment", default="deit", choices=["deit", "none", "eval"])
    p.add_argument("--workers", type=int, default=0)
    p.add_argument("--max-images", type=int, default=0)
    p.add_argument("--batch-size", type=int, default=64)
    a = p.parse_args()

    torch.set_num_threads(1)
    ds = datasets.ImageFolder(os.path.join(a.dataset, "train"), transform=build_transform(a.size, a.augment))
    n = len(ds) if a.max_images <= 0 else min(a.max_images, len(ds))
    idx = [int(i * len(ds) / n) for i in range(n)]
    for i in idx:  # warm the page cache, like the C# bench
        with open(ds.samples[i][0], "rb") as f:
            f.read()
    subset = torch.utils.data.Subset(ds, idx)
    for i in range(min(8, n)):  # warm-up
        subset[i]

    c0, t0 = cpu_seconds(), time.perf_counter()
    images = 0
    if a.workers == 0:
        for i in range(n):
            img, _ = subset[i]
            images += 1
    else:
        loader = torch.utils.data.DataLoader(subset, batch_size=a.batch_size, shuffle=True, num_workers=a.workers,
                                             drop_last=False, persistent_workers=False)
        for x, _ in loader:
            images += x.shape[0]
    seconds = time.perf_counter() - t0
    cpu = cpu_seconds() - c0
    threads = max(1, a.workers)
    print(json.dumps({
        "images_per_second": round(images / seconds, 1),
        "images_per_second_per_core": round(images / seconds / threads, 1),
        "threads": threads, "images": images, "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3), "images_per_cpu_second": round(images / cpu, 1),
        "size": a.size, "augment": a.augment, "library": "torchvision " + __import__("torchvision").__version__,
    }))


if __name__ == "__main__":
    main()
