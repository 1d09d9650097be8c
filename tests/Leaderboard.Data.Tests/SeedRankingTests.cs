using Leaderboard.Data.Entities;
using Leaderboard.TestUtilities;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Data.Tests;

/// <summary>The ranking over seeds: mean, n and interval per row, the gap test to the row above, and the verdict of re-runs.</summary>
public sealed class SeedRankingTests : RankingDatabase
{
    [Fact]
    public async Task Rows_rank_by_mean_top1_with_n_and_the_95_percent_interval()
    {
        Add("three seeds", Seeds(60, 62, 64));
        Add("one lucky seed", Seeds(63));
        Add("two seeds", [(0, RunStatus.Completed, 50, null), (1, RunStatus.Failed, 0, null), (2, RunStatus.Completed, 54, null)]);
        await Db.SaveChangesAsync();

        var entries = (await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery())).Entries;

        Assert.Equal(["one lucky seed", "three seeds", "two seeds"], entries.Select(e => e.Name));
        var lucky = entries[0];
        Assert.Equal((63.0, 1, true, (double?)null, (double?)null), (lucky.Top1, lucky.Seeds, lucky.SingleSeed, lucky.Top1StdDev, lucky.Top1Ci95));
        var three = entries[1];
        Assert.Equal((62.0, 3, false, 2.0), (three.Top1, three.Seeds, three.SingleSeed, three.Top1StdDev!.Value));
        Assert.Equal(4.968, three.Top1Ci95!.Value, 3);
        // The failed seed is not a sample: n = 2, mean (50 + 54) / 2, t(0.975, 1) · s / √2 = 12.706 · 2.828 / 1.414.
        var two = entries[2];
        Assert.Equal((52.0, 2), (two.Top1, two.Seeds));
        Assert.Equal(25.412, two.Top1Ci95!.Value, 2);
    }

    [Fact]
    public async Task The_gap_to_the_row_above_is_marked_significant_only_when_welchs_test_says_so()
    {
        Add("clear winner", Seeds(80, 81, 82));
        Add("far below", Seeds(70, 71, 72));
        Add("within noise", Seeds(69.5, 71, 72.5));
        Add("single seed", Seeds(60));
        await Db.SaveChangesAsync();

        var entries = (await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery())).Entries.ToDictionary(e => e.Name);

        Assert.Null(entries["clear winner"].GapToAboveSignificant);
        Assert.True(entries["far below"].GapToAboveSignificant);
        Assert.True(entries["far below"].GapPValue < 0.001);
        Assert.False(entries["within noise"].GapToAboveSignificant);
        Assert.True(entries["within noise"].GapPValue > 0.5);
        Assert.Null(entries["single seed"].GapToAboveSignificant);
        Assert.Null(entries["single seed"].GapPValue);
    }

    [Fact]
    public async Task The_gap_compares_with_the_row_ranked_above_even_on_a_filtered_or_sorted_page()
    {
        Add("top", Seeds(80, 81, 82), device: "gpu");
        Add("second", Seeds(70, 71, 72));
        await Db.SaveChangesAsync();

        var cpuOnly = await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery(Device: "cpu"));

        Assert.Equal((2, true), (cpuOnly.Entries.Single().Rank, cpuOnly.Entries.Single().GapToAboveSignificant));
    }

    [Fact]
    public async Task A_rerun_of_a_seed_verifies_the_row_when_it_lands_within_the_interval_and_does_not_move_the_mean()
    {
        Add("reproduced", [.. Seeds(60, 62, 64), (1, RunStatus.Completed, 63.5, null)]);
        Add("not reproduced", [.. Seeds(60, 62, 64), (0, RunStatus.Completed, 70, null)]);
        Add("never re-run", Seeds(60, 62, 64));
        await Db.SaveChangesAsync();

        var entries = (await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery())).Entries.ToDictionary(e => e.Name);

        var reproduced = entries["reproduced"];
        Assert.Equal((62.0, 3), (reproduced.Top1, reproduced.Seeds));
        Assert.Equal((1L, 63.5, true, false), (reproduced.Verification!.Seed, reproduced.Verification.Top1, reproduced.Verification.Verified,
            reproduced.Verification.OtherCodeVersion));
        Assert.False(entries["not reproduced"].Verification!.Verified);
        Assert.Equal(62.0, entries["not reproduced"].Top1);
        Assert.Null(entries["never re-run"].Verification);
    }

    [Fact]
    public async Task A_single_seed_row_is_verified_within_the_documented_tolerance_and_a_rerun_on_other_code_says_so()
    {
        Add("close", [(0, RunStatus.Completed, 50, "v1"), (0, RunStatus.Completed, 50 + RowVerification.SingleSeedTolerance - 0.1, "v1")]);
        Add("off", [(0, RunStatus.Completed, 40, "v1"), (0, RunStatus.Completed, 40 + RowVerification.SingleSeedTolerance + 0.5, "v1")]);
        Add("newer code", [(0, RunStatus.Completed, 30, "v1"), (0, RunStatus.Completed, 30.2, "v2")]);
        await Db.SaveChangesAsync();

        var entries = (await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery())).Entries.ToDictionary(e => e.Name);

        Assert.True(entries["close"].Verification!.Verified);
        Assert.True(entries["close"].SingleSeed);
        Assert.False(entries["off"].Verification!.Verified);
        var newer = entries["newer code"].Verification!;
        Assert.Equal((true, true, "v2", "v1"), (newer.Verified, newer.OtherCodeVersion, newer.CodeVersion, newer.OriginalCodeVersion));
    }

    [Fact]
    public async Task A_rerun_of_a_failed_seed_becomes_that_seeds_sample_and_the_run_page_reads_the_same_verdict()
    {
        var submission = Add("retried", [(0, RunStatus.Completed, 60, null), (1, RunStatus.Failed, 0, null), (1, RunStatus.Completed, 64, null),
            (0, RunStatus.Completed, 61, null)]);
        await Db.SaveChangesAsync();

        var entry = (await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery())).Entries.Single();
        var seeds = await SubmissionSeeds.LoadAsync(Db, submission.Id, default);

        Assert.Equal((62.0, 2), (entry.Top1, entry.Seeds));
        Assert.Equal([true, false, true, false], seeds.Runs.Select(r => r.IsSample));
        Assert.Equal((entry.Seeds, entry.Top1, entry.Top1Ci95), (seeds.Summary!.N, seeds.Summary.Mean, seeds.Summary.Ci95HalfWidth));
        Assert.Equal(entry.Verification, seeds.Verification);
        Assert.Equal(submission.Runs[3].Id, entry.Verification!.RunId);
    }

    private static (long Seed, RunStatus Status, double Top1, string? CodeVersion)[] Seeds(params double[] top1) =>
        top1.Select((t, i) => ((long)i, RunStatus.Completed, t, (string?)null)).ToArray();

    private Submission Add(string name, (long Seed, RunStatus Status, double Top1, string? CodeVersion)[] runs, string device = "cpu") =>
        AddSubmission(name, runs, device: device);
}
