namespace Leaderboard.Training.Recipes.Parsing;

/// <summary>Reads one typed value from a node; false (with an error recorded) when it has the wrong type.</summary>
internal delegate bool ValueReader<TValue>(Binder binder, RecipeNode node, string path, out TValue value);

/// <summary>
/// One field of a section: its snake_case key, how to bind it from a node, and its value for the canonical form
/// (int, long, double, bool, string, IReadOnlyList&lt;double&gt;, a nested <see cref="SectionValues"/>, or null).
/// </summary>
internal abstract class FieldDef<T>(string key)
{
    public string Key { get; } = key;
    /// <summary>
    /// An option added after recipes were first stored: the canonical form leaves it out while it is at its default, so
    /// every recipe stored before it keeps its canonical form and hash.
    /// </summary>
    public bool OmittedAtDefault { get; init; }
    public abstract T Bind(T target, RecipeNode node, string path, Binder binder);
    public abstract object? Get(T source);
    public virtual bool IsDefault(T source, T defaults) => Equals(Get(source), Get(defaults));
    public virtual IEnumerable<string> Paths(string prefix) => [prefix + Key];

    /// <summary>Writes this field's JSON Schema (the value of its entry under "properties").</summary>
    public virtual void WriteJsonSchema(System.Text.Json.Utf8JsonWriter writer, T defaults, string path) =>
        JsonSchemaWriter.WriteValue(writer, GetType().GetGenericArguments()[1], this is INullableField, Get(defaults), path);
}

/// <summary>Marks fields whose null means "off".</summary>
internal interface INullableField;

internal sealed class SectionValues(IReadOnlyList<KeyValuePair<string, object?>> values)
{
    public IReadOnlyList<KeyValuePair<string, object?>> Values { get; } = values;
}

internal sealed class ValueField<T, TValue>(string key, Func<T, TValue> get, Func<T, TValue, T> set, ValueReader<TValue> read)
    : FieldDef<T>(key)
{
    public override T Bind(T target, RecipeNode node, string path, Binder binder) =>
        read(binder, node, path, out var value) ? set(target, value) : target;

    public override object? Get(T source) => get(source);
}

/// <summary>A field whose null value means "off" (layer_scale, ema, clip_grad_norm, explicit dims...).</summary>
internal sealed class NullableField<T, TValue>(string key, Func<T, TValue?> get, Func<T, TValue?, T> set, ValueReader<TValue> read)
    : FieldDef<T>(key), INullableField where TValue : struct
{
    public override T Bind(T target, RecipeNode node, string path, Binder binder) =>
        Binder.IsNull(node) ? set(target, null)
        : read(binder, node, path, out var value) ? set(target, value) : target;

    public override object? Get(T source) => get(source);
}

internal sealed class SectionField<T, TChild>(string key, Func<T, TChild?> get, Func<T, TChild?, T> set, Schema<TChild> schema, bool nullable)
    : FieldDef<T>(key) where TChild : class, new()
{
    public override T Bind(T target, RecipeNode node, string path, Binder binder)
    {
        if (Binder.IsNull(node)) return nullable ? set(target, null) : target; // "model:" with nothing under it = defaults
        if (node is not MappingNode mapping)
        {
            binder.Error(path, $"expected a section of fields (key: value lines), got {node.Describe()}", node);
            return target;
        }
        return set(target, schema.Bind(get(target) ?? new TChild(), mapping, path + ".", binder));
    }

    public override object? Get(T source) => get(source) is { } child ? schema.Values(child) : null;

    public override bool IsDefault(T source, T defaults) => Equals(get(source), get(defaults)); // record equality

    public override IEnumerable<string> Paths(string prefix) => schema.Paths(prefix + Key + ".");

    public override void WriteJsonSchema(System.Text.Json.Utf8JsonWriter writer, T defaults, string path) =>
        JsonSchemaWriter.WriteSection(writer, schema, get(defaults) ?? new TChild(), path + ".", nullable);
}

internal sealed class Schema<T>(IReadOnlyList<FieldDef<T>> fields) where T : new()
{
    private static readonly T Defaults = new();

    public IReadOnlyList<FieldDef<T>> Fields { get; } = fields;

    public T Bind(T target, MappingNode mapping, string prefix, Binder binder)
    {
        var seen = new Dictionary<string, ScalarNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Entries)
        {
            string key = keyNode.Value;
            string path = prefix + key;
            if (seen.TryGetValue(key, out var first))
            {
                binder.Error(path, $"duplicate field (first given at line {first.Line}); give it once", keyNode);
                continue;
            }
            seen[key] = keyNode;
            var field = Fields.FirstOrDefault(f => f.Key == key);
            if (field is null)
            {
                binder.Error(path, UnknownField(prefix, key), keyNode);
                continue;
            }
            target = field.Bind(target, value, path, binder);
        }
        return target;
    }

    /// <summary>The fields' values in order, less those <see cref="FieldDef{T}.OmittedAtDefault"/> that are at their default.</summary>
    public SectionValues Values(T source) => new(Fields
        .Where(f => !f.OmittedAtDefault || !f.IsDefault(source, Defaults))
        .Select(f => KeyValuePair.Create(f.Key, f.Get(source))).ToArray());

    public IEnumerable<string> Paths(string prefix) => Fields.SelectMany(f => f.Paths(prefix));

    private string UnknownField(string prefix, string key)
    {
        var keys = Fields.Select(f => f.Key).ToArray();
        string? suggestion = Suggest.Closest(key, keys);
        if (suggestion is null)
        {
            // A field of another section given here (e.g. embed_dim at the top level): name where it belongs.
            string snake = Suggest.ToSnakeCase(key);
            suggestion = RecipeSchema.AllPaths.FirstOrDefault(p => p.EndsWith("." + snake, StringComparison.Ordinal) && p != prefix + snake);
        }
        string section = prefix.Length == 0 ? "at the top level" : $"in {prefix.TrimEnd('.')}";
        return suggestion is null
            ? $"unknown field; the fields {section} are: {string.Join(", ", keys)}"
            : $"unknown field; did you mean {suggestion}?";
    }
}

internal static class Suggest
{
    /// <summary>The closest key: same name in snake_case, same words in another order, or within a small edit distance.</summary>
    public static string? Closest(string key, IReadOnlyList<string> keys)
    {
        string snake = ToSnakeCase(key);
        if (keys.Contains(snake)) return snake;
        string words = string.Join('_', snake.Split('_', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        foreach (var k in keys)
            if (string.Join('_', k.Split('_').Order(StringComparer.Ordinal)) == words) return k;
        var best = keys.Select(k => (Key: k, Distance: EditDistance(snake, k))).MinBy(x => x.Distance);
        int allowed = Math.Max(1, Math.Min(3, snake.Length / 3));
        return best.Key is not null && best.Distance <= allowed ? best.Key : null;
    }

    /// <summary>embedDim, EmbedDim, embed-dim → embed_dim.</summary>
    public static string ToSnakeCase(string key)
    {
        var sb = new System.Text.StringBuilder(key.Length + 4);
        for (int i = 0; i < key.Length; i++)
        {
            char c = key[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && key[i - 1] != '_' && !char.IsUpper(key[i - 1])) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c is '-' or ' ' ? '_' : c);
        }
        return sb.ToString();
    }

    /// <summary>Edit distance counting a swap of two adjacent letters as one edit (optimal string alignment).</summary>
    public static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}

/// <summary>The recipe's fields: snake_case keys in canonical order, bound onto the records of <c>Recipe.cs</c>.</summary>
internal static class RecipeSchema
{
    private static readonly ValueReader<int> Int = (Binder b, RecipeNode n, string p, out int v) => b.Int(n, p, out v);
    private static readonly ValueReader<long> Long = (Binder b, RecipeNode n, string p, out long v) => b.Long(n, p, out v);
    private static readonly ValueReader<double> Double = (Binder b, RecipeNode n, string p, out double v) => b.Double(n, p, out v);
    private static readonly ValueReader<bool> Bool = (Binder b, RecipeNode n, string p, out bool v) => b.Bool(n, p, out v);
    private static readonly ValueReader<string> Name = (Binder b, RecipeNode n, string p, out string v) => b.Name(n, p, out v);
    private static readonly ValueReader<IReadOnlyList<double>> Doubles =
        (Binder b, RecipeNode n, string p, out IReadOnlyList<double> v) => b.DoubleList(n, p, out v);

    private static ValueField<T, TValue> F<T, TValue>(string key, Func<T, TValue> get, Func<T, TValue, T> set, ValueReader<TValue> read) =>
        new(key, get, set, read);

    /// <summary>A field added after release: left out of the canonical form at its default (old recipes keep their hash).</summary>
    private static ValueField<T, TValue> Added<T, TValue>(string key, Func<T, TValue> get, Func<T, TValue, T> set, ValueReader<TValue> read) =>
        new(key, get, set, read) { OmittedAtDefault = true };

    private static NullableField<T, TValue> N<T, TValue>(string key, Func<T, TValue?> get, Func<T, TValue?, T> set, ValueReader<TValue> read)
        where TValue : struct => new(key, get, set, read);

    public static readonly Schema<BinarySpec> Binary = new(
    [
        F<BinarySpec, IReadOnlyList<double>>("depths", s => s.Depths, (s, v) => s with { Depths = v }, Doubles),
        F<BinarySpec, IReadOnlyList<double>>("pool_kernels", s => s.PoolKernels, (s, v) => s with { PoolKernels = v }, Doubles),
        F<BinarySpec, bool>("full_precision_downsample", s => s.FullPrecisionDownsample, (s, v) => s with { FullPrecisionDownsample = v }, Bool),
        F<BinarySpec, double>("affine_init", s => s.AffineInit, (s, v) => s with { AffineInit = v }, Double),
    ]);

    public static readonly Schema<HydraSpec> Hydra = new(
    [
        F<HydraSpec, int>("min_heads", s => s.MinHeads, (s, v) => s with { MinHeads = v }, Int),
        N<HydraSpec, int>("max_heads", s => s.MaxHeads, (s, v) => s with { MaxHeads = v }, Int),
        F<HydraSpec, string>("sampling", s => s.Sampling, (s, v) => s with { Sampling = v }, Name),
        F<HydraSpec, IReadOnlyList<double>>("weights", s => s.Weights, (s, v) => s with { Weights = v }, Doubles),
    ]);

    public static readonly Schema<ModelSpec> Model = new(
    [
        F<ModelSpec, string>("variant", s => s.Variant, (s, v) => s with { Variant = v }, Name),
        N<ModelSpec, int>("embed_dim", s => s.EmbedDim, (s, v) => s with { EmbedDim = v }, Int),
        N<ModelSpec, int>("depth", s => s.Depth, (s, v) => s with { Depth = v }, Int),
        N<ModelSpec, int>("heads", s => s.Heads, (s, v) => s with { Heads = v }, Int),
        F<ModelSpec, double>("mlp_ratio", s => s.MlpRatio, (s, v) => s with { MlpRatio = v }, Double),
        F<ModelSpec, int>("patch_size", s => s.PatchSize, (s, v) => s with { PatchSize = v }, Int),
        F<ModelSpec, string>("pooling", s => s.Pooling, (s, v) => s with { Pooling = v }, Name),
        F<ModelSpec, double>("dropout", s => s.Dropout, (s, v) => s with { Dropout = v }, Double),
        F<ModelSpec, double>("drop_path", s => s.DropPath, (s, v) => s with { DropPath = v }, Double),
        N<ModelSpec, double>("layer_scale", s => s.LayerScale, (s, v) => s with { LayerScale = v }, Double),
        F<ModelSpec, string>("ffn", s => s.Ffn, (s, v) => s with { Ffn = v }, Name),
        F<ModelSpec, string>("tokenizer", s => s.Tokenizer, (s, v) => s with { Tokenizer = v }, Name),
        F<ModelSpec, string>("attention", s => s.Attention, (s, v) => s with { Attention = v }, Name),
        F<ModelSpec, bool>("distillation_token", s => s.DistillationToken, (s, v) => s with { DistillationToken = v }, Bool),
        F<ModelSpec, string>("init", s => s.Init, (s, v) => s with { Init = v }, Name),
        Added<ModelSpec, string>("pos_embed", s => s.PosEmbed, (s, v) => s with { PosEmbed = v }, Name),
        Added<ModelSpec, bool>("zero_head", s => s.ZeroHead, (s, v) => s with { ZeroHead = v }, Bool),
        new SectionField<ModelSpec, BinarySpec>("binary", s => s.Binary, (s, v) => s with { Binary = v }, Binary, nullable: true)
        {
            OmittedAtDefault = true,
        },
        new SectionField<ModelSpec, HydraSpec>("hydra", s => s.Hydra, (s, v) => s with { Hydra = v }, Hydra, nullable: true) { OmittedAtDefault = true },
    ]);

    public static readonly Schema<OptimizerSpec> Optimizer = new(
    [
        F<OptimizerSpec, string>("name", s => s.Name, (s, v) => s with { Name = v }, Name),
        F<OptimizerSpec, double>("lr", s => s.Lr, (s, v) => s with { Lr = v }, Double),
        F<OptimizerSpec, double>("weight_decay", s => s.WeightDecay, (s, v) => s with { WeightDecay = v }, Double),
        F<OptimizerSpec, double>("beta1", s => s.Beta1, (s, v) => s with { Beta1 = v }, Double),
        F<OptimizerSpec, double>("beta2", s => s.Beta2, (s, v) => s with { Beta2 = v }, Double),
        F<OptimizerSpec, double>("eps", s => s.Eps, (s, v) => s with { Eps = v }, Double),
        F<OptimizerSpec, double>("momentum", s => s.Momentum, (s, v) => s with { Momentum = v }, Double),
        F<OptimizerSpec, bool>("nesterov", s => s.Nesterov, (s, v) => s with { Nesterov = v }, Bool),
        N<OptimizerSpec, double>("clip_grad_norm", s => s.ClipGradNorm, (s, v) => s with { ClipGradNorm = v }, Double),
    ]);

    public static readonly Schema<ScheduleSpec> Schedule = new(
    [
        F<ScheduleSpec, string>("name", s => s.Name, (s, v) => s with { Name = v }, Name),
        F<ScheduleSpec, string>("over", s => s.Over, (s, v) => s with { Over = v }, Name),
        N<ScheduleSpec, int>("epochs", s => s.Epochs, (s, v) => s with { Epochs = v }, Int),
        F<ScheduleSpec, double>("warmup", s => s.Warmup, (s, v) => s with { Warmup = v }, Double),
        F<ScheduleSpec, double>("min_lr", s => s.MinLr, (s, v) => s with { MinLr = v }, Double),
        F<ScheduleSpec, IReadOnlyList<double>>("milestones", s => s.Milestones, (s, v) => s with { Milestones = v }, Doubles),
        F<ScheduleSpec, double>("gamma", s => s.Gamma, (s, v) => s with { Gamma = v }, Double),
    ]);

    public static readonly Schema<DistillationSpec> Distillation = new(
    [
        F<DistillationSpec, long>("teacher_run", s => s.TeacherRun, (s, v) => s with { TeacherRun = v }, Long),
        F<DistillationSpec, string>("type", s => s.Type, (s, v) => s with { Type = v }, Name),
        F<DistillationSpec, double>("alpha", s => s.Alpha, (s, v) => s with { Alpha = v }, Double),
        F<DistillationSpec, double>("tau", s => s.Tau, (s, v) => s with { Tau = v }, Double),
    ]);

    public static readonly Schema<BudgetedSpec> Budgeted = new(
    [
        F<BudgetedSpec, double>("relative_cost", s => s.RelativeCost, (s, v) => s with { RelativeCost = v }, Double),
        F<BudgetedSpec, IReadOnlyList<double>>("heads", s => s.Heads, (s, v) => s with { Heads = v }, Doubles),
        F<BudgetedSpec, IReadOnlyList<double>>("mlp_ratio", s => s.MlpRatio, (s, v) => s with { MlpRatio = v }, Doubles),
        F<BudgetedSpec, IReadOnlyList<double>>("image_size", s => s.ImageSize, (s, v) => s with { ImageSize = v }, Doubles),
    ]);

    public static readonly Schema<TrainingSpec> Training = new(
    [
        F<TrainingSpec, int>("batch_size", s => s.BatchSize, (s, v) => s with { BatchSize = v }, Int),
        F<TrainingSpec, string>("precision", s => s.Precision, (s, v) => s with { Precision = v }, Name),
        F<TrainingSpec, double>("label_smoothing", s => s.LabelSmoothing, (s, v) => s with { LabelSmoothing = v }, Double),
        N<TrainingSpec, double>("ema", s => s.Ema, (s, v) => s with { Ema = v }, Double),
        F<TrainingSpec, double>("checkpoint_every", s => s.CheckpointEvery, (s, v) => s with { CheckpointEvery = v }, Double),
        new SectionField<TrainingSpec, DistillationSpec>("distillation", s => s.Distillation, (s, v) => s with { Distillation = v }, Distillation, nullable: true)
        {
            OmittedAtDefault = true,
        },
        new SectionField<TrainingSpec, BudgetedSpec>("budgeted", s => s.Budgeted, (s, v) => s with { Budgeted = v }, Budgeted, nullable: true)
        {
            OmittedAtDefault = true,
        },
    ]);

    public static readonly Schema<CurriculumSpec> Curriculum = new(
    [
        F<CurriculumSpec, int>("start", s => s.Start, (s, v) => s with { Start = v }, Int),
        F<CurriculumSpec, int>("step", s => s.Step, (s, v) => s with { Step = v }, Int),
        F<CurriculumSpec, double>("every", s => s.Every, (s, v) => s with { Every = v }, Double),
        F<CurriculumSpec, string>("unit", s => s.Unit, (s, v) => s with { Unit = v }, Name),
    ]);

    public static readonly Schema<CropSpec> Crop = new(
    [
        F<CropSpec, string>("mode", s => s.Mode, (s, v) => s with { Mode = v }, Name),
        F<CropSpec, double>("scale_min", s => s.ScaleMin, (s, v) => s with { ScaleMin = v }, Double),
        F<CropSpec, double>("scale_max", s => s.ScaleMax, (s, v) => s with { ScaleMax = v }, Double),
        F<CropSpec, double>("aspect_min", s => s.AspectMin, (s, v) => s with { AspectMin = v }, Double),
        F<CropSpec, double>("aspect_max", s => s.AspectMax, (s, v) => s with { AspectMax = v }, Double),
        F<CropSpec, int>("padding", s => s.Padding, (s, v) => s with { Padding = v }, Int),
    ]);

    public static readonly Schema<DataSpec> Data = new(
    [
        F<DataSpec, int>("image_size", s => s.ImageSize, (s, v) => s with { ImageSize = v }, Int),
        new SectionField<DataSpec, CurriculumSpec>("curriculum", s => s.Curriculum, (s, v) => s with { Curriculum = v }, Curriculum, nullable: true),
        F<DataSpec, string>("augment", s => s.Augment, (s, v) => s with { Augment = v }, Name),
        new SectionField<DataSpec, CropSpec>("crop", s => s.Crop, (s, v) => s with { Crop = v! }, Crop, nullable: false) { OmittedAtDefault = true },
        Added<DataSpec, double>("flip", s => s.Flip, (s, v) => s with { Flip = v }, Double),
        F<DataSpec, double>("mixup", s => s.Mixup, (s, v) => s with { Mixup = v }, Double),
        F<DataSpec, double>("cutmix", s => s.Cutmix, (s, v) => s with { Cutmix = v }, Double),
        F<DataSpec, double>("mixup_switch_prob", s => s.MixupSwitchProb, (s, v) => s with { MixupSwitchProb = v }, Double),
        F<DataSpec, int>("repeated_augment", s => s.RepeatedAugment, (s, v) => s with { RepeatedAugment = v }, Int),
    ]);

    public static readonly Schema<EvaluationSpec> Evaluation = new(
    [
        N<EvaluationSpec, int>("image_size", s => s.ImageSize, (s, v) => s with { ImageSize = v }, Int),
        F<EvaluationSpec, double>("crop_ratio", s => s.CropRatio, (s, v) => s with { CropRatio = v }, Double),
    ]);

    public static readonly Schema<Recipe> Root = new(
    [
        new SectionField<Recipe, ModelSpec>("model", s => s.Model, (s, v) => s with { Model = v! }, Model, nullable: false),
        new SectionField<Recipe, OptimizerSpec>("optimizer", s => s.Optimizer, (s, v) => s with { Optimizer = v! }, Optimizer, nullable: false),
        new SectionField<Recipe, ScheduleSpec>("schedule", s => s.Schedule, (s, v) => s with { Schedule = v! }, Schedule, nullable: false),
        new SectionField<Recipe, TrainingSpec>("training", s => s.Training, (s, v) => s with { Training = v! }, Training, nullable: false),
        new SectionField<Recipe, DataSpec>("data", s => s.Data, (s, v) => s with { Data = v! }, Data, nullable: false),
        new SectionField<Recipe, EvaluationSpec>("evaluation", s => s.Evaluation, (s, v) => s with { Evaluation = v! }, Evaluation, nullable: false),
        F<Recipe, long>("seed", s => s.Seed, (s, v) => s with { Seed = v }, Long),
    ]);

    /// <summary>Every field's dotted path, in canonical order (sections are not listed themselves).</summary>
    public static readonly IReadOnlyList<string> AllPaths = Root.Paths("").ToArray();
}
