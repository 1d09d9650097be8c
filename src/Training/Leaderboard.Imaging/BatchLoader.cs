using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Leaderboard.Imaging.Transforms;

namespace Leaderboard.Imaging;

public sealed record LoaderOptions
{
    public int BatchSize { get; init; } = 64;
    /// <summary>Output side length; the loader's <see cref="BatchLoader.ImageSize"/> can change it between epochs.</summary>
    public int ImageSize { get; init; } = 224;
    /// <summary>Train: shuffle, augment, drop the last partial batch (see <see cref="DropLast"/>). Eval: in order, eval transform, last partial batch kept.</summary>
    public bool Train { get; init; } = true;
    public int Seed { get; init; }
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>
    /// Most batches in flight or ready ahead of the consumer (0 = threads + 2). Each holds one batch buffer
    /// (batch × 3 × size² floats: 154 MB at 256 × 224²), so this bounds the loader's memory.
    /// </summary>
    public int Prefetch { get; init; }
    /// <summary>DeiT's RASampler: each sampled index appears this many times in an epoch (epoch length unchanged).</summary>
    public int RepeatedAugmentations { get; init; } = 1;
    public bool DropLast { get; init; } = true;
    public TrainAugmentOptions Augment { get; init; } = new();
    public double EvalCropRatio { get; init; } = 0.875;
    public Interpolation EvalInterpolation { get; init; } = Interpolation.Bicubic;
}

/// <summary>
/// One batch: <c>Count</c> images as float NCHW (normalised) in native memory, plus labels. Dispose it to return the
/// buffer to the loader's pool.
/// </summary>
public sealed class Batch : IDisposable
{
    private readonly BatchLoader.NativeBuffer _buffer;
    private readonly BatchLoader _owner;
    private int _disposed;

    internal Batch(BatchLoader owner, BatchLoader.NativeBuffer buffer, int count, int size, int[] labels, int[] indices, int epoch, int index)
    {
        _owner = owner;
        _buffer = buffer;
        Count = count;
        Size = size;
        Labels = labels;
        Indices = indices;
        Epoch = epoch;
        Index = index;
    }

    public int Count { get; }
    public int Size { get; }
    public int Epoch { get; }
    /// <summary>Position of this batch within its epoch.</summary>
    public int Index { get; }
    public int[] Labels { get; }
    /// <summary>The source sample behind each image (after corrupt-sample substitution).</summary>
    public int[] Indices { get; }
    /// <summary>Seconds the consumer waited for this batch.</summary>
    public double DataWaitSeconds { get; internal set; }

    public int FloatCount => Count * 3 * Size * Size;
    public IntPtr ImagesPointer => _disposed == 0 ? _buffer.Pointer : throw new ObjectDisposedException(nameof(Batch));
    public unsafe Span<float> Images => new((void*)ImagesPointer, FloatCount);

    /// <summary>Image <paramref name="i"/> (3·Size·Size floats, CHW).</summary>
    public Span<float> Image(int i) => Images.Slice(i * 3 * Size * Size, 3 * Size * Size);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _owner.Return(_buffer);
    }
}

/// <summary>
/// Multi-threaded batch loader over an <see cref="IImageSource"/>. Worker threads each build whole batches (decode +
/// transform) into pooled native buffers; batches are delivered in order with a bounded prefetch window. Augmentation
/// randomness is a function of (seed, epoch, position in epoch) only, so epochs are reproducible whatever the thread
/// count. Unreadable or corrupt images are counted, reported by name and replaced by another sample.
/// </summary>
public sealed class BatchLoader : IDisposable
{
    private const int MaxCorruptNames = 10;
    private const int MaxSubstitutions = 64;

    private readonly IImageSource _source;
    private readonly ConcurrentBag<NativeBuffer> _pool = [];
    private readonly ConcurrentDictionary<int, byte> _corrupt = new();
    private readonly List<string> _corruptNames = [];
    private readonly IImageTransform _transform;
    private volatile bool _disposed;

    public BatchLoader(IImageSource source, LoaderOptions options)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.ImageSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Threads);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.RepeatedAugmentations);
        if (source.Count == 0) throw new DatasetException("The image source is empty.");
        ImageSize = options.ImageSize;
        _transform = options.Train
            ? new TrainTransform(options.Augment)
            : new EvalTransform(options.ImageSize, options.EvalCropRatio, options.EvalInterpolation == Interpolation.Bicubic);
    }

    public LoaderOptions Options { get; }
    public IImageSource Source => _source;

    /// <summary>Output size of the next epoch (the image-size curriculum changes it between epochs).</summary>
    public int ImageSize
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    }

    /// <summary>Distinct corrupt or unreadable samples seen so far.</summary>
    public int CorruptCount => _corrupt.Count;

    /// <summary>The first few of them, "path: reason".</summary>
    public IReadOnlyList<string> CorruptSamples
    {
        get { lock (_corruptNames) return [.. _corruptNames]; }
    }

    public int SamplesPerEpoch => _source.Count;

    public int BatchesPerEpoch => Options.Train && Options.DropLast
        ? Math.Max(1, _source.Count / Options.BatchSize) // a source smaller than one batch still yields one (partial) batch
        : (_source.Count + Options.BatchSize - 1) / Options.BatchSize;

    /// <summary>The sample indices of an epoch in delivery order (before corrupt-sample substitution).</summary>
    public int[] EpochOrder(int epoch)
    {
        var n = _source.Count;
        var order = new int[n];
        if (!Options.Train)
        {
            for (var i = 0; i < n; i++) order[i] = i;
            return order;
        }
        var perm = new int[n];
        for (var i = 0; i < n; i++) perm[i] = i;
        var rng = new Random(Mix(Options.Seed, epoch, -1));
        for (var i = n - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (perm[i], perm[j]) = (perm[j], perm[i]);
        }
        // RASampler (DeiT, one replica): every index repeated k times in a row, the list cut to the epoch length.
        var k = Options.RepeatedAugmentations;
        for (var i = 0; i < n; i++) order[i] = perm[i / k];
        return order;
    }

    /// <summary>Enumerates the batches of one epoch at the current <see cref="ImageSize"/>. Dispose every batch.</summary>
    public IEnumerable<Batch> Epoch(int epoch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Run(epoch, ImageSize);
    }

    private IEnumerable<Batch> Run(int epoch, int size)
    {
        var order = EpochOrder(epoch);
        var batches = BatchesPerEpoch;
        var count = Options.Train && Options.DropLast && order.Length >= Options.BatchSize ? batches * Options.BatchSize : order.Length;
        using var run = new EpochRun(this, epoch, size, order, count, batches);
        for (var b = 0; b < batches; b++)
        {
            yield return run.Take(b);
        }
    }

    internal static int Mix(int seed, int epoch, int position)
    {
        ulong x = (ulong)(uint)seed << 32 ^ (ulong)(uint)epoch * 0xD1B54A32D192ED03UL ^ (ulong)(uint)position * 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return (int)(x & 0x7FFFFFFF);
    }

    private void RecordCorrupt(int index, Exception error)
    {
        if (!_corrupt.TryAdd(index, 0)) return;
        lock (_corruptNames)
        {
            if (_corruptNames.Count < MaxCorruptNames) _corruptNames.Add($"{_source.Describe(index)}: {error.Message}");
        }
    }

    /// <summary>Decodes and transforms sample <paramref name="index"/>, substituting others when it is unreadable.</summary>
    private int Produce(int index, int size, Random rng, Span<float> destination, TransformScratch scratch)
    {
        for (var attempt = 0; attempt < MaxSubstitutions; attempt++)
        {
            if (!_corrupt.ContainsKey(index))
            {
                try
                {
                    var length = _source.Read(index, ref scratch.File);
                    _transform.Apply(scratch.File.AsSpan(0, length), size, rng, destination, scratch);
                    return index;
                }
                catch (Exception e) when (e is ImageDecodeException or IOException or UnauthorizedAccessException or InvalidDataException)
                {
                    RecordCorrupt(index, e);
                }
            }
            index = rng.Next(_source.Count);
        }
        throw new DatasetException($"Gave up after {MaxSubstitutions} unreadable samples in a row ({CorruptCount} corrupt so far; first: {(CorruptSamples is [var firstCorrupt, ..] ? firstCorrupt : "none")}).");
    }

    internal sealed class NativeBuffer(IntPtr pointer, long floats)
    {
        public IntPtr Pointer { get; } = pointer;
        public long Floats { get; } = floats;

        public static unsafe NativeBuffer Allocate(long floats) =>
            new((IntPtr)NativeMemory.AlignedAlloc((nuint)(floats * sizeof(float)), 64), floats);

        public unsafe void Free() => NativeMemory.AlignedFree((void*)Pointer);
    }

    private NativeBuffer Rent(long floats)
    {
        while (_pool.TryTake(out var buffer))
        {
            if (buffer.Floats >= floats) return buffer;
            buffer.Free(); // from a smaller curriculum size
        }
        return NativeBuffer.Allocate(floats);
    }

    internal void Return(NativeBuffer buffer)
    {
        if (_disposed) buffer.Free();
        else _pool.Add(buffer);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        while (_pool.TryTake(out var buffer)) buffer.Free();
    }

    /// <summary>The worker threads and in-order hand-over of one epoch.</summary>
    private sealed class EpochRun : IDisposable
    {
        private readonly BatchLoader _loader;
        private readonly int _epoch;
        private readonly int _size;
        private readonly int[] _order;
        private readonly int _count;
        private readonly int _batches;
        private readonly Batch?[] _ready;
        private readonly Thread[] _threads;
        private readonly SemaphoreSlim _window;
        private readonly CancellationTokenSource _cancel = new();
        private readonly object _lock = new();
        private Exception? _error;
        private int _next = -1;

        public EpochRun(BatchLoader loader, int epoch, int size, int[] order, int count, int batches)
        {
            _loader = loader;
            _epoch = epoch;
            _size = size;
            _order = order;
            _count = count;
            _batches = batches;
            _ready = new Batch?[batches];
            var threads = Math.Min(loader.Options.Threads, batches);
            var prefetch = loader.Options.Prefetch > 0 ? loader.Options.Prefetch : loader.Options.Threads + 2;
            _window = new SemaphoreSlim(Math.Max(prefetch, 1));
            _threads = new Thread[threads];
            for (var t = 0; t < threads; t++)
            {
                _threads[t] = new Thread(Work) { IsBackground = true, Name = $"lb-loader-{t}" };
                _threads[t].Start();
            }
        }

        private void Work()
        {
            var scratch = new TransformScratch();
            var token = _cancel.Token;
            try
            {
                while (true)
                {
                    _window.Wait(token);
                    var b = Interlocked.Increment(ref _next);
                    if (b >= _batches)
                    {
                        _window.Release();
                        return;
                    }
                    var batch = Build(b, scratch, token);
                    lock (_lock)
                    {
                        _ready[b] = batch;
                        Monitor.PulseAll(_lock);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                lock (_lock)
                {
                    _error ??= e;
                    Monitor.PulseAll(_lock);
                }
            }
        }

        private Batch Build(int b, TransformScratch scratch, CancellationToken token)
        {
            var batchSize = _loader.Options.BatchSize;
            var first = b * batchSize;
            var n = Math.Min(batchSize, _count - first);
            var per = 3 * _size * _size;
            var buffer = _loader.Rent((long)n * per);
            try
            {
                var labels = new int[n];
                var indices = new int[n];
                for (var i = 0; i < n; i++)
                {
                    token.ThrowIfCancellationRequested();
                    var position = first + i;
                    var rng = new Random(Mix(_loader.Options.Seed, _epoch, position));
                    Span<float> destination;
                    unsafe { destination = new Span<float>((float*)buffer.Pointer + (long)i * per, per); }
                    var index = _loader.Produce(_order[position], _size, rng, destination, scratch);
                    indices[i] = index;
                    labels[i] = _loader._source.GetLabel(index);
                }
                return new Batch(_loader, buffer, n, _size, labels, indices, _epoch, b);
            }
            catch
            {
                _loader.Return(buffer);
                throw;
            }
        }

        public Batch Take(int b)
        {
            var watch = Stopwatch.StartNew();
            Batch batch;
            lock (_lock)
            {
                while (_ready[b] is null)
                {
                    if (_error is not null) throw new DatasetException($"Data loading failed: {_error.Message}", _error);
                    Monitor.Wait(_lock);
                }
                batch = _ready[b]!;
                _ready[b] = null;
            }
            _window.Release();
            batch.DataWaitSeconds = watch.Elapsed.TotalSeconds;
            return batch;
        }

        public void Dispose()
        {
            _cancel.Cancel();
            foreach (var t in _threads) t.Join();
            for (var b = 0; b < _ready.Length; b++)
            {
                _ready[b]?.Dispose();
                _ready[b] = null;
            }
            _cancel.Dispose();
            _window.Dispose();
        }
    }
}
