using System.Globalization;
using System.Text.Json;
using Leaderboard.Trainer.Models;
using Leaderboard.Training.Models;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Training;

/// <summary>
/// What a checkpoint's metadata says: the recipe (canonical JSON), where training was, and the dataset's classes.
/// The model checkpoint holds the weights with timm's names (the EMA weights when the recipe has EMA); the sibling
/// <c>*.state.safetensors</c> holds what resuming needs (raw weights, optimizer moments, EMA, counters).
/// </summary>
public sealed record CheckpointInfo(
    Recipe Recipe,
    string RecipeJson,
    double Elapsed,
    long Step,
    double Epoch,
    int ImageSize,
    int ModelImageSize,
    IReadOnlyList<string> Classes)
{
    public const string Format = "lb-vit/1";

    public int NumClasses => Classes.Count;

    public ModelConfig ModelConfig => ModelResolver.Resolve(Recipe.Model, NumClasses);

    public Dictionary<string, string> ToMetadata() => new()
    {
        ["format"] = Format,
        ["recipe"] = RecipeJson,
        ["recipe_hash"] = RecipeCanonical.Hash(Recipe),
        ["elapsed"] = Elapsed.ToString("R", CultureInfo.InvariantCulture),
        ["step"] = Step.ToString(CultureInfo.InvariantCulture),
        ["epoch"] = Epoch.ToString("R", CultureInfo.InvariantCulture),
        ["imageSize"] = ImageSize.ToString(CultureInfo.InvariantCulture),
        ["modelImageSize"] = ModelImageSize.ToString(CultureInfo.InvariantCulture),
        ["numClasses"] = NumClasses.ToString(CultureInfo.InvariantCulture),
        ["classes"] = JsonSerializer.Serialize(Classes),
        ["library"] = Runtime.TorchRuntime.Description,
    };

    public static CheckpointInfo FromMetadata(IReadOnlyDictionary<string, string> meta, string path)
    {
        string Get(string key) => meta.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"checkpoint '{path}' has no '{key}' in its metadata (not a trainer checkpoint?)");
        if (Get("format") != Format) throw new InvalidDataException($"checkpoint '{path}' has format '{Get("format")}', expected '{Format}'");
        string json = Get("recipe");
        var parsed = RecipeParser.Parse(json);
        if (parsed.Recipe is null) throw new InvalidDataException($"checkpoint '{path}' carries an unreadable recipe: {string.Join("; ", parsed.Errors)}");
        var classes = JsonSerializer.Deserialize<string[]>(Get("classes")) ?? [];
        return new CheckpointInfo(parsed.Recipe, json,
            double.Parse(Get("elapsed"), CultureInfo.InvariantCulture),
            long.Parse(Get("step"), CultureInfo.InvariantCulture),
            double.Parse(Get("epoch"), CultureInfo.InvariantCulture),
            int.Parse(Get("imageSize"), CultureInfo.InvariantCulture),
            int.Parse(Get("modelImageSize"), CultureInfo.InvariantCulture),
            classes);
    }
}

/// <summary>Reading and writing checkpoints (safetensors, written atomically by <see cref="Safetensors.Save(string, IEnumerable{ValueTuple{string, Tensor}}, IDictionary{string, string})"/>).</summary>
public static class Checkpoints
{
    public static string StatePath(string checkpoint) =>
        checkpoint.EndsWith(".safetensors", StringComparison.Ordinal)
            ? checkpoint[..^".safetensors".Length] + ".state.safetensors"
            : checkpoint + ".state.safetensors";

    public static void SaveModel(string path, IReadOnlyDictionary<string, Tensor> weights, CheckpointInfo info) =>
        Safetensors.Save(path, weights, info.ToMetadata());

    /// <summary>Reads a model checkpoint: its metadata and a model (on <paramref name="device"/>) with its weights.</summary>
    public static (CheckpointInfo Info, ImageClassifier Model) LoadModel(string path, Device device)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint '{Path.GetFullPath(path)}' does not exist", path);
        var (tensors, meta) = Safetensors.Load(path);
        try
        {
            var info = CheckpointInfo.FromMetadata(meta, path);
            var model = ImageClassifier.Create(info.ModelConfig, info.ModelImageSize, info.Recipe.Model.Hydra);
            try
            {
                model.load_state_dict(tensors);
                model.to(device);
                return (info, model);
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}
