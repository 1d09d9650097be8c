using Leaderboard.Imaging;

namespace Leaderboard.Imaging.Tests;

public class JpegTests
{
    [Fact]
    public void Encode_then_decode_round_trips_with_high_psnr()
    {
        var image = TestImages.Gradient(96, 64);
        var jpeg = Jpeg.Encode(image, 95);
        var decoded = Jpeg.Decode(jpeg);
        Assert.Equal(96, decoded.Width);
        Assert.Equal(64, decoded.Height);
        Assert.True(TestImages.Psnr(image, decoded) > 30, $"PSNR {TestImages.Psnr(image, decoded):F1}");
    }

    [Fact]
    public void ReadSize_reads_the_header()
    {
        var jpeg = Jpeg.Encode(TestImages.Gradient(50, 37));
        Assert.Equal((50, 37), Jpeg.ReadSize(jpeg));
    }

    [Theory]
    [InlineData(0, 400, 300)]     // no target: full size
    [InlineData(300, 400, 300)]   // 1/1 is the only fit
    [InlineData(150, 200, 150)]   // 1/2
    [InlineData(100, 150, 113)]   // 1/4 would give 100x75: too small in height, so 3/8
    [InlineData(37, 50, 38)]      // 1/8 -> 50x38
    [InlineData(1000, 400, 300)]  // image smaller than the target: never upscale
    public void Decode_with_minTargetSide_picks_the_smallest_scale_keeping_both_sides(int target, int expectedW, int expectedH)
    {
        var jpeg = Jpeg.Encode(TestImages.Gradient(400, 300));
        var decoded = Jpeg.Decode(jpeg, target);
        Assert.Equal(expectedW, decoded.Width);
        Assert.Equal(expectedH, decoded.Height);
        Assert.True(decoded.Width >= Math.Min(target, 400) && decoded.Height >= Math.Min(target, 300));
    }

    [Fact]
    public void Scaling_factors_include_the_usual_eighths()
    {
        var scales = Jpeg.ScalingFactors;
        Assert.Contains(new JpegScale(1, 8), scales);
        Assert.Contains(new JpegScale(1, 2), scales);
        Assert.Contains(JpegScale.One, scales);
    }

    [Fact]
    public void Truncated_jpeg_throws_ImageDecodeException()
    {
        var jpeg = Jpeg.Encode(TestImages.Gradient(64, 64));
        var truncated = jpeg.AsSpan(0, jpeg.Length / 2).ToArray();
        var e = Assert.Throws<ImageDecodeException>(() => Jpeg.Decode(truncated));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void Garbage_throws_ImageDecodeException_with_libjpeg_message()
    {
        var e = Assert.Throws<ImageDecodeException>(() => Jpeg.Decode(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }));
        Assert.Contains("JPEG", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<ImageDecodeException>(() => Jpeg.Decode(ReadOnlySpan<byte>.Empty));
        Assert.Throws<ImageDecodeException>(() => Jpeg.Decode(new byte[] { 0xFF, 0xD8, 0xFF, 0x00 }));
        Assert.Throws<ImageDecodeException>(() => Jpeg.ReadSize(new byte[] { 0xFF, 0xD8, 0xFF, 0x00 }));
    }

    [Fact]
    public void Cmyk_jpegs_decode_to_rgb_as_pil_does()
    {
        var cmyk = new byte[16 * 8 * 4];
        for (var i = 0; i < 16 * 8; i++) (cmyk[i * 4], cmyk[i * 4 + 1], cmyk[i * 4 + 2], cmyk[i * 4 + 3]) = ((byte)255, (byte)128, (byte)0, (byte)200);
        var decoded = Jpeg.Decode(Jpeg.EncodeCmyk(cmyk, 16, 8));
        // Adobe CMYK is stored inverted: R = C·K/255 (PIL gives 200, 100, 0 for this file).
        Assert.InRange(decoded.Pixels[0], 198, 202);
        Assert.InRange(decoded.Pixels[1], 98, 102);
        Assert.InRange(decoded.Pixels[2], 0, 3);
    }

    [Fact]
    public void A_failed_decode_does_not_spoil_the_next_one_on_the_thread()
    {
        var jpeg = Jpeg.Encode(TestImages.Gradient(40, 30));
        Assert.Throws<ImageDecodeException>(() => Jpeg.Decode(jpeg.AsSpan(0, jpeg.Length / 3)));
        Assert.Equal((40, 30), Jpeg.ReadSize(jpeg));
        Assert.Equal(40, Jpeg.Decode(jpeg).Width);
    }

    [Fact]
    public async Task Decoding_is_thread_safe()
    {
        var jpeg = Jpeg.Encode(TestImages.Gradient(64, 48));
        var expected = Jpeg.Decode(jpeg).Pixels;
        var tasks = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 20; i++) Assert.Equal(expected, Jpeg.Decode(jpeg).Pixels);
        }));
        await Task.WhenAll(tasks);
    }
}
