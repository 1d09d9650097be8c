namespace Leaderboard.Training.Progress;

/// <summary>
/// What a track's budget is counted in; the worker enforces it and the trainer's schedule and curriculum run over it
/// (progress = elapsed in this measure / budget), so both agree on how much of the budget is spent.
/// </summary>
public static class BudgetModes
{
    /// <summary>Wall-clock seconds on the track's hardware class.</summary>
    public const string Wall = "wall";

    /// <summary>
    /// CPU seconds of the trainer's process (all its threads), read from the OS: a noisy neighbour on the same cores slows
    /// the run down but does not eat its budget. A generous wall-clock cap still applies.
    /// </summary>
    public const string CpuTime = "cpu-time";

    /// <summary>
    /// Reference seconds: wall seconds × the node's calibration score / the track's reference score, so a fast and a slow
    /// node do the same amount of reference work.
    /// </summary>
    public const string Calibrated = "calibrated";

    public static IReadOnlyList<string> All { get; } = [Wall, CpuTime, Calibrated];

    /// <summary>A cpu-time run's wall-clock cap: this many times its budget.</summary>
    public const double CpuTimeWallCapFactor = 4;
}
