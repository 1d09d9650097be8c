using Microsoft.Extensions.Logging.Abstractions;

namespace Leaderboard.Jobs.Tests;

/// <summary>Hardware discovery: nvidia-smi's GPUs make a GPU node with one run per GPU; no nvidia-smi, a CPU node.</summary>
public sealed class NodeHardwareTests
{
    [Fact]
    public void Two_GPUs_listed_by_nvidia_smi_make_a_gpu_node_with_two_slots()
    {
        var hardware = NodeHardware.Parse("0, NVIDIA H100 80GB HBM3, 81559, 550.54.15\n1, NVIDIA H100 80GB HBM3, 81559, 550.54.15\n")!;

        Assert.Equal(("gpu", 2, "cuda"), (hardware.HardwareClass, hardware.Slots, hardware.Device));
        Assert.Equal(["0", "1"], hardware.GpuIndexes);
        Assert.Equal(("NVIDIA H100 80GB HBM3", 81559, "550.54.15"), (hardware.GpuModel, hardware.GpuMemoryMib, hardware.DriverVersion));
    }

    [Fact]
    public void The_power_limit_and_the_CUDA_version_complete_a_GPU_nodes_fingerprint()
    {
        var hardware = NodeHardware.Parse("0, NVIDIA H100 80GB HBM3, 81559, 550.54.15, 700.00\n")!;

        Assert.Equal(700, hardware.PowerLimitWatts);
        Assert.Equal("12.4", NodeHardware.ParseCudaVersion("| NVIDIA-SMI 550.54.15    Driver Version: 550.54.15    CUDA Version: 12.4     |"));
        Assert.Null(NodeHardware.ParseCudaVersion("no header"));
        Assert.False(string.IsNullOrEmpty(hardware.CpuModel));
        Assert.Equal(Environment.ProcessorCount, hardware.CpuCores);
    }

    [Fact]
    public void A_node_without_nvidia_smi_serves_the_cpu_class_with_its_configured_concurrency()
    {
        var hardware = NodeHardware.Discover(new WorkerOptions { NvidiaSmi = "/nonexistent/nvidia-smi", Concurrency = 2 }, NullLogger.Instance);

        Assert.Equal(("cpu", 2, "cpu", 0), (hardware.HardwareClass, hardware.Slots, hardware.Device, hardware.GpuIndexes.Count));
    }

    [Fact]
    public void A_failing_nvidia_smi_leaves_a_cpu_node()
    {
        var hardware = NodeHardware.Discover(new WorkerOptions { NvidiaSmi = "false" }, NullLogger.Instance);

        Assert.Equal("cpu", hardware.HardwareClass);
    }

    [Fact]
    public void Each_run_on_a_gpu_node_gets_its_own_GPU()
    {
        var node = new NodeState("gpu-node", NodeHardware.Parse("0, A, 1, 1\n1, A, 1, 1")!);

        var first = node.TakeGpu();
        var second = node.TakeGpu();
        node.ReturnGpu(first);

        Assert.Equal(["0", "1"], new[] { first, second }.Order());
        Assert.Equal(first, node.TakeGpu());
        Assert.Null(new NodeState("cpu-node", NodeHardware.Parse("") ?? new NodeHardware("cpu", [], null, null, null, 1)).TakeGpu());
    }
}
