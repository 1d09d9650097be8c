using System.Text;
using Leaderboard.Trainer.Runtime;

namespace Leaderboard.Trainer.Tests.Runtime;

/// <summary>TorchSharp loads from the build output on this machine (Debian 12 included) without touching the NuGet cache.</summary>
[Collection(TorchCollection.Name)]
public sealed class TorchRuntimeTests
{
    private const string Version = "GLIBCXX_3.4.32";
    private static readonly string OutputGlue = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void The_build_output_loads_and_runs_libtorch()
    {
        TorchRuntime.EnsureLoaded();
        Assert.StartsWith("TorchSharp 0.107.0, libtorch 2.10.0", TorchRuntime.Description);
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        Assert.Equal(new float[] { 7, 10, 15, 22 }, a.matmul(a).data<float>().ToArray());
        // TorchSharp's fallback (a 478 MB copy of libtorch into bin/) never ran.
        Assert.False(Directory.Exists(Path.Combine(AppContext.BaseDirectory, "cpu")));
    }

    [Fact]
    public void Output_copy_differs_from_the_package_only_where_the_system_lacks_the_version()
    {
        byte[] shipped = File.ReadAllBytes(PackageGlue());
        byte[] output = File.ReadAllBytes(OutputGlue);
        Assert.Equal(shipped.Length, output.Length);
        int differing = shipped.Zip(output).Count(p => p.First != p.Second);
        // One byte: the VER_FLG_WEAK bit of the GLIBCXX_3.4.32 need; none where libstdc++ has that version.
        Assert.Equal(SystemHasVersion() ? 0 : 1, differing);
    }

    [Fact]
    public void The_shipped_glue_fails_with_the_real_cause_where_the_system_lacks_the_version()
    {
        if (SystemHasVersion()) return; // Ubuntu 24.04 / the GPU image: the shipped glue loads as it is.
        var e = Assert.Throws<TorchLoadException>(() => TorchRuntime.Load(PackageGlue()));
        Assert.Contains(Version, e.Message);
        Assert.Contains("README.md, Troubleshooting", e.Message);
        Assert.DoesNotContain("doesn't contain a reference", e.Message);
    }

    private static string PackageGlue()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string path = Path.Combine(packages, "torchsharp", TorchRuntime.TorchSharpVersion, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"{path} not found");
        return path;
    }

    private static bool SystemHasVersion()
    {
        string libstdcxx = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }.First(File.Exists);
        return File.ReadAllBytes(libstdcxx).AsSpan().IndexOf(Encoding.ASCII.GetBytes(Version + "\0")) >= 0;
    }
}
