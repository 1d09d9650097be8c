using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Leaderboard.Imaging.Native;

/// <summary>P/Invoke surface of libjpeg-turbo's TurboJPEG 2.x API (Debian 12: libturbojpeg0 2.1.5; no tj3*).</summary>
internal static partial class TurboJpegNative
{
    private const string Library = "turbojpeg";

    public const int PixelFormatRgb = 0;      // TJPF_RGB
    public const int PixelFormatCmyk = 11;    // TJPF_CMYK
    public const int ColorspaceCmyk = 3;      // TJCS_CMYK
    public const int ColorspaceYcck = 4;      // TJCS_YCCK
    public const int Subsampling420 = 2;      // TJSAMP_420
    public const int Subsampling444 = 0;      // TJSAMP_444
    public const int FlagFastDct = 2048;      // TJFLAG_FASTDCT
    public const int FlagLimitScans = 32768;  // TJFLAG_LIMITSCANS: refuse pathological progressive files
    public const int ErrorWarning = 0;        // TJERR_WARNING

    static TurboJpegNative()
    {
        // The runtime package only ships the versioned soname; the -dev package adds the plain one.
        NativeLibrary.SetDllImportResolver(typeof(TurboJpegNative).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library) return IntPtr.Zero;
        foreach (var candidate in new[] { "libturbojpeg.so.0", "libturbojpeg.so", "turbojpeg", "libturbojpeg.dylib" })
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle)) return handle;
        }
        return IntPtr.Zero;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct ScalingFactor
    {
        public int Num;
        public int Denom;
    }

    [LibraryImport(Library)] public static partial IntPtr tjInitDecompress();
    [LibraryImport(Library)] public static partial IntPtr tjInitCompress();
    [LibraryImport(Library)] public static partial int tjDestroy(IntPtr handle);

    [LibraryImport(Library)]
    public static unsafe partial int tjDecompressHeader3(IntPtr handle, byte* jpegBuf, CULong jpegSize,
        out int width, out int height, out int subsamp, out int colorspace);

    [LibraryImport(Library)]
    public static unsafe partial int tjDecompress2(IntPtr handle, byte* jpegBuf, CULong jpegSize, byte* dstBuf,
        int width, int pitch, int height, int pixelFormat, int flags);

    [LibraryImport(Library)]
    public static unsafe partial int tjCompress2(IntPtr handle, byte* srcBuf, int width, int pitch, int height,
        int pixelFormat, byte** jpegBuf, CULong* jpegSize, int jpegSubsamp, int jpegQual, int flags);

    [LibraryImport(Library)] public static unsafe partial ScalingFactor* tjGetScalingFactors(out int count);
    [LibraryImport(Library)] public static unsafe partial void tjFree(byte* buffer);
    [LibraryImport(Library)] public static partial IntPtr tjGetErrorStr2(IntPtr handle);
    [LibraryImport(Library)] public static partial int tjGetErrorCode(IntPtr handle);

    public static string ErrorMessage(IntPtr handle) =>
        Marshal.PtrToStringUTF8(tjGetErrorStr2(handle)) ?? "unknown libjpeg-turbo error";
}

/// <summary>A TurboJPEG handle, destroyed when released (also by the finalizer when its thread is gone).</summary>
internal sealed class TurboJpegHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    internal TurboJpegHandle() : base(ownsHandle: true) { }

    internal static TurboJpegHandle Create(bool compress)
    {
        var raw = compress ? TurboJpegNative.tjInitCompress() : TurboJpegNative.tjInitDecompress();
        if (raw == IntPtr.Zero)
        {
            throw new ImageDecodeException("libjpeg-turbo: " + TurboJpegNative.ErrorMessage(IntPtr.Zero));
        }
        var handle = new TurboJpegHandle();
        handle.SetHandle(raw);
        return handle;
    }

    protected override bool ReleaseHandle() => TurboJpegNative.tjDestroy(handle) == 0;
}
