using Leaderboard.Training.Recipes;

namespace Leaderboard.Training.Tests.Recipes;

public class RecipeCanonicalTests
{
    private const string Yaml = """
        # a locality model
        model:
          variant: small
          ffn: locality
          layer_scale: 1e-5
        optimizer:
          lr: 5e-4
        schedule:
          name: step
          milestones: [0.5, 0.8]
        data:
          image_size: 224
          curriculum: {start: 32, step: 32, every: 0.1}
        seed: 7
        """;

    private const string SameAsJson = """
        {
          "seed": 7,
          "data": {"curriculum": {"every": 0.1, "step": 32, "start": 32}, "image_size": 224},
          "schedule": {"milestones": [0.50, 0.8], "name": "step"},
          "optimizer": {"lr": 0.0005},
          "model": {"layer_scale": 0.00001, "ffn": "locality", "variant": "small"}
        }
        """;

    private const string SameWithDefaultsStated = """
        model:
          variant: Small
          embed_dim: 384      # small's own dims, stated
          depth: 12
          heads: 6
          mlp_ratio: 4.0
          patch_size: 16
          pooling: cls
          ffn: locality
          layer_scale: 0.00001
          distillation_token: false
        optimizer: {name: adamw, lr: 0.0005, weight_decay: 0.05, clip_grad_norm: null}
        schedule: {name: step, over: budget, warmup: 0.05, milestones: [0.5, 0.8], gamma: 0.1}
        training: {batch_size: 64, precision: fp32}
        data:
          image_size: 224
          augment: light
          curriculum: {start: 32, step: 32, every: 0.1, unit: budget}
        evaluation: {image_size: null, crop_ratio: 0.875}
        seed: 7
        """;

    private static Recipe Parse(string text)
    {
        var result = RecipeParser.Parse(text);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        return result.Recipe!;
    }

    [Theory]
    [InlineData(SameAsJson)]
    [InlineData(SameWithDefaultsStated)]
    public void Format_key_order_and_stated_defaults_do_not_change_the_hash(string other)
    {
        Assert.Equal(RecipeCanonical.ToCanonicalJson(Parse(Yaml)), RecipeCanonical.ToCanonicalJson(Parse(other)));
        Assert.Equal(RecipeCanonical.Hash(Parse(Yaml)), RecipeCanonical.Hash(Parse(other)));
    }

    public static TheoryData<string, Func<Recipe, Recipe>> Changes() => new()
    {
        { "seed", r => r with { Seed = 8 } },
        { "drop_path", r => r with { Model = r.Model with { DropPath = 0.1 } } },
        { "a milestone", r => r with { Schedule = r.Schedule with { Milestones = [0.5, 0.9] } } },
        { "no curriculum", r => r with { Data = r.Data with { Curriculum = null } } },
        { "embed_dim other than the variant's", r => r with { Model = r.Model with { EmbedDim = 192, Heads = 3 } } },
        { "lr by one ulp", r => r with { Optimizer = r.Optimizer with { Lr = Math.BitIncrement(r.Optimizer.Lr) } } },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Any_change_of_value_changes_the_hash(string change, Func<Recipe, Recipe> apply)
    {
        _ = change;
        var recipe = Parse(Yaml);
        Assert.NotEqual(RecipeCanonical.Hash(recipe), RecipeCanonical.Hash(apply(recipe)));
    }

    [Fact]
    public void Hash_is_lowercase_hex_sha256_of_the_canonical_json()
    {
        var recipe = Parse(Yaml);
        string hash = RecipeCanonical.Hash(recipe);
        Assert.Matches("^[0-9a-f]{64}$", hash);
        string expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(RecipeCanonical.ToCanonicalJson(recipe))));
        Assert.Equal(expected, hash);
    }

    [Fact]
    public void Canonical_json_has_every_field_in_a_fixed_order_with_invariant_numbers()
    {
        string expected = """
            {"model":{"variant":"tiny","embed_dim":null,"depth":null,"heads":null,"mlp_ratio":4,"patch_size":16,"pooling":"cls","dropout":0,"drop_path":0,"layer_scale":null,"ffn":"mlp","tokenizer":"patch","attention":"mhsa","distillation_token":false,"init":"timm"},
            "optimizer":{"name":"adamw","lr":0.001,"weight_decay":0.05,"beta1":0.9,"beta2":0.999,"eps":1e-08,"momentum":0.9,"nesterov":false,"clip_grad_norm":null},
            "schedule":{"name":"cosine","over":"budget","epochs":null,"warmup":0.05,"min_lr":1e-05,"milestones":[],"gamma":0.1},
            "training":{"batch_size":64,"precision":"fp32","label_smoothing":0.1,"ema":null,"checkpoint_every":0.25},
            "data":{"image_size":32,"curriculum":null,"augment":"light","mixup":0,"cutmix":0,"mixup_switch_prob":0.5,"repeated_augment":1},
            "evaluation":{"image_size":null,"crop_ratio":0.875},"seed":0}
            """.Replace("\n", "");
        Assert.Equal(expected, RecipeCanonical.ToCanonicalJson(new Recipe()));
    }

    [Fact]
    public void Options_added_later_keep_old_hashes_at_their_default_and_count_when_set()
    {
        // A recipe stored before pos_embed and zero_head existed: stating their defaults changes nothing.
        string old = "model: {variant: small}\nseed: 3";
        string stated = "model: {variant: small, pos_embed: learned, zero_head: false}\nseed: 3";
        Assert.Equal(RecipeCanonical.Hash(Parse(old)), RecipeCanonical.Hash(Parse(stated)));
        Assert.DoesNotContain("pos_embed", RecipeCanonical.ToCanonicalJson(Parse(stated)));
        Assert.DoesNotContain("zero_head", RecipeCanonical.ToYaml(Parse(stated)));

        var plain = Parse("model: {variant: small, pos_embed: sincos2d, zero_head: true}\nseed: 3");
        string json = RecipeCanonical.ToCanonicalJson(plain);
        Assert.Contains("\"init\":\"timm\",\"pos_embed\":\"sincos2d\",\"zero_head\":true}", json);
        Assert.NotEqual(RecipeCanonical.Hash(Parse(old)), RecipeCanonical.Hash(plain));
        Assert.Equal(plain, Parse(json));
    }

    [Fact]
    public void Crop_and_flip_are_in_the_canonical_form_only_when_changed()
    {
        string old = "data: {augment: none}\nseed: 3";
        string stated = "data: {augment: none, crop: {mode: random_resized, scale_min: 0.08}, flip: 0.5}\nseed: 3";
        Assert.Equal(RecipeCanonical.Hash(Parse(old)), RecipeCanonical.Hash(Parse(stated)));
        Assert.DoesNotContain("\"crop\":", RecipeCanonical.ToCanonicalJson(Parse(stated)));

        var whole = Parse("data: {augment: none, crop: {mode: padded}, flip: 0}\nseed: 3");
        string json = RecipeCanonical.ToCanonicalJson(whole);
        Assert.Contains("\"augment\":\"none\",\"crop\":{\"mode\":\"padded\",\"scale_min\":0.08,\"scale_max\":1,\"aspect_min\":0.75,\"aspect_max\":1.3333333333333333,\"padding\":4},\"flip\":0,", json);
        Assert.NotEqual(RecipeCanonical.Hash(Parse(old)), RecipeCanonical.Hash(whole));
        Assert.Equal(whole, Parse(json));
        Assert.Equal(whole, Parse(RecipeCanonical.ToYaml(whole)));
    }

    [Fact]
    public void Distillation_is_in_the_canonical_form_only_when_set()
    {
        var recipe = Parse("model: {distillation_token: true}\ntraining: {distillation: {teacher_run: 42, type: soft}}");
        string json = RecipeCanonical.ToCanonicalJson(recipe);
        Assert.Contains("\"checkpoint_every\":0.25,\"distillation\":{\"teacher_run\":42,\"type\":\"soft\",\"alpha\":0.5,\"tau\":1}}", json);
        Assert.Equal(recipe, Parse(json));
        Assert.Equal(recipe, Parse(RecipeCanonical.ToYaml(recipe)));
        Assert.DoesNotContain("distillation\"", RecipeCanonical.ToCanonicalJson(Parse("model: {distillation_token: true}")));
        Assert.NotEqual(RecipeCanonical.Hash(recipe), RecipeCanonical.Hash(recipe with { Training = recipe.Training with { Distillation = recipe.Training.Distillation! with { TeacherRun = 43 } } }));
    }

    [Fact]
    public void Explicit_dims_equal_to_the_variant_are_normalized_away()
    {
        var normalized = RecipeCanonical.Normalize(new Recipe { Model = new ModelSpec { Variant = "base", EmbedDim = 768, Depth = 6, Heads = 12 } });
        Assert.Equal(new ModelSpec { Variant = "base", Depth = 6 }, normalized.Model);
    }

    public static TheoryData<string> RoundTripRecipes() => new(
        new[] { Yaml, "seed: 0", "model: {variant: custom, embed_dim: 96, depth: 4, heads: 3, tokenizer: spt, attention: lsa, distillation_token: true}\ntraining: {ema: 0.9998}\nevaluation: {image_size: 48, crop_ratio: 1}\noptimizer: {clip_grad_norm: 1, eps: 1e-12, lr: 3.3333333333333335e-4}\nseed: 9223372036854775807" }
            .Concat(RecipeTemplates.All.Select(t => t.Yaml)));

    [Theory]
    [MemberData(nameof(RoundTripRecipes))]
    public void Canonical_json_and_yaml_parse_back_to_an_equal_recipe(string text)
    {
        var recipe = RecipeCanonical.Normalize(Parse(text));
        string json = RecipeCanonical.ToCanonicalJson(recipe);
        Assert.Equal(recipe, Parse(json));
        Assert.Equal(json, RecipeCanonical.ToCanonicalJson(Parse(json)));
        string yaml = RecipeCanonical.ToYaml(recipe);
        Assert.Equal(recipe, Parse(yaml));
        Assert.Equal(RecipeCanonical.Hash(recipe), RecipeCanonical.Hash(Parse(yaml)));
    }

    [Fact]
    public void Yaml_for_display_is_readable_and_leaves_out_what_is_off()
    {
        string yaml = RecipeCanonical.ToYaml(Parse(Yaml));
        Assert.StartsWith("model:\n  variant: small\n  mlp_ratio: 4\n", yaml);
        Assert.Contains("  layer_scale: 1e-05\n", yaml);
        Assert.Contains("  milestones: [0.5, 0.8]\n", yaml);
        Assert.Contains("  curriculum:\n    start: 32\n    step: 32\n    every: 0.1\n    unit: budget\n", yaml);
        Assert.DoesNotContain("null", yaml);
        Assert.EndsWith("seed: 7\n", yaml);
    }

    [Fact]
    public void Records_compare_milestones_by_value()
    {
        Assert.Equal(new ScheduleSpec { Milestones = [0.5] }, new ScheduleSpec { Milestones = new List<double> { 0.5 } });
        Assert.NotEqual(new ScheduleSpec { Milestones = [0.5] }, new ScheduleSpec { Milestones = [0.6] });
        Assert.Equal(new ScheduleSpec { Milestones = [0.5] }.GetHashCode(), new ScheduleSpec { Milestones = new List<double> { 0.5 } }.GetHashCode());
    }
}
