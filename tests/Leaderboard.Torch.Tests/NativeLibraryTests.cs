using Leaderboard.Torch.Native;

namespace Leaderboard.Torch.Tests;

public sealed class NativeLibraryTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("lb-native-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Touch(params string[] parts)
    {
        var path = Path.Combine([root, .. parts]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        return path;
    }

    [Fact]
    public void Finds_the_shim_in_the_build_folder_above_the_application()
    {
        var built = Touch("src", "Training", "Native", "build", "liblbtorch.so");
        var app = Path.Combine(root, "tests", "X", "bin", "Debug", "net10.0");
        Directory.CreateDirectory(app);
        Assert.Equal(built, LibTorch.Find(app, null, out _));
    }

    [Fact]
    public void Prefers_the_environment_variable_then_the_application_folder()
    {
        Touch("src", "Training", "Native", "build", "liblbtorch.so");
        var app = Path.Combine(root, "app");
        var beside = Touch("app", "liblbtorch.so");
        Assert.Equal(beside, LibTorch.Find(app, null, out _));
        var custom = Touch("custom", "liblbtorch.so");
        Assert.Equal(custom, LibTorch.Find(app, custom, out _));
    }

    [Fact]
    public void Missing_shim_gives_a_message_that_says_how_to_build_it()
    {
        var app = Path.Combine(root, "nothing");
        Directory.CreateDirectory(app);
        Assert.Null(LibTorch.Find(app, Path.Combine(root, "nope.so"), out var tried));
        Assert.Equal(Path.Combine(root, "nope.so"), tried[0]);
        var message = LibTorch.NotFoundMessage(tried);
        Assert.Contains("src/Training/Native/build.sh", message);
        Assert.Contains("libtorch-dev", message);
        Assert.Contains("LB_TORCH_NATIVE", message);
    }

    [Fact]
    public void The_shim_is_copied_beside_the_tests()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "liblbtorch.so")));
    }
}
