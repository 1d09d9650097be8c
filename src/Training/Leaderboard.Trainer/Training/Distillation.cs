using Leaderboard.Trainer.Models;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Training;

/// <summary>
/// DeiT distillation (Touvron et al. 2021, "Training data-efficient image transformers &amp; distillation through
/// attention"): a frozen teacher (an earlier run's checkpoint) sees the same, already mixed, training images as the
/// student; the loss becomes (1 − α)·CE(class head, labels) + α·D, with D on the distillation head (the class head when
/// the student has no distillation token). hard: D = CE(head, argmax teacher); soft: D = τ²·KL(softmax(teacher/τ) ‖
/// softmax(head/τ)), summed over classes and averaged over the batch (the paper's formula). The teacher's forward pass
/// runs inside the step, so it is paid from the budget.
/// </summary>
public sealed class Distillation : IDisposable
{
    private readonly ImageClassifier teacher;

    public DistillationSpec Spec { get; }
    public CheckpointInfo TeacherInfo { get; }

    public Distillation(DistillationSpec spec, ImageClassifier teacher, CheckpointInfo teacherInfo)
    {
        Spec = spec;
        this.teacher = teacher;
        TeacherInfo = teacherInfo;
        teacher.eval();
        foreach (var p in teacher.parameters()) p.requires_grad = false;
    }

    /// <summary>
    /// The teacher of a recipe's <c>training.distillation</c> from the checkpoint the platform provides; null when the
    /// recipe does not distil.
    /// </summary>
    /// <exception cref="ArgumentException">a teacher is missing or unexpected.</exception>
    /// <exception cref="InvalidDataException">the teacher was trained on other classes, or cannot see the student's image sizes.</exception>
    public static Distillation? Load(Recipe recipe, string? teacherCheckpoint, IReadOnlyList<string> classes, Device device)
    {
        var spec = recipe.Training.Distillation;
        if (spec is null)
        {
            if (teacherCheckpoint is not null)
                throw new ArgumentException("--teacher was given but the recipe does not distil (no training.distillation)", nameof(teacherCheckpoint));
            return null;
        }
        if (teacherCheckpoint is null)
            throw new ArgumentException($"the recipe distils from run {spec.TeacherRun}: pass that run's checkpoint with --teacher CKPT", nameof(teacherCheckpoint));
        var (info, model) = Checkpoints.LoadModel(teacherCheckpoint, device);
        if (!info.Classes.SequenceEqual(classes))
        {
            model.Dispose();
            throw new InvalidDataException($"the teacher '{teacherCheckpoint}' was trained on other classes than this dataset's: it must be a run on the same track");
        }
        IReadOnlyList<int> sizes = recipe.Training.Budgeted is { ImageSize.Count: > 0 } b ? b.ImageSize.Select(s => (int)s).ToArray()
            : recipe.Data.Curriculum is { } c ? RecipeValidator.CurriculumSizes(c, recipe.Data.ImageSize) : [recipe.Data.ImageSize];
        int patch = info.ModelConfig.PatchSize;
        if (sizes.FirstOrDefault(s => s % patch != 0) is int bad and > 0)
        {
            model.Dispose();
            throw new InvalidDataException($"the teacher '{teacherCheckpoint}' has patch size {patch} and cannot see the student's {bad} px images: choose a teacher whose patch size divides every training size");
        }
        return new Distillation(spec, model, info);
    }

    /// <summary>The student's loss: <paramref name="labelLoss"/> (CE of the class head on the labels) mixed with the
    /// distillation term on <paramref name="distillationHead"/>, from the teacher's logits for <paramref name="images"/>.</summary>
    public Tensor Loss(Tensor images, Tensor labelLoss, Tensor distillationHead)
    {
        Tensor target;
        using (no_grad())
            target = teacher.forward(images).to(ScalarType.Float32);
        var head = distillationHead.to(ScalarType.Float32);
        Tensor term;
        if (Spec.Type == "soft")
        {
            double tau = Spec.Tau;
            var logP = nn.functional.log_softmax(head.div(tau), 1);
            var logQ = nn.functional.log_softmax(target.div(tau), 1);
            term = logQ.exp().mul(logQ - logP).sum(1).mean().mul(tau * tau);
        }
        else term = nn.functional.cross_entropy(head, target.argmax(1));
        return labelLoss.mul(1 - Spec.Alpha) + term.mul(Spec.Alpha);
    }

    /// <summary>One line for the run's log: which run teaches and how.</summary>
    public string Describe() =>
        $"distilling ({Spec.Type}, alpha {Spec.Alpha}{(Spec.Type == "soft" ? $", tau {Spec.Tau}" : "")}) from run {Spec.TeacherRun}: " +
        $"{TrainingLoop.Describe(TeacherInfo.ModelConfig)} trained {TeacherInfo.Elapsed:0} s";

    public void Dispose() => teacher.Dispose();
}
