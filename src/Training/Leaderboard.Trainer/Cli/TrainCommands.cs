using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Leaderboard.Imaging;
using Leaderboard.Trainer.Evaluation;
using Leaderboard.Trainer.Models;
using Leaderboard.Training.Models;
using Leaderboard.Trainer.Training;
using Leaderboard.Training.Progress;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Cli;

/// <summary>The verbs that run libtorch: <c>train</c> and <c>evaluate</c>.</summary>
public static class TrainCommands
{
    public static int Train(CommandLine cl)
    {
        string recipePath = cl.Positional(0, "recipe file (train RECIPE --dataset DIR --budget SECONDS --out DIR)");
        string datasetDir = cl.RequireOption("dataset");
        double budget = cl.DoubleOption("budget", double.NaN, 0.001);
        if (double.IsNaN(budget)) throw new UsageException("train: missing --budget SECONDS");
        string outDir = cl.RequireOption("out");
        string device = cl.Device();
        string? resume = cl.Option("resume");
        string? teacher = cl.Option("teacher");
        int? threads = cl.Option("threads") is null ? null : cl.IntOption("threads", 1);
        long? maxSteps = cl.Option("max-steps") is null ? null : cl.IntOption("max-steps", 1);
        long? seed = cl.Option("seed") is null ? null : cl.IntOption("seed", 0, min: 0);
        DateTimeOffset? deadline = cl.Option("deadline") is { } d ? ParseDeadline(d) : null;
        var (budgetMode, speed) = ParseBudgetMode(cl.Option("budget-mode") ?? BudgetModes.Wall, cl.Option("speed"));
        cl.RejectUnknown(1);

        var recipe = LoadRecipe(recipePath, datasetDir, device, seed, teacher);
        TorchThreads.Apply(threads);

        // The clock starts here, as training starts (wall and calibrated); CPU time counts from the process's start.
        var budgetClock = budgetMode switch
        {
            BudgetModes.CpuTime => BudgetClock.CpuTime(),
            BudgetModes.Calibrated => BudgetClock.Calibrated(speed),
            _ => BudgetClock.Wall(),
        };
        var progress = new ProgressWriter(Console.Out, budgetClock);
        // --deadline: the worker's absolute deadline (start + budget, measured before this process started). Time the
        // process took to start counts as spent, so the trainer plans by, and stops before, the deadline that is enforced.
        // In cpu-time mode it is the wall-clock cap instead, and the CPU clock already counts the start (from process start).
        if (deadline is { } end && budgetClock.Mode != BudgetModes.CpuTime)
            progress.ElapsedOffset = Math.Max(0, budget - budgetClock.FromWall((end - DateTimeOffset.UtcNow).TotalSeconds));
        try
        {
            using var trainer = new TrainingLoop(new TrainOptions
            {
                Recipe = recipe, Dataset = datasetDir, BudgetSeconds = budget, OutDir = outDir, Device = device,
                Resume = resume, Teacher = teacher, LoaderThreads = threads is int t ? Math.Max(1, Math.Min(t, Environment.ProcessorCount)) : null,
                MaxSteps = maxSteps, WallCap = budgetClock.Mode == BudgetModes.CpuTime ? deadline : null,
            }, progress);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
            {
                ctx.Cancel = true;
                trainer.RequestStop();
            });
            trainer.Run();
            return 0;
        }
        catch (Exception e)
        {
            // A full disk or an unwritable run folder is the machine's fault, not the recipe's (the worker retries the run).
            var fault = e is IOException or UnauthorizedAccessException ? ProgressEvent.PlatformFault : null;
            progress.Write(new ProgressEvent { Event = "error", Elapsed = Math.Round(progress.Elapsed, 3), Message = Commands.OneLine(e), Fault = fault });
            throw;
        }
    }

    /// <summary>The recipe as train and preflight run it: validated against the dataset's classes, under --seed, with its teacher checked.</summary>
    public static Recipe LoadRecipe(string recipePath, string datasetDir, string device, long? seed, string? teacher)
    {
        int classes;
        using (var train = DatasetSource.Open(datasetDir, "train")) classes = train.Classes.Count; // the dataset's own message when missing
        var recipe = RecipeFiles.Load(recipePath, new TrackRules(classes, MaxImageSize: 1024, Gpu: device != "cpu"));
        // --seed: the same recipe under another seed (what a seed sweep needs); the checkpoint records the one used.
        if (seed is long s) recipe = recipe with { Seed = s };
        if (recipe.Training.Distillation is { } distil && teacher is null)
            throw new UsageException($"the recipe distils from run {distil.TeacherRun}: pass that run's checkpoint with --teacher CKPT");
        if (teacher is not null && recipe.Training.Distillation is null)
            throw new UsageException("--teacher is given but the recipe does not distil (add training.distillation)");
        if (teacher is not null && !File.Exists(teacher))
            throw new CommandFailedException($"teacher checkpoint '{Path.GetFullPath(teacher)}' does not exist");
        return recipe;
    }

    /// <summary>--budget-mode wall | cpu-time | calibrated (with --speed: the node's calibration score / the track's reference score).</summary>
    private static (string Mode, double Speed) ParseBudgetMode(string mode, string? speed)
    {
        if (mode != BudgetModes.Calibrated && speed is not null)
            throw new UsageException("train: --speed applies only to --budget-mode calibrated");
        return mode switch
        {
            BudgetModes.Wall or BudgetModes.CpuTime => (mode, 1),
            BudgetModes.Calibrated => double.TryParse(speed, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s)
                && s > 0 && double.IsFinite(s)
                ? (mode, s)
                : throw new UsageException($"train: --budget-mode calibrated needs --speed R (the node's calibration score / the track's reference score, > 0), got '{speed}'"),
            _ => throw new UsageException($"train: --budget-mode must be one of {string.Join(", ", BudgetModes.All)}, got '{mode}'"),
        };
    }

    private static DateTimeOffset ParseDeadline(string value) =>
        DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var deadline)
            ? deadline
            : throw new UsageException($"train: --deadline must be an ISO 8601 time (e.g. 2026-11-21T08:00:00Z), got '{value}'");

    /// <summary><c>evaluate CHECKPOINT --dataset DIR</c>: top-1/top-5 on DIR/val, params, inference throughput; one JSON line.</summary>
    public static int Evaluate(CommandLine cl)
    {
        string checkpoint = cl.Positional(0, "checkpoint (evaluate CHECKPOINT --dataset DIR)");
        string datasetDir = cl.RequireOption("dataset");
        string deviceName = cl.Device();
        int? threads = cl.Option("threads") is null ? null : cl.IntOption("threads", 1);
        int batchSize = cl.IntOption("batch", 64);
        cl.RejectUnknown(1);
        if (!File.Exists(checkpoint)) throw new CommandFailedException($"checkpoint '{Path.GetFullPath(checkpoint)}' does not exist");
        var device = Runtime.Devices.Select(deviceName);
        TorchThreads.Apply(threads);

        var (info, model) = Checkpoints.LoadModel(checkpoint, device);
        using (model)
        {
            using var valData = DatasetSource.Open(datasetDir, "val", info.Classes);
            var val = valData.Source;
            int size = info.Recipe.Evaluation.ImageSize ?? info.Recipe.Data.ImageSize;
            // fp16 inference on the CPU is slow and no more accurate: CPU evaluation of an fp16 run computes in fp32.
            var computeType = info.Recipe.Training.Precision == "fp16" && device.type == DeviceType.CPU
                ? null
                : MixedPrecision.FromRecipe(info.Recipe.Training.Precision);
            using var loader = new BatchLoader(val, new LoaderOptions
            {
                BatchSize = batchSize, ImageSize = size, Train = false, EvalCropRatio = info.Recipe.Evaluation.CropRatio,
                Threads = threads ?? Environment.ProcessorCount,
            });
            // HydraViT: every sub-network is scored, smallest first; the run's own score is the largest one's (evaluated last).
            Accuracy.Result? largest = null;
            var subnetworks = model is HydraVisionTransformer hydra
                ? HydraSubnetworks.All(info.Recipe.Model.Hydra!, info.ModelConfig).Select(sub =>
                {
                    hydra.ActiveHeads = sub.Heads;
                    var a = largest = Accuracy.Measure(model, loader, device, computeType);
                    var (parameters, flops) = ModelCost.Count(sub.Config, size);
                    return new SubnetworkResult
                    {
                        Heads = sub.Heads, Top1 = Math.Round(a.Top1, 4), Top5 = Math.Round(a.Top5, 4), Params = parameters,
                        Gflops = Math.Round(flops / 1e9, 6), ImagesPerSecond = Math.Round(Throughput(model, device, batchSize, size, computeType), 2),
                    };
                }).ToArray()
                : null;
            var accuracy = largest ?? Accuracy.Measure(model, loader, device, computeType);
            double throughput = subnetworks?[^1].ImagesPerSecond ?? Throughput(model, device, batchSize, size, computeType);
            var result = new EvaluationResult
            {
                Top1 = Math.Round(accuracy.Top1, 4), Top5 = Math.Round(accuracy.Top5, 4), Images = accuracy.Images,
                Params = subnetworks?[^1].Params ?? model.parameters().Sum(p => p.numel()), ImagesPerSecond = Math.Round(throughput, 2),
                Device = DeviceName(device), Library = Runtime.TorchRuntime.Description, Subnetworks = subnetworks,
            };
            Console.WriteLine(JsonSerializer.Serialize(result, ProgressEvent.JsonOptions));
        }
        return 0;
    }

    /// <summary>Inference images/s on one synthetic batch: 3 warm-up passes, then passes for at least 2 s (at least 5).</summary>
    public static double Throughput(nn.Module<Tensor, Tensor> model, Device device, int batch, int size, ScalarType? computeType)
    {
        model.eval();
        using var ng = no_grad();
        using var scope = NewDisposeScope();
        var x = randn([batch, 3, size, size], device: device);
        void Pass()
        {
            using var s = NewDisposeScope();
            using (MixedPrecision.Enable(computeType))
                model.forward(x).sum().to(ScalarType.Float32).item<float>(); // bf16 logits under bf16
        }
        for (int i = 0; i < 3; i++) Pass();
        var watch = Stopwatch.StartNew();
        int passes = 0;
        while (passes < 5 || watch.Elapsed.TotalSeconds < 2)
        {
            Pass();
            passes++;
        }
        if (device.type == DeviceType.CUDA) cuda.synchronize();
        return passes * batch / watch.Elapsed.TotalSeconds;
    }

    public static string DeviceName(Device device)
    {
        if (device.type == DeviceType.CUDA) return "cuda";
        string cpu = "cpu";
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) cpu = "cpu: " + line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
        }
        int threads = TorchThreads.Get();
        return threads > 0 ? $"{cpu} ({threads} threads)" : cpu;
    }
}
