using Leaderboard.Torch.Native;

namespace Leaderboard.Torch;

public static partial class torch
{
    /// <summary>CUDA queries. Without a CUDA libtorch (or GPU) they answer false / 0 and do nothing.</summary>
    public static class cuda
    {
        public static bool is_available() => Check(CudaNative.lb_cuda_is_available()) != 0;

        public static long device_count() => Check(CudaNative.lb_cuda_device_count());

        /// <summary>Whether the shim was compiled against a CUDA libtorch (memory statistics exist).</summary>
        public static bool built_with_cuda() => Check(CudaNative.lb_cuda_has_cuda_build()) != 0;

        /// <summary>Waits for the device's queued work (all devices' current streams with -1).</summary>
        public static void synchronize(long device = -1)
        {
            CudaNative.lb_cuda_synchronize(device);
            LibTorch.Check();
        }

        public static long memory_allocated(long device = 0) => Check(CudaNative.lb_cuda_memory_stat(device, 0));

        public static long max_memory_allocated(long device = 0) => Check(CudaNative.lb_cuda_memory_stat(device, 1));

        public static long memory_reserved(long device = 0) => Check(CudaNative.lb_cuda_memory_stat(device, 2));

        public static long max_memory_reserved(long device = 0) => Check(CudaNative.lb_cuda_memory_stat(device, 3));

        public static void reset_peak_memory_stats(long device = 0)
        {
            CudaNative.lb_cuda_reset_peak_memory_stats(device);
            LibTorch.Check();
        }

        public static void empty_cache()
        {
            CudaNative.lb_cuda_empty_cache();
            LibTorch.Check();
        }

        /// <summary>TF32 for float32 matmuls/convolutions and the cuDNN autotuner (no effect on the CPU).</summary>
        public static void set_flags(bool allow_tf32, bool cudnn_benchmark)
        {
            CudaNative.lb_cuda_set_flags(allow_tf32 ? 1 : 0, cudnn_benchmark ? 1 : 0);
            LibTorch.Check();
        }

        private static T Check<T>(T v)
        {
            LibTorch.Check();
            return v;
        }
    }
}
