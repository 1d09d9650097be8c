using Leaderboard.Training.Recipes;

namespace Leaderboard.Training.Tests.Recipes;

public class RecipeParserTests
{
    private static RecipeError SingleError(string text)
    {
        var result = RecipeParser.Parse(text);
        Assert.False(result.IsValid);
        Assert.Null(result.Recipe);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void Parses_every_field_from_yaml()
    {
        var result = RecipeParser.Parse("""
            model:
              variant: custom
              embed_dim: 256
              depth: 6
              heads: 4
              mlp_ratio: 3
              patch_size: 8
              pooling: gap
              dropout: 0.1
              drop_path: 0.2
              layer_scale: 1e-4
              ffn: locality
              tokenizer: spt
              attention: lsa
              distillation_token: true
            optimizer: {name: sgd, lr: 0.1, weight_decay: 0.0001, beta1: 0.8, beta2: 0.99, eps: 1e-6, momentum: 0.95, nesterov: true, clip_grad_norm: 5}
            schedule:
              name: step
              over: epochs
              epochs: 90
              warmup: 2
              min_lr: 0
              milestones: [30, 60]
              gamma: 0.5
            training:
              batch_size: 128
              precision: bf16
              label_smoothing: 0.2
              ema: 0.9998
              checkpoint_every: 0.5
            data:
              image_size: 64
              curriculum:
                start: 32
                step: 16
                every: 5
                unit: epochs
              augment: strong
              mixup: 0.8
              cutmix: 1
              mixup_switch_prob: 0.25
              repeated_augment: 3
            evaluation:
              image_size: 64
              crop_ratio: 0.9
            seed: 42
            """);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var r = result.Recipe!;
        Assert.Equal(new ModelSpec
        {
            Variant = "custom", EmbedDim = 256, Depth = 6, Heads = 4, MlpRatio = 3, PatchSize = 8, Pooling = "gap", Dropout = 0.1,
            DropPath = 0.2, LayerScale = 1e-4, Ffn = "locality", Tokenizer = "spt", Attention = "lsa", DistillationToken = true,
        }, r.Model);
        Assert.Equal(new OptimizerSpec { Name = "sgd", Lr = 0.1, WeightDecay = 1e-4, Beta1 = 0.8, Beta2 = 0.99, Eps = 1e-6, Momentum = 0.95, Nesterov = true, ClipGradNorm = 5 }, r.Optimizer);
        Assert.Equal(new ScheduleSpec { Name = "step", Over = "epochs", Epochs = 90, Warmup = 2, MinLr = 0, Milestones = [30, 60], Gamma = 0.5 }, r.Schedule);
        Assert.Equal(new TrainingSpec { BatchSize = 128, Precision = "bf16", LabelSmoothing = 0.2, Ema = 0.9998, CheckpointEvery = 0.5 }, r.Training);
        Assert.Equal(new DataSpec
        {
            ImageSize = 64, Curriculum = new CurriculumSpec { Start = 32, Step = 16, Every = 5, Unit = "epochs" }, Augment = "strong",
            Mixup = 0.8, Cutmix = 1, MixupSwitchProb = 0.25, RepeatedAugment = 3,
        }, r.Data);
        Assert.Equal(new EvaluationSpec { ImageSize = 64, CropRatio = 0.9 }, r.Evaluation);
        Assert.Equal(42, r.Seed);
    }

    [Theory]
    [InlineData("model:\n  depth: 6\n")]
    [InlineData("{\"model\": {\"depth\": 6}}")]
    [InlineData("{model: {depth: 6}}")] // YAML flow syntax that is not JSON
    [InlineData("# a comment\nmodel:\n  depth: 6 # six blocks\n")]
    [InlineData("{\n  // JSON with a comment and a trailing comma\n  \"model\": {\"depth\": 6,},\n}")]
    [InlineData("model:\n  depth: 6.0\n")]
    [InlineData("---\nmodel:\n  depth: 6\n...\n")]
    public void Reads_yaml_and_json_alike(string text)
    {
        var result = RecipeParser.Parse(text);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(new Recipe { Model = new ModelSpec { Depth = 6 } }, result.Recipe);
    }

    [Theory]
    [InlineData("model: {}")]
    [InlineData("model:\n")]
    [InlineData("model: ~\noptimizer: null\n")]
    public void Sections_left_empty_take_their_defaults(string text)
    {
        var result = RecipeParser.Parse(text);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(new Recipe(), result.Recipe);
    }

    [Fact]
    public void Defaults_come_from_the_records()
    {
        var r = RecipeParser.Parse("seed: 1").Recipe!;
        Assert.Equal(new Recipe { Seed = 1 }, r);
        Assert.Equal("tiny", r.Model.Variant);
        Assert.Equal(16, r.Model.PatchSize);
        Assert.Equal(0.05, r.Schedule.Warmup);
        Assert.Null(r.Data.Curriculum);
    }

    [Fact]
    public void An_empty_curriculum_section_turns_it_on_with_defaults_and_null_turns_it_off()
    {
        Assert.Equal(new CurriculumSpec(), RecipeParser.Parse("data:\n  curriculum: {}\n").Recipe!.Data.Curriculum);
        Assert.Null(RecipeParser.Parse("data:\n  curriculum: null\n").Recipe!.Data.Curriculum);
    }

    [Fact]
    public void Names_are_case_insensitive_and_stored_lower_case()
    {
        var r = RecipeParser.Parse("optimizer:\n  name: AdamW\nmodel:\n  ffn: ' Locality '\n").Recipe!;
        Assert.Equal("adamw", r.Optimizer.Name);
        Assert.Equal("locality", r.Model.Ffn);
    }

    [Fact]
    public void Anchors_and_aliases_resolve()
    {
        var r = RecipeParser.Parse("data:\n  image_size: &size 64\nevaluation:\n  image_size: *size\n").Recipe!;
        Assert.Equal(64, r.Evaluation.ImageSize);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t\n")]
    [InlineData("# nothing but a comment\n")]
    [InlineData("---\n")]
    [InlineData("{}")]
    [InlineData("null")]
    public void An_empty_document_is_an_error(string text)
    {
        var error = SingleError(text);
        Assert.Equal("", error.Path);
        Assert.Contains("empty", error.Message);
    }

    [Theory]
    [InlineData("model:\n  depth: 6\n embed_dim: 3\n", 3)]                 // bad indentation
    [InlineData("model:\n  depth: [6\n", 3)]                              // unclosed flow sequence
    [InlineData("model:\n  variant: \"tiny\n", 2)]                        // unclosed quote (reported where it opens)
    [InlineData("model:\n\tdepth: 6\n", 2)]                               // tab indentation
    [InlineData("{\"model\": {\"depth\": 6}", 1)]                          // unclosed JSON object
    [InlineData("{\"model\": {\"depth\": 6}}\n{\"seed\": 1}", 2)]           // two JSON documents
    [InlineData("{\"model\": {\"depth\": 6,, }}", 1)]                      // two commas
    [InlineData("model:\n  depth: 6\n  x: [\n", 4)]                        // unclosed list: reported at the end
    public void Malformed_text_is_an_error_at_the_document_with_its_position(string text, int line)
    {
        var error = SingleError(text);
        Assert.Equal("", error.Path);
        Assert.Matches(@"^malformed (YAML|JSON) at line \d+, column \d+: \S", error.Message);
        Assert.Equal(line, error.Line);
        Assert.Contains($"line {line},", error.Message);
        Assert.NotNull(error.Column);
    }

    [Fact]
    public void A_json_like_text_that_is_valid_yaml_is_read_as_yaml()
    {
        // Not JSON (06x is no number) but a YAML flow mapping: the error is about the value, at its path.
        var error = SingleError("{\"model\": {\"depth\": 06x}}");
        Assert.Equal("model.depth", error.Path);
    }

    [Fact]
    public void Two_yaml_documents_are_an_error()
    {
        var error = SingleError("model:\n  depth: 6\n---\nseed: 1\n");
        Assert.Contains("more than one YAML document", error.Message);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("- model\n- data\n")]
    [InlineData("[1, 2]")]
    [InlineData("just some words")]
    public void A_document_that_is_not_a_mapping_is_an_error(string text)
    {
        var error = SingleError(text);
        Assert.Equal("", error.Path);
        Assert.Contains("a recipe is a mapping of sections", error.Message);
    }

    [Theory]
    [InlineData("model:\n  embed_dimm: 192\n", "model.embed_dimm", "did you mean embed_dim?")]
    [InlineData("model:\n  embedDim: 192\n", "model.embedDim", "did you mean embed_dim?")]
    [InlineData("model:\n  patch-size: 8\n", "model.patch-size", "did you mean patch_size?")]
    [InlineData("schedule:\n  lr_min: 0\n", "schedule.lr_min", "did you mean min_lr?")]
    [InlineData("optimizer:\n  learning_rate: 0.1\n", "optimizer.learning_rate", "the fields in optimizer are: name, lr,")]
    [InlineData("modle:\n  depth: 3\n", "modle", "did you mean model?")]
    [InlineData("embed_dim: 192\n", "embed_dim", "did you mean model.embed_dim?")]
    [InlineData("data:\n  curriculum:\n    strat: 32\n", "data.curriculum.strat", "did you mean start?")]
    [InlineData("{\"training\": {\"batchsize\": 32}}", "training.batchsize", "did you mean batch_size?")]
    [InlineData("data:\n  curriculum:\n    epochs: 3\n", "data.curriculum.epochs", "unknown field")]
    public void An_unknown_field_is_an_error_at_its_path_with_the_closest_name(string text, string path, string message)
    {
        var error = SingleError(text);
        Assert.Equal(path, error.Path);
        Assert.StartsWith("unknown field", error.Message);
        Assert.Contains(message, error.Message);
        Assert.NotNull(error.Line);
    }

    [Theory]
    [InlineData("model:\n  embed_dim: big\n", "model.embed_dim", "expected a whole number, got 'big'")]
    [InlineData("model:\n  embed_dim: \"192\"\n", "model.embed_dim", "write it without quotes")]
    [InlineData("{\"model\": {\"embed_dim\": \"192\"}}", "model.embed_dim", "write it without quotes")]
    [InlineData("model:\n  depth: 6.5\n", "model.depth", "expected a whole number, got '6.5'")]
    [InlineData("model:\n  depth: 99999999999\n", "model.depth", "out of range")]
    [InlineData("model:\n  mlp_ratio: four\n", "model.mlp_ratio", "expected a number, got 'four'")]
    [InlineData("model:\n  mlp_ratio: .nan\n", "model.mlp_ratio", "expected a number")]
    [InlineData("model:\n  mlp_ratio: Infinity\n", "model.mlp_ratio", "must be a finite number")]
    [InlineData("model:\n  mlp_ratio: [4]\n", "model.mlp_ratio", "expected a number, got a list")]
    [InlineData("model:\n  mlp_ratio: {a: 1}\n", "model.mlp_ratio", "expected a number, got a mapping")]
    [InlineData("{\"model\": {\"mlp_ratio\": true}}", "model.mlp_ratio", "expected a number, got 'true'")]
    [InlineData("model:\n  distillation_token: yes\n", "model.distillation_token", "expected true or false, got 'yes'")]
    [InlineData("model:\n  distillation_token: 1\n", "model.distillation_token", "expected true or false")]
    [InlineData("{\"model\": {\"variant\": false}}", "model.variant", "expected a name")]
    [InlineData("model:\n  variant: [tiny]\n", "model.variant", "expected a name, got a list")]
    [InlineData("model:\n  patch_size:\n", "model.patch_size", "must not be null")]
    [InlineData("model: tiny\n", "model", "expected a section of fields")]
    [InlineData("model:\n  - depth: 3\n", "model", "expected a section of fields")]
    [InlineData("schedule:\n  milestones: 0.5\n", "schedule.milestones", "expected a list of numbers")]
    [InlineData("schedule:\n  milestones: [0.3, half]\n", "schedule.milestones[1]", "expected a number, got 'half'")]
    [InlineData("seed: -1.5\n", "seed", "expected a whole number")]
    [InlineData("seed: 0x10\n", "seed", "expected a whole number")]
    public void A_value_of_the_wrong_type_is_an_error_at_its_path(string text, string path, string message)
    {
        var error = SingleError(text);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Nullable_fields_accept_null()
    {
        var r = RecipeParser.Parse("model:\n  layer_scale: null\n  embed_dim: ~\ntraining:\n  ema:\noptimizer:\n  clip_grad_norm: null\n").Recipe!;
        Assert.Equal(new Recipe(), r);
    }

    [Fact]
    public void Every_error_is_reported_not_only_the_first()
    {
        var result = RecipeParser.Parse("model:\n  depthh: 3\n  heads: x\ntraining:\n  batch_size: \"8\"\nfoo: 1\n");
        Assert.Equal(["model.depthh", "model.heads", "training.batch_size", "foo"], result.Errors.Select(e => e.Path));
        Assert.Equal([2, 3, 5, 6], result.Errors.Select(e => e.Line ?? 0));
    }

    [Fact]
    public void A_duplicate_field_is_an_error()
    {
        var error = SingleError("{\"model\": {\"depth\": 3, \"depth\": 4}}");
        Assert.Equal("model.depth", error.Path);
        Assert.Contains("duplicate", error.Message);
    }

    [Fact]
    public void Field_paths_cover_every_record_property()
    {
        Assert.Equal((17 + 4 + 4) + 9 + 7 + (5 + 4 + 4) + (7 + 4 + 6) + 2 + 1, RecipeParser.FieldPaths.Count);
        Assert.Contains("model.binary.depths", RecipeParser.FieldPaths);
        Assert.Contains("data.curriculum.unit", RecipeParser.FieldPaths);
        Assert.Contains("data.crop.padding", RecipeParser.FieldPaths);
        Assert.Contains("seed", RecipeParser.FieldPaths);
        // Every property of the records has a key (snake_case of its name).
        var expected = new[] { typeof(ModelSpec), typeof(OptimizerSpec), typeof(ScheduleSpec), typeof(TrainingSpec), typeof(DataSpec), typeof(EvaluationSpec), typeof(CurriculumSpec), typeof(CropSpec), typeof(BinarySpec), typeof(HydraSpec) }
            .SelectMany(t => t.GetProperties().Where(p => p.Name != "EqualityContract").Select(p => Snake(p.Name)))
            .Append("seed");
        foreach (var key in expected)
            Assert.Contains(RecipeParser.FieldPaths, p => p.EndsWith("." + key, StringComparison.Ordinal) || p == key || p.Contains("." + key + ".", StringComparison.Ordinal));
    }

    [Fact]
    public void Overlong_text_is_refused()
    {
        var error = SingleError("seed: 1\n" + new string('#', RecipeParser.MaxLength));
        Assert.Contains("at most", error.Message);
    }

    private static string Snake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
