namespace Leaderboard.Data;

/// <summary>
/// What the leaderboard filters on, derived from a submission's canonical recipe (jsonb) by PostgreSQL itself as stored
/// generated columns: computed at submission time, filled in for existing rows by the migration that adds them, and
/// never out of step with the recipe. Keys follow the canonical form (Leaderboard.Training.Recipes.RecipeCanonical);
/// a missing key means the field's default.
/// </summary>
public static class SubmissionFacets
{
    /// <summary>The model variant: tiny | small | base | custom.</summary>
    public const string ModelFamilySql = "coalesce(recipe_canonical #>> '{model,variant}', 'tiny')";

    /// <summary>Component names in the order the components column lists them.</summary>
    public static readonly IReadOnlyList<string> Components =
        ["locality", "localvit", "curriculum", "spt", "lsa", "distillation", "layerscale", "ema", "mixup", "cutmix"];

    // locality: the locality FFN (Irandoust et al. 2022); localvit: LocalViT's FFN (Li et al. 2021); curriculum: an
    // image-size curriculum; spt/lsa: shifted patch tokenization / locality self-attention (Lee et al. 2021);
    // distillation: DeiT's distillation token; layerscale (CaiT), ema, mixup, cutmix: when switched on.
    public const string ComponentsSql = """
        array_remove(ARRAY[
            CASE WHEN recipe_canonical #>> '{model,ffn}' = 'locality' THEN 'locality' END,
            CASE WHEN recipe_canonical #>> '{model,ffn}' = 'localvit' THEN 'localvit' END,
            CASE WHEN jsonb_typeof(recipe_canonical #> '{data,curriculum}') = 'object' THEN 'curriculum' END,
            CASE WHEN recipe_canonical #>> '{model,tokenizer}' = 'spt' THEN 'spt' END,
            CASE WHEN recipe_canonical #>> '{model,attention}' = 'lsa' THEN 'lsa' END,
            CASE WHEN recipe_canonical #> '{model,distillation_token}' = 'true'::jsonb THEN 'distillation' END,
            CASE WHEN jsonb_typeof(recipe_canonical #> '{model,layer_scale}') = 'number' THEN 'layerscale' END,
            CASE WHEN jsonb_typeof(recipe_canonical #> '{training,ema}') = 'number' THEN 'ema' END,
            CASE WHEN jsonb_typeof(recipe_canonical #> '{data,mixup}') = 'number' AND (recipe_canonical #>> '{data,mixup}')::float8 > 0 THEN 'mixup' END,
            CASE WHEN jsonb_typeof(recipe_canonical #> '{data,cutmix}') = 'number' AND (recipe_canonical #>> '{data,cutmix}')::float8 > 0 THEN 'cutmix' END
        ]::text[], NULL)
        """;
}
