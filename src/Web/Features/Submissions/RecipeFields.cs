using System.Globalization;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Web.Features.Submissions;

public enum RecipeFieldKind { Choice, Integer, Number }

/// <summary>
/// One of the submission form's common knobs: a recipe field (its dotted path, as in validation errors) with a label and
/// how to read its value from a parsed recipe. Choices come from the validator's allowed names.
/// </summary>
public sealed record RecipeField(string Path, string Label, RecipeFieldKind Kind, Func<Recipe, object?> Read, string? Hint = null)
{
    public IReadOnlyList<string> Choices => RecipeValidator.AllowedValues.TryGetValue(Path, out var names) ? names : [];

    /// <summary>The field's value in the recipe as the form shows it ("" when the recipe leaves it to its default or the variant).</summary>
    public string ValueIn(Recipe recipe) => Read(recipe) switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString() ?? "",
    };

    public string Id => "field-" + Path.Replace('.', '-').Replace('_', '-');
}

/// <summary>The knobs the form offers as fields, in sections; everything else is edited in the text.</summary>
public static class RecipeFields
{
    public const string CurriculumPath = "data.curriculum";

    public static IReadOnlyList<(string Section, IReadOnlyList<RecipeField> Fields)> Sections { get; } =
    [
        ("Model",
        [
            new("model.variant", "Size", RecipeFieldKind.Choice, r => r.Model.Variant, "tiny 192×12×3 · small 384×12×6 · base 768×12×12 · custom: give the dims"),
            new("model.embed_dim", "Width (embed dim)", RecipeFieldKind.Integer, r => r.Model.EmbedDim, "blank: the size's"),
            new("model.depth", "Depth (blocks)", RecipeFieldKind.Integer, r => r.Model.Depth, "blank: the size's"),
            new("model.heads", "Heads", RecipeFieldKind.Integer, r => r.Model.Heads, "blank: the size's"),
            new("model.patch_size", "Patch size (px)", RecipeFieldKind.Integer, r => r.Model.PatchSize),
            new("model.pooling", "Pooling", RecipeFieldKind.Choice, r => r.Model.Pooling, "cls token or global average pooling"),
            new("model.ffn", "FFN", RecipeFieldKind.Choice, r => r.Model.Ffn, "locality: Irandoust et al. 2022"),
            new("model.tokenizer", "Tokenizer", RecipeFieldKind.Choice, r => r.Model.Tokenizer, "spt: shifted patch tokenization (Lee et al. 2021)"),
            new("model.attention", "Attention", RecipeFieldKind.Choice, r => r.Model.Attention, "lsa: locality self-attention (Lee et al. 2021)"),
        ]),
        ("Optimisation",
        [
            new("optimizer.name", "Optimizer", RecipeFieldKind.Choice, r => r.Optimizer.Name),
            new("optimizer.lr", "Learning rate", RecipeFieldKind.Number, r => r.Optimizer.Lr),
            new("optimizer.weight_decay", "Weight decay", RecipeFieldKind.Number, r => r.Optimizer.WeightDecay),
            new("training.batch_size", "Batch size", RecipeFieldKind.Integer, r => r.Training.BatchSize),
            new("schedule.name", "Schedule", RecipeFieldKind.Choice, r => r.Schedule.Name),
            new("schedule.warmup", "Warmup", RecipeFieldKind.Number, r => r.Schedule.Warmup, "fraction of the budget (over: budget)"),
        ]),
        ("Data",
        [
            new("data.image_size", "Image size (px)", RecipeFieldKind.Integer, r => r.Data.ImageSize, "the final size with a curriculum"),
            new("data.augment", "Augmentation", RecipeFieldKind.Choice, r => r.Data.Augment),
            new("data.mixup", "Mixup α", RecipeFieldKind.Number, r => r.Data.Mixup, "0: off"),
            new("data.cutmix", "CutMix α", RecipeFieldKind.Number, r => r.Data.Cutmix, "0: off"),
        ]),
    ];

    /// <summary>The image-size curriculum's fields, shown while the recipe has one.</summary>
    public static IReadOnlyList<RecipeField> Curriculum { get; } =
    [
        new("data.curriculum.start", "Start size (px)", RecipeFieldKind.Integer, r => r.Data.Curriculum?.Start),
        new("data.curriculum.step", "Step (px)", RecipeFieldKind.Integer, r => r.Data.Curriculum?.Step),
        new("data.curriculum.every", "Every", RecipeFieldKind.Number, r => r.Data.Curriculum?.Every, "fraction of the budget (unit: budget) or epochs"),
    ];

    public static IEnumerable<RecipeField> All => Sections.SelectMany(s => s.Fields).Concat(Curriculum);
}
