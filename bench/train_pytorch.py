#!/usr/bin/env python3
"""PyTorch-eager reference for `lb-trainer bench train`: the same DeiT model, batch, AdamW and cross-entropy, timed
the same way (warm-up steps excluded; per-step wall time, synchronised on CUDA), printing the same JSON.

    /usr/bin/python3 bench/train_pytorch.py --model deit_tiny --img 64 --batch 64 --steps 30 --device cpu

The model is built by hand (timm's layout and parameter names) so that no third-party package beyond torch is needed.
Attention is F.scaled_dot_product_attention where torch has it (2.x, as TorchSharp's libtorch 2.10), else
matmul-softmax-matmul (Debian 12's torch 1.13). --precision bf16 runs the step under torch.autocast, the reference
for the trainer's own mixed precision.
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

DIMS = {"deit_tiny": (192, 12, 3), "deit_small": (384, 12, 6), "deit_base": (768, 12, 12)}


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        if hasattr(F, "scaled_dot_product_attention"):
            x = F.scaled_dot_product_attention(q, k, v)
        else:
            attn = (q * (c // self.heads) ** -0.5) @ k.transpose(-2, -1)
            x = attn.softmax(dim=-1) @ v
        return self.proj(x.transpose(1, 2).reshape(b, n, c))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, dim * 4)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    def __init__(self, dim, patch):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, patch, patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class VisionTransformer(nn.Module):
    def __init__(self, dim, depth, heads, img, patch=16, classes=1000):
        super().__init__()
        self.patch_embed = PatchEmbed(dim, patch)
        n = (img // patch) ** 2
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, n + 1, dim) * 0.02)
        self.blocks = nn.Sequential(*[Block(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.patch_embed(x)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1) + self.pos_embed
        x = self.norm(self.blocks(x))
        return self.head(x[:, 0])


def percentile(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(q / 100 * len(s)) - 1))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="deit_tiny", choices=sorted(DIMS))
    ap.add_argument("--img", type=int, default=64)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--classes", type=int, default=1000)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--precision", default="fp32", choices=["fp32", "bf16"])
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    dim, depth, heads = DIMS[a.model]
    dev = torch.device(a.device)
    model = VisionTransformer(dim, depth, heads, a.img, classes=a.classes).to(dev).train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    x = torch.randn(a.batch, 3, a.img, a.img, device=dev)
    y = torch.randint(0, a.classes, (a.batch,), device=dev)
    times = []
    for i in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=a.precision == "bf16"):
            logits = model(x)
        loss = F.cross_entropy(logits.float(), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        loss.item()
        if dev.type == "cuda":
            torch.cuda.synchronize()
        if i >= a.warmup:
            times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({
        "library": "pytorch " + torch.__version__, "model": a.model, "img": a.img, "batch": a.batch,
        "steps": a.steps, "warmup": a.warmup, "device": a.device, "precision": a.precision, "threads": torch.get_num_threads(),
        "images_per_second": round(a.batch * len(times) / (sum(times) / 1000), 2),
        "step_ms_p50": round(percentile(times, 50), 2), "step_ms_p90": round(percentile(times, 90), 2),
        "step_ms_p99": round(percentile(times, 99), 2),
    }))


if __name__ == "__main__":
    main()
