using System.Reflection;
using System.Runtime.InteropServices;

namespace Leaderboard.Torch.Native;

/// <summary>Finds liblbtorch.so and turns the shim's thread-local error into a <see cref="TorchException"/>.</summary>
internal static class LibTorch
{
    internal const string Lib = "lbtorch";
    internal const string FileName = "liblbtorch.so";
    private const string RepoRelativePath = "src/Training/Native/build/liblbtorch.so";

    private static readonly object Gate = new();
    private static bool initialized;

    /// <summary>Installs the resolver; every P/Invoke class calls this from its static constructor.</summary>
    internal static void Init()
    {
        lock (Gate)
        {
            if (initialized)
            {
                return;
            }

            NativeLibrary.SetDllImportResolver(typeof(LibTorch).Assembly, Resolve);
            initialized = true;
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Lib)
        {
            return IntPtr.Zero;
        }

        var path = Find(AppContext.BaseDirectory, Environment.GetEnvironmentVariable("LB_TORCH_NATIVE"), out var tried);
        return path is not null ? NativeLibrary.Load(path) : throw new DllNotFoundException(NotFoundMessage(tried));
    }

    /// <summary>The shim's path: $LB_TORCH_NATIVE, else beside the application, else src/Training/Native/build above it.</summary>
    internal static string? Find(string baseDirectory, string? environmentPath, out List<string> tried)
    {
        tried = [];
        foreach (var candidate in Candidates(baseDirectory, environmentPath))
        {
            tried.Add(candidate);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    internal static string NotFoundMessage(IEnumerable<string> tried) =>
        $"The libtorch shim {FileName} was not found (looked at: {string.Join(", ", tried)}). " +
        "Build it with src/Training/Native/build.sh (or ./lb build); it needs Debian's libtorch-dev " +
        "(apt-get install libtorch-dev libopenblas0-openmp) or Torch_DIR pointing at a libtorch. " +
        "Set LB_TORCH_NATIVE to the full path of liblbtorch.so to use another build.";

    private static IEnumerable<string> Candidates(string baseDirectory, string? environmentPath)
    {
        if (!string.IsNullOrWhiteSpace(environmentPath))
        {
            yield return environmentPath;
        }

        yield return Path.Combine(baseDirectory, FileName);
        for (var dir = new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
        {
            yield return Path.Combine(dir.FullName, RepoRelativePath);
        }
    }

    [DllImport(Lib)]
    private static extern IntPtr lb_error_take();

    [DllImport(Lib)]
    internal static extern void lb_free(IntPtr p);

    [DllImport(Lib)]
    internal static extern IntPtr lb_torch_version();

    [DllImport(Lib)]
    internal static extern int lb_torch_version_major();

    [DllImport(Lib)]
    internal static extern void lb_set_num_threads(int n);

    [DllImport(Lib)]
    internal static extern int lb_get_num_threads();

    static LibTorch() => Init();

    /// <summary>Throws the pending native error of this thread, if any.</summary>
    internal static void Check()
    {
        var err = lb_error_take();
        if (err != IntPtr.Zero)
        {
            Throw(err);
        }
    }

    /// <summary>Checks, then returns the handle (a null handle without an error is a shim bug).</summary>
    internal static IntPtr CheckHandle(IntPtr handle)
    {
        Check();
        if (handle == IntPtr.Zero)
        {
            throw new TorchException("lbtorch returned no tensor");
        }

        return handle;
    }

    private static void Throw(IntPtr err)
    {
        string message;
        try
        {
            message = Marshal.PtrToStringUTF8(err) ?? "unknown libtorch error";
        }
        finally
        {
            lb_free(err);
        }

        throw new TorchException(message.TrimEnd());
    }
}
