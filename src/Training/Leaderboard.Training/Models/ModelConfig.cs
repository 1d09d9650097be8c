namespace Leaderboard.Training.Models;

/// <summary>
/// A model fully resolved from a recipe's <see cref="Recipes.ModelSpec"/>: what the trainer instantiates and what the
/// params/FLOPs calculator counts. Libtorch-free so the web app can use it for cost estimates.
/// </summary>
public sealed record ModelConfig(
    int EmbedDim,
    int Depth,
    int Heads,
    double MlpRatio,
    int PatchSize,
    int NumClasses,
    string Pooling = "cls",
    double Dropout = 0,
    double DropPath = 0,
    double? LayerScale = null,
    string Ffn = "mlp",
    string Tokenizer = "patch",
    string Attention = "mhsa",
    bool DistillationToken = false,
    string Init = "timm",
    string PosEmbed = "learned",
    bool ZeroHead = false,
    BinaryConfig? Binary = null)
{
    public int MlpHidden => (int)(EmbedDim * MlpRatio);
    public int HeadDim => EmbedDim / Heads;
    public bool HasClassToken => Pooling == "cls";
    public bool LearnedPosEmbed => PosEmbed == "learned";
    public int PrefixTokens => (HasClassToken ? 1 : 0) + (DistillationToken ? 1 : 0);
    public int GridSize(int imageSize) => imageSize / PatchSize;
    /// <summary>Hidden width of the LocalViT FFN's squeeze-excitation (reduction 4): <c>max(1, MlpHidden / 4)</c>.</summary>
    public int SeHidden => Math.Max(1, MlpHidden / 4);
    /// <summary>Input width of the SPT tokenizer's linear: the image and its four diagonal half-patch shifts (5·3 channels), one patch flattened.</summary>
    public int SptPatchDim => 5 * 3 * PatchSize * PatchSize;
}
