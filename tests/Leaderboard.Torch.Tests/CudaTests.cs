using static Leaderboard.Torch.torch;

namespace Leaderboard.Torch.Tests;

public sealed class CudaTests
{
    [Fact]
    public void Cuda_queries_answer_without_a_gpu()
    {
        if (cuda.is_available())
        {
            Assert.True(cuda.device_count() > 0);
            using var t = ones([1024], device: CUDA);
            cuda.synchronize();
            Assert.True(cuda.memory_allocated() > 0 || !cuda.built_with_cuda());
            Assert.Equal(CUDA, t.device);
            Assert.Equal([1f, 1], t.cuda().narrow(0, 0, 2).cpu().data<float>());
            using var pinned = ones(4).pin_memory();
            Assert.True(pinned.is_pinned());
            using var onGpu = pinned.to(CUDA, non_blocking: true);
            cuda.synchronize();
            Assert.Equal(4f, onGpu.sum().item<float>());
            return;
        }

        Assert.Equal(0, cuda.device_count());
        cuda.synchronize();
        Assert.Equal(0, cuda.memory_allocated());
        Assert.Equal(0, cuda.max_memory_allocated());
        Assert.Equal(0, cuda.memory_reserved());
        Assert.Equal(0, cuda.max_memory_reserved());
        cuda.reset_peak_memory_stats();
        cuda.empty_cache();
        cuda.set_flags(allow_tf32: true, cudnn_benchmark: false);
        Assert.False(string.IsNullOrEmpty(__version__));
        using var cpu = ones(2);
        Assert.Throws<TorchException>(() => cpu.to(CUDA));
        Assert.False(cpu.is_pinned());
        Assert.Throws<TorchException>(() => cpu.pin_memory());
    }
}
