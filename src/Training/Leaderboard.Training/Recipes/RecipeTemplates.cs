namespace Leaderboard.Training.Recipes;

/// <summary>A starting point offered by the submission form and the API: a commented YAML recipe and the track it is meant for.</summary>
public sealed record RecipeTemplate(string Name, string Description, string Yaml)
{
    /// <summary>Slug of the track the template is made for (its rules validate it).</summary>
    public string Track { get; init; } = "";
}

/// <summary>The recipes a newcomer can start from. Each parses and validates against the rules of its <see cref="RecipeTemplate.Track"/>.</summary>
public static class RecipeTemplates
{
    public static RecipeTemplate DeitTinyBaseline { get; } = new(
        "deit-tiny-baseline",
        "Plain DeiT-Ti (Touvron et al. 2021): 5.7M params, 1.3 GFLOPs at 224 px, the DeiT augmentation recipe, cosine schedule over the budget. "
        + "For the ImageNet-1k GPU tracks (imagenet1k-1gpu-24h, imagenet1k-1gpu-1h).",
        """
        # DeiT-Ti, trained the DeiT way but planned by the wall-clock budget instead of 300 epochs.
        model:
          variant: tiny          # 192 dims x 12 blocks x 3 heads (5.7M params)
          patch_size: 16         # 14x14 = 196 tokens at 224 px
          pooling: cls           # classify from the class token, as DeiT
          drop_path: 0.1         # stochastic depth of the last block (DeiT-Ti)
        optimizer:
          name: adamw
          lr: 0.0005             # DeiT: 5e-4 x batch / 512, here at batch 512
          weight_decay: 0.05
        schedule:
          name: cosine
          over: budget           # progress = elapsed / budget: the schedule ends exactly at the deadline
          warmup: 0.05           # 5 % of the budget of linear warmup
          min_lr: 0.00001
        training:
          batch_size: 512
          precision: bf16        # mixed precision on the GPU
          label_smoothing: 0.1
        data:
          image_size: 224
          augment: deit          # random-resized-crop, flip, RandAugment (m9), random erasing
          mixup: 0.8             # Beta(0.8, 0.8) mixup and Beta(1, 1) CutMix, one of them per batch
          cutmix: 1.0
          repeated_augment: 1    # DeiT uses 3; in a budget of a few epochs it costs more than it gives
        evaluation:
          image_size: 224
          crop_ratio: 0.875      # resize to 256, center-crop 224
        seed: 0
        """) { Track = "imagenet1k-1gpu-24h" };

    public static RecipeTemplate LocalityCurriculum { get; } = new(
        "locality-curriculum",
        "Irandoust et al. 2022, \"Training a Vision Transformer from scratch in less than 24 hours with 1 GPU\": a ViT-S with the locality FFN "
        + "(depth-wise 3x3 convolution between the FFN's linears, h-swish) and an image-size curriculum from 32 to 224 px. "
        + "For the ImageNet-1k GPU tracks (made for imagenet1k-1gpu-24h).",
        """
        # Irandoust et al. 2022: locality in the FFN makes a ViT data- and compute-efficient early on, and
        # training first on small images buys many more epochs within the same 24 hours.
        model:
          variant: small         # 384 dims x 12 blocks x 6 heads
          patch_size: 16
          ffn: locality          # fc1 -> h-swish -> depth-wise 3x3 conv over the patch grid -> h-swish -> fc2
          drop_path: 0.1
        optimizer:
          name: adamw
          lr: 0.001              # a short budget tolerates a higher learning rate than DeiT's
          weight_decay: 0.05
          clip_grad_norm: 1.0    # size changes jolt the loss; clipping keeps the first steps after them stable
        schedule:
          name: cosine
          over: budget
          warmup: 0.02
          min_lr: 0.00001
        training:
          batch_size: 256
          precision: bf16
          label_smoothing: 0.1
        data:
          image_size: 224        # the final training size
          curriculum:            # 32, 64, ..., 224 px; position embeddings are interpolated at each change
            start: 32
            step: 32
            every: 0.1           # the paper steps every 5 epochs; as budget fractions the plan holds on any GPU:
            unit: budget         # 224 px is reached at 60 % of the budget and trained for the last 40 %
          augment: medium        # lighter than DeiT's: a short schedule underfits rather than overfits
          mixup: 0.0
          cutmix: 0.0
        evaluation:
          image_size: 224
          crop_ratio: 0.875
        seed: 0
        """) { Track = "imagenet1k-1gpu-24h" };

    // Beyer, Zhai, Kolesnikov 2022, "Better plain ViT baselines for ImageNet-1k" (arXiv 2205.01580), ViT-S/16 on
    // ImageNet-1k at 224 px, batch 1024: 76.5 % top-1 after 90 epochs (under 7 h on a TPUv3-8), 78.5 % after 150,
    // 80.0 % after 300 (under a day). big_vision's config: Adam (0.9, 0.999), lr 0.001, decoupled wd 0.0001 (= AdamW
    // weight_decay 0.1 at lr 0.001), 10k warmup steps (≈ 8 epochs) then cosine to zero, gradient clipping at 1,
    // inception crop + flip + RandAugment(2, 10), mixup Beta(0.2, 0.2), no dropout, no stochastic depth, no label
    // smoothing, GAP, fixed 2-D sin-cos position embeddings, zero-initialised linear head (the paper's "head: MLP →
    // linear" ablation, 76.7 % at 90 epochs).
    public static RecipeTemplate PlainVitS16 { get; } = new(
        "plain-vit-s16",
        "Beyer et al. 2022, \"Better plain ViT baselines for ImageNet-1k\": a plain ViT-S/16 (22M params, 4.6 GFLOPs) with GAP, fixed 2-D sin-cos "
        + "position embeddings, a zero-initialised head, batch 1024, warmup + cosine to zero over the budget, RandAugment(2, 10) + mixup 0.2 "
        + "and gradient clipping at 1: 76.5 % in 90 epochs, 80.0 % in 300 on a TPUv3-8. For the ImageNet-1k GPU tracks (imagenet1k-1gpu-24h, "
        + "imagenet1k-1gpu-1h); batch 1024 at 224 px needs an 80 GB GPU.",
        """
        # Beyer et al. 2022: 76.5 % top-1 in 90 epochs and 80.0 % in 300 (a TPUv3-8, under a day) with a plain ViT-S/16.
        # Here the schedule spans the budget, so the epochs are whatever the GPU fits (see the cost estimate per GPU class).
        model:
          variant: small         # 384 dims x 12 blocks x 6 heads
          patch_size: 16         # 14x14 = 196 tokens at 224 px
          pooling: gap           # global average pooling, no class token
          pos_embed: sincos2d    # fixed 2-D sin-cos position embeddings (no parameter)
          zero_head: true        # the head starts at zero: uniform predictions at step 0
          dropout: 0.0           # no dropout ...
          drop_path: 0.0         # ... and no stochastic depth
        optimizer:
          name: adamw
          lr: 0.001              # the paper's lr at batch 1024 (scale linearly with the batch: lr = 0.001 x batch / 1024)
          weight_decay: 0.1      # big_vision's decoupled wd 0.0001 is 0.1 in AdamW's lr-scaled form at lr 0.001
          clip_grad_norm: 1.0
        schedule:
          name: cosine
          over: budget           # progress = elapsed / budget: the cosine reaches zero exactly at the deadline
          warmup: 0.03           # linear warmup from 0; the paper's 10k steps when about 300 epochs fit the budget
          min_lr: 0.0            # cosine to zero
        training:
          batch_size: 1024
          precision: bf16
          label_smoothing: 0.0   # the paper uses none
        data:
          image_size: 224
          augment: strong        # inception crop (random-resized-crop) + flip + RandAugment(2 ops, magnitude 10)
          crop: { scale_min: 0.05 }  # the paper's inception crop keeps 5-100 % of the image (timm's default: 8 %)
          mixup: 0.2             # mixup Beta(0.2, 0.2), no CutMix
          cutmix: 0.0
        evaluation:
          image_size: 224
          crop_ratio: 0.875      # resize to 256, center-crop 224
        seed: 0
        """) { Track = "imagenet1k-1gpu-24h" };

    // The plain ViT-S/16 above plus the two ideas of Irandoust et al. 2022 (locality FFN + image-size curriculum, 53.98 %
    // in 24 h on one RTX-5000-class GPU against DeiT-S's 43.05 %), to test whether the two lines of work add up.
    public static RecipeTemplate PlainVitS16Curriculum { get; } = new(
        "plain-vit-s16-curriculum",
        "plain-vit-s16 (Beyer et al. 2022) with the locality FFN and the 32 -> 224 px image-size curriculum of Irandoust et al. 2022, "
        + "to test whether the two ideas add up; the sin-cos position embeddings follow every curriculum size exactly. "
        + "For the ImageNet-1k GPU tracks (imagenet1k-1gpu-24h, imagenet1k-1gpu-1h); batch 1024 at 224 px needs an 80 GB GPU.",
        """
        # Beyer et al. 2022's plain ViT-S/16 recipe with Irandoust et al. 2022's locality FFN and image-size curriculum.
        model:
          variant: small
          patch_size: 16
          pooling: gap
          pos_embed: sincos2d    # computed for each curriculum size: nothing is interpolated
          zero_head: true
          ffn: locality          # fc1 -> h-swish -> depth-wise 3x3 conv over the patch grid -> h-swish -> fc2
          dropout: 0.0
          drop_path: 0.0
        optimizer:
          name: adamw
          lr: 0.001
          weight_decay: 0.1
          clip_grad_norm: 1.0    # also keeps the steps after each size change stable
        schedule:
          name: cosine
          over: budget
          warmup: 0.03
          min_lr: 0.0
        training:
          batch_size: 1024
          precision: bf16
          label_smoothing: 0.0
        data:
          image_size: 224        # the final training size
          curriculum:            # 32, 64, ..., 224 px, as in the locality-curriculum template
            start: 32
            step: 32
            every: 0.1           # 224 px from 60 % of the budget on
            unit: budget
          augment: strong
          crop: { scale_min: 0.05 }
          mixup: 0.2
          cutmix: 0.0
        evaluation:
          image_size: 224
          crop_ratio: 0.875
        seed: 0
        """) { Track = "imagenet1k-1gpu-24h" };

    // Touvron et al. 2021 (DeiT), Table 5: DeiT-Ti 72.2 % top-1, DeiT-Ti with a distillation token and hard distillation
    // from a RegNetY-16GF teacher 74.5 % (300 epochs, batch 1024, lr 5e-4 × batch / 512, alpha 0.5).
    public static RecipeTemplate DeitTinyDistilled { get; } = new(
        "deit-tiny-distilled",
        "DeiT-Ti with the distillation token (Touvron et al. 2021): the class head learns from the labels, the distillation head from "
        + "the hard decisions of a teacher, a completed run on the same track (set teacher_run to its id; e.g. a plain-vit-s16 run). "
        + "The teacher's forward pass is paid from the budget. For the ImageNet-1k GPU tracks (imagenet1k-1gpu-24h, imagenet1k-1gpu-1h).",
        """
        # DeiT-Ti distilled from an earlier run on this track (DeiT: 72.2 % -> 74.5 % with hard distillation).
        model:
          variant: tiny
          patch_size: 16
          distillation_token: true  # a second token and head; at inference the two heads' logits are averaged
          drop_path: 0.1
        optimizer:
          name: adamw
          lr: 0.0005             # DeiT: 5e-4 x batch / 512
          weight_decay: 0.05
        schedule:
          name: cosine
          over: budget
          warmup: 0.05
          min_lr: 0.00001
        training:
          batch_size: 512
          precision: bf16
          label_smoothing: 0.1
          distillation:
            teacher_run: 1       # the id of a completed run on this track: replace it with your teacher's
            type: hard           # cross-entropy with the teacher's argmax (DeiT's best); soft = KL at temperature tau
            alpha: 0.5           # loss = 0.5 x CE(class head, labels) + 0.5 x CE(distillation head, teacher)
        data:
          image_size: 224
          augment: deit
          mixup: 0.8
          cutmix: 1.0
        evaluation:
          image_size: 224
          crop_ratio: 0.875
        seed: 0
        """) { Track = "imagenet1k-1gpu-24h" };

    public static RecipeTemplate TinyQuick { get; } = new(
        "tiny-quick",
        "A very small ViT (96 dims x 4 blocks, 0.46M params) that learns something in two minutes on a CPU. "
        + "For the synthetic-cpu-2min track (10 classes, 32 px images).",
        """
        # Small enough to run many epochs of the synthetic dataset in two minutes on a laptop CPU.
        model:
          variant: custom
          embed_dim: 96
          depth: 4
          heads: 3               # head dim 32
          patch_size: 4          # 8x8 = 64 tokens at 32 px
          init: torch            # PyTorch's Linear init: timm's keeps a model this small at chance for minutes (44 % vs 10 % in 45 s)
        optimizer:
          name: adamw
          lr: 0.002              # small models and small batches train well with a high learning rate
          weight_decay: 0.05
        schedule:
          name: cosine
          over: budget           # ends exactly at the 2-minute deadline whatever the CPU's speed
          warmup: 0.05
          min_lr: 0.00001
        training:
          batch_size: 64
          precision: fp32        # the CPU track has no fp16; fp32 is the safe default there
          label_smoothing: 0.1
        data:
          image_size: 32
          augment: none          # the crop and flip only: RandAugment (light) cost a 60 s run ~30 points of top-1 (issue 16: 35.6 % vs 66 %)
        evaluation:
          image_size: 32
          crop_ratio: 1.0        # synthetic images are generated at size: keep the whole image
        seed: 0
        """) { Track = "synthetic-cpu-2min" };

    public static RecipeTemplate TinyQuickLocality { get; } = new(
        "tiny-quick-locality",
        "tiny-quick with Irandoust et al.'s two ideas at CPU scale: the locality FFN and an image-size curriculum 32 -> 48 px "
        + "(evaluated at 48). For the synthetic-cpu-2min track; compare the two with bench/compare_recipes.sh (with timm's initialisation, "
        + "over seeds 0-2, it ranked above tiny-quick: mean top-1 63.5 % vs 58.6 %).",
        """
        # The locality-curriculum recipe at CPU scale: compare its rank with tiny-quick's.
        model:
          variant: custom
          embed_dim: 96
          depth: 4
          heads: 3
          patch_size: 4
          ffn: locality          # depth-wise 3x3 conv in the FFN: a convolutional prior helps tiny data budgets
          init: torch            # as tiny-quick
        optimizer:
          name: adamw
          lr: 0.002
          weight_decay: 0.05
        schedule:
          name: cosine
          over: budget
          warmup: 0.05
        training:
          batch_size: 64
          precision: fp32
        data:
          image_size: 48         # the final size; the synthetic images are 64 px, so 48 px still adds detail
          curriculum:
            start: 32            # 8x8 tokens: the first half of the budget at about half the cost per image
            step: 16             # 32, then 48 (each a multiple of the patch size)
            every: 0.5           # half the budget at 32 px, half at 48 px
            unit: budget
          augment: none          # as tiny-quick
        evaluation:
          image_size: 48
          crop_ratio: 1.0
        seed: 0
        """) { Track = "synthetic-cpu-2min" };

    // Le & Li 2023 (BinaryViT): hidden [64, 128, 256, 512], heads [1, 2, 4, 8], depths [3, 4, 8, 4], patch 4 at 224 px, average-pooling
    // branches 3 and 5; AdamW lr 5e-4 at batch 512, no weight decay, no warmup, no augmentation beyond crop and flip, 300 epochs
    // distilled from a DeiT-S: 67.7 % top-1 fully binary (ImageNet-1k).
    public static RecipeTemplate BinaryVit { get; } = new(
        "binaryvit",
        "BinaryViT (Le & Li 2023): binary weights and activations in every block's linears, a pyramid of 4 stages (64 to 512 channels), "
        + "GAP head, average-pooling branches and affine transforms before the residual adds; the stem and head in full precision. "
        + "Its cost is OPs = FLOPs + BOPs/64. The paper's settings within the budget (no distillation: add training.distillation with a "
        + "completed full-precision run of this track to distil, as the paper does). For the ImageNet-1k GPU tracks (made for imagenet1k-1gpu-24h).",
        """
        # BinaryViT at the paper's shape; the 300 epochs become the 24-hour budget.
        model:
          variant: custom
          embed_dim: 64          # stage widths 64, 128, 256, 512
          heads: 1               # stage heads 1, 2, 4, 8 (head dim 64)
          mlp_ratio: 4           # the paper uses 8, 8, 4, 4; one ratio here
          patch_size: 4          # 56x56 tokens at 224 px in stage 1, 7x7 in stage 4
          pooling: gap           # average pooling of the tokens instead of a class token
          binary:
            depths: [3, 4, 8, 4]
            pool_kernels: [3, 5]  # k x 1 and 1 x k average-pooling branches beside each FFN
            full_precision_downsample: false  # true = the paper's "some FP" variant (+1.4 points, more FLOPs)
            affine_init: 0.1
        optimizer:
          name: adamw
          lr: 0.0005             # the paper: 5e-4 at batch 512
          weight_decay: 0.0      # binary weights need no decay
        schedule:
          name: cosine
          over: budget
          warmup: 0.0            # the paper: no warmup
          min_lr: 0.00001
        training:
          batch_size: 512
          precision: bf16
          label_smoothing: 0.1
          # distillation:        # the paper distils from a full-precision DeiT-S: name a completed run of this track
          #   teacher_run: 1
          #   type: soft
          #   alpha: 0.5
        data:
          image_size: 224
          augment: none          # the paper: no RandAugment, mixup, cutmix or erasing
        evaluation:
          image_size: 224
          crop_ratio: 0.875
        seed: 0
        """) { Track = "imagenet1k-1gpu-24h" };

    public static RecipeTemplate BinaryVitQuick { get; } = new(
        "binaryvit-quick",
        "BinaryViT (Le & Li 2023) at CPU scale: 3 stages (32 to 128 channels) of binary blocks on the synthetic track's 32 px images. "
        + "For the synthetic-cpu-2min track (10 classes).",
        """
        # A small BinaryViT pyramid that trains within two minutes on a CPU.
        model:
          variant: custom
          embed_dim: 32          # stage widths 32, 64, 128
          heads: 1               # stage heads 1, 2, 4
          patch_size: 4          # 8x8, 4x4, 2x2 token grids at 32 px
          pooling: gap
          init: torch            # as tiny-quick: PyTorch's init for the linears learns sooner at this size
          binary:
            depths: [1, 1, 2]
            pool_kernels: [3, 5]
        optimizer:
          name: adamw
          lr: 0.002
          weight_decay: 0.0
        schedule:
          name: cosine
          over: budget
          warmup: 0.05
        training:
          batch_size: 64
          precision: fp32
          label_smoothing: 0.1
        data:
          image_size: 32
          augment: none
        evaluation:
          image_size: 32
          crop_ratio: 1.0
        seed: 0
        """) { Track = "synthetic-cpu-2min" };

    public static RecipeTemplate HydraVitBase { get; } = new(
        "hydravit-base",
        "HydraViT (Haberer et al., NeurIPS 2024, \"HydraViT: Stacking Heads for a Scalable ViT\"): one DeiT-B-shaped model (12 heads of 64 "
        + "channels) whose first k heads and first 64k channels form a DeiT of k heads; every step trains a k drawn uniformly from 3 "
        + "(DeiT-Ti) to 12 (DeiT-B), and the leaderboard lists each k with its params and GFLOPs. Trained the DeiT way, planned by the "
        + "budget (a step costs on average about half of DeiT-B's). For the ImageNet-1k GPU tracks (imagenet1k-1gpu-24h, imagenet1k-1gpu-1h).",
        """
        # HydraViT: ten DeiTs from 3 to 12 heads in one set of weights, trained by sampling a sub-network per step.
        model:
          variant: base          # 768 dims x 12 blocks x 12 heads of 64 channels, as the paper
          patch_size: 16
          drop_path: 0.1
          hydra:
            min_heads: 3         # DeiT-Ti width (192)
            max_heads: 12        # DeiT-B width (768)
            sampling: uniform    # the paper's default; weighted (with weights: one per k) favours some widths
        optimizer:
          name: adamw
          lr: 0.0005             # DeiT: 5e-4 x batch / 512
          weight_decay: 0.05
          clip_grad_norm: 1.0    # switching widths every step jolts the gradients early on
        schedule:
          name: cosine
          over: budget
          warmup: 0.05
          min_lr: 0.00001
        training:
          batch_size: 512
          precision: bf16
          label_smoothing: 0.1
        data:
          image_size: 224
          augment: deit
          mixup: 0.8
          cutmix: 1.0
        evaluation:
          image_size: 224
          crop_ratio: 0.875
        seed: 0
        """) { Track = "imagenet1k-1gpu-24h" };

    public static RecipeTemplate TinyQuickHydra { get; } = new(
        "tiny-quick-hydra",
        "tiny-quick as a HydraViT (Haberer et al. 2024): 3 heads of 32 channels, every step trains the first 1, 2 or 3 heads "
        + "(uniform); evaluation ranks the 32-, 64- and 96-channel sub-networks separately. For the synthetic-cpu-2min track.",
        """
        # Three ViTs in one: the first k heads and the first 32k channels of every layer.
        model:
          variant: custom
          embed_dim: 96
          depth: 4
          heads: 3               # head dim 32; sub-networks of 32, 64 and 96 channels
          patch_size: 4
          init: torch            # as tiny-quick
          hydra:
            min_heads: 1
            max_heads: 3
            sampling: uniform
        optimizer:
          name: adamw
          lr: 0.002
          weight_decay: 0.05
        schedule:
          name: cosine
          over: budget
          warmup: 0.05
          min_lr: 0.00001
        training:
          batch_size: 64
          precision: fp32
          label_smoothing: 0.1
        data:
          image_size: 32
          augment: none
        evaluation:
          image_size: 32
          crop_ratio: 1.0
        seed: 0
        """) { Track = "synthetic-cpu-2min" };

    // Xia et al. 2023 ("Budgeted Training for Vision Transformer", ICLR): DeiT-S grown in three stages of active heads,
    // MLP width and tokens (input size), the stages' lengths solved for a budget of a fraction of full training's cost.
    public static RecipeTemplate BudgetedDeitSmall { get; } = new(
        "budgeted-deit-small",
        "Budgeted training for ViT (Xia et al., ICLR 2023): DeiT-S whose active heads (2 -> 4 -> 6), MLP width (ratio 1 -> 2 -> 4) and image "
        + "size (160 -> 192 -> 224 px) grow in three stages, the inactive parts skipped in compute; the stages take half the full model's cost "
        + "per image, so the budget holds about twice the epochs, and the last stage trains the full model. For the ImageNet-1k GPU tracks "
        + "(imagenet1k-1gpu-24h, imagenet1k-1gpu-1h).",
        """
        # Xia et al. 2023: heads, MLP channels and tokens are redundant early in training, so grow them in stages.
        model:
          variant: small         # 384 dims x 12 blocks x 6 heads: the full model, trained in the last stage
          patch_size: 16
          drop_path: 0.1         # DeiT-S
        optimizer:
          name: adamw
          lr: 0.0005             # DeiT: 5e-4 x batch / 512
          weight_decay: 0.05
        schedule:
          name: cosine
          over: budget           # the stages and the schedule both run over elapsed / budget
          warmup: 0.05
          min_lr: 0.00001
        training:
          batch_size: 512
          precision: bf16
          label_smoothing: 0.1
          budgeted:
            relative_cost: 0.5       # the run costs half of the full model on the same images (the paper: 25-75 %)
            heads: [2, 4, 6]         # active heads per stage: the first k of each block's
            mlp_ratio: [1, 2, 4]     # active MLP channels per stage: the first 384 x ratio
            image_size: [160, 192, 224]  # fewer tokens early: 100, 144, 196 patches
        data:
          image_size: 224        # the last stage's size
          augment: deit
          mixup: 0.8
          cutmix: 1.0
        evaluation:
          image_size: 224
          crop_ratio: 0.875
        seed: 0
        """) { Track = "imagenet1k-1gpu-24h" };

    public static RecipeTemplate TinyQuickBudgeted { get; } = new(
        "tiny-quick-budgeted",
        "tiny-quick with budgeted training (Xia et al. 2023) at CPU scale: active heads 1 -> 2 -> 3, MLP ratio 1 -> 2 -> 4 and image size "
        + "16 -> 24 -> 32 px grow in three stages at half the full model's cost per image, the last stage training the full model. "
        + "For the synthetic-cpu-2min track.",
        """
        # Budgeted training at CPU scale: the cheap early stages buy more steps within the two minutes.
        model:
          variant: custom
          embed_dim: 96
          depth: 4
          heads: 3
          patch_size: 4
          init: torch            # as tiny-quick
        optimizer:
          name: adamw
          lr: 0.002
          weight_decay: 0.05
        schedule:
          name: cosine
          over: budget
          warmup: 0.05
          min_lr: 0.00001
        training:
          batch_size: 64
          precision: fp32
          label_smoothing: 0.1
          budgeted:
            relative_cost: 0.5       # half of the full model's cost per image over the run
            heads: [1, 2, 3]
            mlp_ratio: [1, 2, 4]
            image_size: [16, 24, 32] # 16, 36, 64 patches
        data:
          image_size: 32
          augment: none          # as tiny-quick
        evaluation:
          image_size: 32
          crop_ratio: 1.0
        seed: 0
        """) { Track = "synthetic-cpu-2min" };

    public static IReadOnlyList<RecipeTemplate> All { get; } = [DeitTinyBaseline, LocalityCurriculum, PlainVitS16, PlainVitS16Curriculum, DeitTinyDistilled, BudgetedDeitSmall, TinyQuick, TinyQuickLocality, TinyQuickBudgeted, BinaryVit, BinaryVitQuick, HydraVitBase, TinyQuickHydra];

    public static RecipeTemplate? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
