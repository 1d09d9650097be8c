#!/usr/bin/python3
"""Generated datasets of different character for the parity comparison (ImageFolder layout, JPEG, 32 px):

- strokes:  thin strokes on a blank background; each class is a glyph (a fixed polyline), drawn with a random
            position, scale, rotation and stroke width (what digit-like data looks like);
- textures: natural-image-like crops; each class is a texture family (fractal noise shaped by a class-specific
            spectrum slope, orientation and palette, the last two jittered per image so that colour alone does not
            give the class away), cropped at a random place and scale.

    /usr/bin/python3 bench/parity/make_datasets.py OUT_DIR [--train-per-class 140] [--val-per-class 50] [--seed 0]

writes OUT_DIR/strokes and OUT_DIR/textures. The synthetic track's own set comes from `./lb synth`.
"""
import argparse
import math
import os

import numpy as np
from PIL import Image, ImageDraw

SIZE = 32
CLASSES = 10


def glyphs(rng):
    """Ten fixed polylines in the unit square, one per class."""
    return [rng.uniform(0.1, 0.9, size=(rng.integers(3, 6), 2)) for _ in range(CLASSES)]


def draw_stroke(glyph, rng):
    scale = 4  # draw large, then downsample: anti-aliased thin strokes
    canvas = Image.new("L", (SIZE * scale, SIZE * scale), 0)
    angle, zoom = rng.uniform(-0.4, 0.4), rng.uniform(0.7, 1.0)
    shift = rng.uniform(-0.1, 0.1, size=2)
    c, s = math.cos(angle), math.sin(angle)
    pts = [((0.5 + zoom * (c * (x - 0.5) - s * (y - 0.5)) + shift[0]) * SIZE * scale,
            (0.5 + zoom * (s * (x - 0.5) + c * (y - 0.5)) + shift[1]) * SIZE * scale) for x, y in glyph]
    ImageDraw.Draw(canvas).line(pts, fill=255, width=int(rng.integers(3, 7)), joint="curve")
    grey = np.asarray(canvas.resize((SIZE, SIZE), Image.BILINEAR), dtype=np.float32) / 255
    ink = rng.uniform(0.6, 1.0, size=3)
    return np.clip(grey[..., None] * ink * 255, 0, 255).astype(np.uint8)


def texture_params(rng):
    return [dict(slope=rng.uniform(1.0, 3.0), angle=rng.uniform(0, math.pi), aniso=rng.uniform(1, 4),
                 palette=rng.uniform(0, 1, size=(2, 3))) for _ in range(CLASSES)]


def draw_texture(p, rng):
    n = 96
    fy, fx = np.meshgrid(np.fft.fftfreq(n), np.fft.fftfreq(n), indexing="ij")
    angle = p["angle"] + rng.normal(0, 0.25)  # orientation, palette and crop vary per image: the class is the texture
    c, s = math.cos(angle), math.sin(angle)
    u, v = c * fx + s * fy, (-s * fx + c * fy) * p["aniso"]
    radius = np.sqrt(u * u + v * v) + 1e-3
    spectrum = radius ** -p["slope"] * np.exp(2j * math.pi * rng.uniform(size=(n, n)))
    field = np.real(np.fft.ifft2(spectrum))
    field = (field - field.mean()) / (field.std() + 1e-8)
    t = 1 / (1 + np.exp(-1.5 * field))
    lo, hi = np.clip(p["palette"] + rng.normal(0, 0.3, size=(2, 3)), 0, 1)
    rgb = (lo + (hi - lo) * t[..., None]) * 255
    crop = int(rng.integers(40, n))
    y, x = rng.integers(0, n - crop + 1, size=2)
    image = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8)[y:y + crop, x:x + crop])
    return np.asarray(image.resize((SIZE, SIZE), Image.BICUBIC))


def write(out, kind, params, draw, train_per_class, val_per_class, rng):
    for split, count in (("train", train_per_class), ("val", val_per_class)):
        for k in range(CLASSES):
            folder = os.path.join(out, kind, split, f"class{k:02d}")
            os.makedirs(folder, exist_ok=True)
            for i in range(count):
                Image.fromarray(draw(params[k], rng)).save(os.path.join(folder, f"{i:04d}.JPEG"), quality=92)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--train-per-class", type=int, default=140)
    ap.add_argument("--val-per-class", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    write(a.out, "strokes", glyphs(rng), draw_stroke, a.train_per_class, a.val_per_class, rng)
    write(a.out, "textures", texture_params(rng), draw_texture, a.train_per_class, a.val_per_class, rng)


if __name__ == "__main__":
    main()
