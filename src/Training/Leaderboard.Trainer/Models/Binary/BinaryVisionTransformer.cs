using Leaderboard.Training.Models;

namespace Leaderboard.Trainer.Models.Binary;

/// <summary>
/// BinaryViT (Le &amp; Li 2023, "BinaryViT: Pushing Binary Vision Transformers Towards Convolutional Models"), with the
/// layout and parameter names that <see cref="BinaryCost"/> documents: a full-precision patch-embedding stem and learned
/// position embedding, a pyramid of stages of <see cref="BinaryBlock"/>s (the grid halves and the width doubles between
/// stages), a final LayerNorm and a full-precision head on the mean of the tokens (GAP). At an image size other than
/// <see cref="BaseImageSize"/> the position embedding is interpolated bicubically over the grid, as the ViT's.
/// </summary>
public sealed class BinaryVisionTransformer : ImageClassifier
{
    private readonly Stem patch_embed;
    private readonly Parameter pos_embed;
    private readonly BlockList stages;
    private readonly LayerNorm norm;
    private readonly Linear head;
    private readonly int baseGrid;

    public override ModelConfig Config { get; }
    public int BaseImageSize { get; }

    public BinaryVisionTransformer(ModelConfig config, int baseImageSize) : base("BinaryVisionTransformer")
    {
        var binary = config.Binary ?? throw new ArgumentException("the config has no model.binary section", nameof(config));
        if (baseImageSize % (config.PatchSize * binary.Reduction) != 0)
            throw new ArgumentException($"image size {baseImageSize} is not a multiple of patch size {config.PatchSize} × {binary.Reduction} (the pyramid's downsampling)", nameof(baseImageSize));
        Config = config;
        BaseImageSize = baseImageSize;
        baseGrid = config.GridSize(baseImageSize);

        patch_embed = new Stem(config.EmbedDim, config.PatchSize);
        register_module("patch_embed", patch_embed);
        pos_embed = Init.Parameter([1, baseGrid * baseGrid, config.EmbedDim]);
        Init.TruncNormal(pos_embed);
        register_parameter("pos_embed", pos_embed);

        int total = binary.Depths.Sum(), index = 0;
        var stageList = new List<nn.Module<Tensor, Tensor>>();
        for (int s = 0; s < binary.Stages; s++)
        {
            int width = BinaryConfig.StageWidth(config, s);
            var downsample = s == 0 ? null : new Downsample(BinaryConfig.StageWidth(config, s - 1), width, binary.FullPrecisionDownsample);
            var blocks = new List<BinaryBlock>();
            for (int j = 0; j < binary.Depths[s]; j++, index++)
            {
                double rate = total > 1 ? config.DropPath * index / (total - 1) : config.DropPath;
                blocks.Add(new BinaryBlock(width, BinaryConfig.StageHeads(config, s), BinaryConfig.StageHidden(config, s),
                    binary.PoolKernels, binary.AffineInit, rate));
            }
            stageList.Add(new BinaryStage(downsample, blocks));
        }
        stages = new BlockList(stageList);
        register_module("stages", stages);
        int last = BinaryConfig.StageWidth(config, binary.Stages - 1);
        norm = Layers.LayerNorm(last);
        register_module("norm", norm);
        head = Layers.Linear(last, config.NumClasses);
        register_module("head", head);
        if (config.Init == "torch")
        {
            head.ResetAsPyTorchDefault();
            foreach (var linear in modules().OfType<BinaryLinear>()) linear.ResetAsPyTorchDefault();
        }
        if (config.ZeroHead) head.ZeroInit();
    }

    public override Tensor forward(Tensor input) => ForwardHeads(input).Cls;

    public override (Tensor Cls, Tensor? Dist) ForwardHeads(Tensor input)
    {
        var x = patch_embed.forward(input);                  // [B, G², D₀]
        x = x + PositionEmbedding(Grid.Side(x));
        x = norm.forward(stages.forward(x));                 // [B, (G/2^(S−1))², D_last]
        return (head.forward(x.mean([1L])), null);
    }

    /// <summary>pos_embed at the base grid, else bicubically interpolated to a g×g grid (align_corners false, as timm).</summary>
    public Tensor PositionEmbedding(long g)
    {
        return VisionTransformer.ResampleGrid(pos_embed, 0, baseGrid, g);
    }

    /// <summary>The full-precision stem: a p×p stride-p convolution to D₀ channels, then LayerNorm (the paper's first layer stays full precision).</summary>
    private sealed class Stem : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d proj;
        private readonly LayerNorm norm;

        public Stem(int dim, int patch) : base("Stem")
        {
            proj = Layers.Conv2d(3, dim, patch, stride: patch);
            norm = Layers.LayerNorm(dim);
            register_module("proj", proj);
            register_module("norm", norm);
        }

        public override Tensor forward(Tensor input) => norm.forward(Grid.ToTokens(proj.forward(input)));
    }
}
