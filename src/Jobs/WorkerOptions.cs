using System.ComponentModel.DataAnnotations;

namespace Leaderboard.Jobs;

/// <summary>
/// How this node trains runs: bound from the "Worker" configuration section (<c>Worker__…</c> variables) and validated
/// on start; each message names the variable to fix.
/// </summary>
public sealed class WorkerOptions : IValidatableObject
{
    public const string Section = "Worker";

    /// <summary>Whether this process executes runs. The web app hosts one in the embedded default; production web hosts only queue.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>This node's name in the node list, the Hangfire dashboard and a run's worker field; unique per worker process.</summary>
    [Required(ErrorMessage = "Worker__NodeName must not be empty."), StringLength(200, ErrorMessage = "Worker__NodeName must be at most {1} characters.")]
    public string NodeName { get; set; } = Environment.MachineName;

    /// <summary>The hardware discovery command; GPUs it lists make this a "gpu" node (one run per GPU), none a "cpu" node.</summary>
    public string NvidiaSmi { get; set; } = "nvidia-smi";

    /// <summary>Runs at once on a CPU node (a GPU node runs one per GPU).</summary>
    [Range(1, 256, ErrorMessage = "Worker__Concurrency must be between {1} and {2}.")]
    public int Concurrency { get; set; } = 1;

    /// <summary>The trainer: path of lb-trainer.dll (run with dotnet) or of a self-contained lb-trainer executable.</summary>
    public string? TrainerPath { get; set; }

    /// <summary>Where runs' checkpoints and generated datasets live: shared by all nodes, so a recovered run finds its checkpoint.</summary>
    public string DataRoot { get; set; } = ".data";

    /// <summary>Seconds past the deadline before the trainer's process tree is killed.</summary>
    [Range(0, 3600, ErrorMessage = "Worker__GraceSeconds must be between {1} and {2} seconds.")]
    public double GraceSeconds { get; set; } = 15;

    [Range(1, 86_400, ErrorMessage = "Worker__EvaluationTimeoutSeconds must be between {1} and {2} seconds.")]
    public double EvaluationTimeoutSeconds { get; set; } = 1800;

    /// <summary>
    /// The cap on a run's pre-flight check (model built, a few steps at the first and final image size) before its budget
    /// starts; the budget does not pay for it. A pre-flight still running then fails the run as the recipe's fault.
    /// </summary>
    [Range(10, 7200, ErrorMessage = "Worker__PreflightSeconds must be between {1} and {2} seconds.")]
    public double PreflightSeconds { get; set; } = 300;

    /// <summary>
    /// Hangfire's sliding invisibility timeout: a live worker extends its job every fifth of it; a job whose worker died
    /// is handed to another node 0.8–1 × this later. 120 s: a dead node's run resumes within about two minutes.
    /// </summary>
    [Range(5, 86_400, ErrorMessage = "Worker__InvisibilityTimeoutSeconds must be between {1} and {2} seconds.")]
    public double InvisibilityTimeoutSeconds { get; set; } = 120;

    /// <summary>How often the node row is refreshed; the queue view counts a node silent for 3 × this as offline.</summary>
    [Range(0.1, 3600, ErrorMessage = "Worker__HeartbeatSeconds must be between {1} and {2} seconds.")]
    public double HeartbeatSeconds { get; set; } = 5;

    /// <summary>Attempts per run: a run lost with its worker or hit by another platform fault is re-queued until then, then failed with the reason.</summary>
    [Range(1, 100, ErrorMessage = "Worker__MaxAttempts must be between {1} and {2}.")]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Trainer output lines kept per run (the oldest are dropped beyond it).</summary>
    [Range(1, 10_000_000, ErrorMessage = "Worker__MaxLogLines must be between {1} and {2}.")]
    public int MaxLogLines { get; set; } = 20_000;

    /// <summary>Dataset key → folder in ImageFolder layout. "synthetic" defaults to DataRoot/datasets/synthetic, generated on first start.</summary>
    public Dictionary<string, string> Datasets { get; set; } = [];

    /// <summary>
    /// Seconds a stopping worker (SIGTERM, upgrade) gives its trainers to checkpoint and exit before it kills them; the
    /// run goes back to the queue and resumes from that checkpoint elsewhere.
    /// </summary>
    public double StopGraceSeconds { get; set; } = 60;

    /// <summary>How often the reconciler looks for runs in Running/Evaluating whose worker no longer holds them.</summary>
    public double ReconcileSeconds { get; set; } = 30;

    /// <summary>
    /// Hours between measurements of the node's reference workload (also measured at start); 0 turns calibration off
    /// (then calibrated-budget tracks cannot run on this node).
    /// </summary>
    [Range(0, 8760, ErrorMessage = "Worker__CalibrationHours must be between {1} and {2} hours (0: never).")]
    public double CalibrationHours { get; set; } = 6;

    /// <summary>A node that has not sent a heartbeat for this long is lost (3 heartbeats, as the queue view counts it offline).</summary>
    public TimeSpan NodeLostAfter => TimeSpan.FromSeconds(3 * HeartbeatSeconds);

    public string SyntheticDatasetPath => Datasets.TryGetValue("synthetic", out var path) ? path : Path.Combine(DataRoot, "datasets", "synthetic");

    public string RunsRoot => Path.Combine(DataRoot, "runs");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(DataRoot))
            yield return new ValidationResult("Worker__DataRoot must name a folder (the runs' checkpoints live there).", [nameof(DataRoot)]);
        if (!Enabled) yield break;
        if (TrainerPath is { Length: > 0 } trainer && !File.Exists(trainer))
            yield return new ValidationResult($"Worker__TrainerPath: there is no file '{trainer}' (lb-trainer.dll or the self-contained lb-trainer).", [nameof(TrainerPath)]);
        foreach (var (key, folder) in Datasets.Where(d => string.IsNullOrWhiteSpace(d.Value)))
            yield return new ValidationResult($"Worker__Datasets__{key} is empty: set it to a folder in ImageFolder layout (train/, val/).", [nameof(Datasets)]);
    }
}
