using static Leaderboard.Torch.torch;

// Live-tensor counts are process-wide: run the tests of this assembly one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Leaderboard.Torch.Tests;

internal static class TestSupport
{
    public static void AssertClose(double[] expected, Tensor actual, double tol = 1e-5)
    {
        var a = actual.data<double>();
        Assert.Equal(expected.Length, a.Length);
        for (var i = 0; i < a.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - a[i]) <= tol * Math.Max(1, Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, got {a[i]} (all: [{string.Join(", ", a)}])");
        }
    }

    public static void AssertClose(Tensor expected, Tensor actual, double tol = 1e-5) => AssertClose(expected.data<double>(), actual, tol);

    /// <summary>Frees the finalizable garbage of earlier tests so that live counts are stable.</summary>
    public static long StableLiveCount()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Tensor.TotalLiveCount;
    }
}
