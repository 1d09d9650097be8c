namespace Leaderboard.Jobs;

/// <summary>How this node trains runs: bound from the "Worker" configuration section.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>Whether this process executes runs. The web app hosts one in the embedded default; production web hosts only queue.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>This node's name in the node list, the Hangfire dashboard and a run's worker field; unique per worker process.</summary>
    public string NodeName { get; set; } = Environment.MachineName;

    /// <summary>The hardware discovery command; GPUs it lists make this a "gpu" node (one run per GPU), none a "cpu" node.</summary>
    public string NvidiaSmi { get; set; } = "nvidia-smi";

    /// <summary>Runs at once on a CPU node (a GPU node runs one per GPU).</summary>
    public int Concurrency { get; set; } = 1;

    /// <summary>The trainer: path of lb-trainer.dll (run with dotnet) or of a self-contained lb-trainer executable.</summary>
    public string? TrainerPath { get; set; }

    /// <summary>Where runs' checkpoints and generated datasets live: shared by all nodes, so a recovered run finds its checkpoint.</summary>
    public string DataRoot { get; set; } = ".data";

    /// <summary>Seconds past the deadline before the trainer's process tree is killed.</summary>
    public double GraceSeconds { get; set; } = 15;

    public double EvaluationTimeoutSeconds { get; set; } = 1800;

    /// <summary>
    /// Hangfire's sliding invisibility timeout: a live worker extends its job every fifth of it; a job whose worker died
    /// is handed to another node 0.8–1 × this later. 120 s: a dead node's run resumes within about two minutes.
    /// </summary>
    public double InvisibilityTimeoutSeconds { get; set; } = 120;

    /// <summary>How often the node row is refreshed; the queue view counts a node silent for 3 × this as offline.</summary>
    public double HeartbeatSeconds { get; set; } = 5;

    /// <summary>Attempts per run: a run lost with its worker or hit by another platform fault is re-queued until then, then failed with the reason.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Trainer output lines kept per run (the oldest are dropped beyond it).</summary>
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

    /// <summary>A node that has not sent a heartbeat for this long is lost (3 heartbeats, as the queue view counts it offline).</summary>
    public TimeSpan NodeLostAfter => TimeSpan.FromSeconds(3 * HeartbeatSeconds);

    public string SyntheticDatasetPath => Datasets.TryGetValue("synthetic", out var path) ? path : Path.Combine(DataRoot, "datasets", "synthetic");

    public string RunsRoot => Path.Combine(DataRoot, "runs");
}
