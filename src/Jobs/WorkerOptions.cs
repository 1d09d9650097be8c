namespace Leaderboard.Jobs;

/// <summary>How this node trains runs: bound from the "Worker" configuration section.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>Whether this process executes runs. The web app hosts one in the embedded default; production web hosts only schedule.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The Quartz cluster's name: every node of one deployment uses the same (it is also the scheduler's name within a process).</summary>
    public string ClusterName { get; set; } = "leaderboard";

    /// <summary>Hardware classes (Quartz execution groups) this node serves: "cpu" for the synthetic track, "gpu" for GPU nodes.</summary>
    /// <remarks>Empty by default (configuration binding appends to a pre-filled array); see <see cref="ServedGroups"/>.</remarks>
    public string[] Groups { get; set; } = [];

    public IReadOnlyList<string> ServedGroups => Groups.Length > 0 ? Groups : ["cpu"];

    /// <summary>Runs at once on this node: one per GPU (or one on the CPU).</summary>
    public int Concurrency { get; set; } = 1;

    /// <summary>The trainer: path of lb-trainer.dll (run with dotnet) or of a self-contained lb-trainer executable.</summary>
    public string? TrainerPath { get; set; }

    /// <summary>Where runs' checkpoints and generated datasets live.</summary>
    public string DataRoot { get; set; } = ".data";

    /// <summary>cpu | cuda: the device the trainer and the evaluation use.</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>The GPU this node's runs use (CUDA_VISIBLE_DEVICES), when Device is cuda.</summary>
    public string? CudaVisibleDevices { get; set; }

    /// <summary>Seconds past the deadline before the trainer's process tree is killed.</summary>
    public double GraceSeconds { get; set; } = 15;

    public double EvaluationTimeoutSeconds { get; set; } = 1800;

    /// <summary>How often this node tells the cluster it is alive; a node silent for CheckinMisfireSeconds more is taken for dead and its runs recovered.</summary>
    public double CheckinSeconds { get; set; } = 5;

    public double CheckinMisfireSeconds { get; set; } = 15;

    /// <summary>Training attempts per run when a worker dies mid-run (its run is re-queued, then failed with the reason).</summary>
    public int MaxAttempts { get; set; } = 2;

    /// <summary>Dataset key → folder in ImageFolder layout. "synthetic" defaults to DataRoot/datasets/synthetic, generated on first start.</summary>
    public Dictionary<string, string> Datasets { get; set; } = [];

    public string SyntheticDatasetPath => Datasets.TryGetValue("synthetic", out var path) ? path : Path.Combine(DataRoot, "datasets", "synthetic");

    public string RunsRoot => Path.Combine(DataRoot, "runs");
}
