using System.Buffers.Binary;
using System.Text;
using Leaderboard.Trainer.Models;
using Leaderboard.Trainer.Training;

namespace Leaderboard.Trainer.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class SafetensorsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("lb-safetensors-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Save_writes_the_exact_safetensors_bytes()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(dir, "a.safetensors");
        Safetensors.Save(path, [("a", tensor(new float[] { 1, 2 })), ("b", tensor(new long[] { 3 }, [1, 1]))], new Dictionary<string, string> { ["k"] = "v+1" });
        var json = "{\"__metadata__\":{\"k\":\"v+1\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"I64\",\"shape\":[1,1],\"data_offsets\":[8,16]}}";
        var header = Encoding.UTF8.GetBytes(json.PadRight((json.Length + 7) / 8 * 8));
        var expected = new List<byte>();
        var len = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
        expected.AddRange(len);
        expected.AddRange(header);
        expected.AddRange([0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]);
        expected.AddRange([3, 0, 0, 0, 0, 0, 0, 0]);
        Assert.Equal(expected.ToArray(), File.ReadAllBytes(path));
        Assert.Equal(0, header.Length % 8);
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void Round_trip_keeps_dtypes_shapes_values_and_metadata()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(dir, "m.safetensors");
        var f32 = randn(3, 4);
        var bf16 = randn(5).to(ScalarType.BFloat16);
        var f16 = randn(2, 2).to(ScalarType.Float16);
        var i64 = arange(6).view(2, 3);
        var scalar = tensor(2.5f);
        var flags = tensor(new[] { true, false });
        var meta = new Dictionary<string, string> { ["step"] = "42", ["recipe"] = "{\"lr\": 0.001}" };
        Safetensors.Save(path, [("f32", f32), ("bf16", bf16), ("f16", f16), ("i64", i64), ("scalar", scalar), ("flags", flags)], meta);
        var (loaded, m) = Safetensors.Load(path);
        Assert.Equal(meta, m);
        Assert.Equal(6, loaded.Count);
        Assert.Equal(f32.bytes.ToArray(), loaded["f32"].bytes.ToArray());
        Assert.Equal(ScalarType.BFloat16, loaded["bf16"].dtype);
        Assert.Equal(bf16.bytes.ToArray(), loaded["bf16"].bytes.ToArray());
        Assert.Equal(ScalarType.Float16, loaded["f16"].dtype);
        Assert.Equal(f16.bytes.ToArray(), loaded["f16"].bytes.ToArray());
        Assert.Equal([2L, 3L], loaded["i64"].shape);
        Assert.Equal(i64.data<long>().ToArray(), loaded["i64"].data<long>().ToArray());
        Assert.Empty(loaded["scalar"].shape);
        Assert.Equal(2.5f, loaded["scalar"].item<float>());
        Assert.Equal([true, false], loaded["flags"].data<bool>().ToArray());

        // saving the loaded tensors again gives the same file
        var again = Path.Combine(dir, "again.safetensors");
        Safetensors.Save(again, [("f32", loaded["f32"]), ("bf16", loaded["bf16"]), ("f16", loaded["f16"]), ("i64", loaded["i64"]), ("scalar", loaded["scalar"]), ("flags", loaded["flags"])], meta);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
    }

    [Fact]
    public void Model_state_dict_round_trip_through_a_file()
    {
        using var scope = NewDisposeScope();
        using var a = nn.Sequential(new Linear(3, 4), new LayerNorm(4, 1e-6));
        using var b = nn.Sequential(new Linear(3, 4), new LayerNorm(4, 1e-6));
        var path = Path.Combine(dir, "model.safetensors");
        Safetensors.Save(path, a.state_dict());
        var (loaded, meta) = Safetensors.Load(path);
        Assert.Empty(meta);
        b.load_state_dict(loaded);
        var x = randn(2, 3);
        Assert.Equal(a.forward(x).data<float>().ToArray(), b.forward(x).data<float>().ToArray());
    }

    [Fact]
    public void Save_replaces_an_existing_file_and_rejects_bad_names()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(dir, "x.safetensors");
        File.WriteAllText(path, "old");
        Safetensors.Save(path, [("t", ones(1))]);
        Assert.Equal(1f, Safetensors.Load(path).tensors["t"].item<float>());
        Assert.Throws<ArgumentException>(() => Safetensors.Save(path, [("t", ones(1)), ("t", ones(1))]));
        Assert.Throws<ArgumentException>(() => Safetensors.Save(path, [("__metadata__", ones(1))]));
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void Overwriting_a_larger_file_leaves_no_stale_bytes()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(dir, "c.safetensors");
        Safetensors.Save(path, [("big", randn(1000))]);
        Safetensors.Save(path, [("small", ones(2))]);
        var (loaded, _) = Safetensors.Load(path);
        Assert.Equal(["small"], loaded.Keys);
        long header = (long)BinaryPrimitives.ReadUInt64LittleEndian(File.ReadAllBytes(path).AsSpan(0, 8));
        Assert.Equal(8 + header + 2 * 4, new FileInfo(path).Length); // exactly the new contents, no tail of the old file
    }

    [Fact]
    public void Load_rejects_files_that_are_not_safetensors()
    {
        var path = Path.Combine(dir, "junk.safetensors");
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2]);
        Assert.Throws<InvalidDataException>(() => Safetensors.Load(path));
        var header = "{\"t\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,8]}}";
        var bytes = new byte[8 + header.Length + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        Encoding.UTF8.GetBytes(header).CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<InvalidDataException>(() => Safetensors.Load(path));
        Assert.Contains("'t' has bad data_offsets", ex.Message);
    }
}

