using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Leaderboard.Imaging;
using Leaderboard.Imaging.Transforms;
using Leaderboard.Trainer.Evaluation;
using Leaderboard.Trainer.Models;
using Leaderboard.Training.Progress;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Training;

/// <summary>
/// The training loop, planned by the deadline. Progress p = elapsed / budget (or epochs / schedule.epochs), with elapsed
/// in the budget's measure (<see cref="BudgetClock"/>: wall, CPU or reference seconds, as the worker enforces it), drives the
/// learning-rate schedule and the image-size curriculum; the loop stops itself when the next step plus a checkpoint
/// write would pass the budget, writes the final checkpoint and reports <c>done</c>. Every step runs inside its own
/// dispose scope, so a step frees all it allocates. Deterministic for a seed on the CPU with one thread.
/// </summary>
public sealed class TrainingLoop : IDisposable
{
    private readonly TrainOptions options;
    private readonly ProgressWriter progress;
    private readonly Recipe recipe;
    private readonly Device device;
    private readonly DatasetSource data;
    private readonly IImageSource dataset;
    private readonly IImageSource trainSource;
    private readonly IImageSource heldOutSource;
    private readonly ImageClassifier model;
    private readonly TorchSharp.Modules.OptimizerHelper optimizer;
    private readonly LossScaler? scaler;
    private readonly Ema? ema;
    private readonly LrSchedule schedule;
    private readonly CurriculumPlan curriculum;
    private readonly BudgetedTraining? budgeted;
    private readonly Mixup mixup;
    private readonly Distillation? distillation;
    private readonly HydraSampling? hydra;
    private readonly StepClock clock;
    private readonly ScalarType? computeType;
    private readonly string checkpointPath;
    private Random rng;
    private volatile bool stopRequested;
    private double checkpointWallSeconds;

    private long step;
    private long samplesSeen;
    private int pass;
    private int imageSize;
    private double lr;

    public TrainingLoop(TrainOptions options, ProgressWriter progress)
    {
        this.options = options;
        this.progress = progress;
        recipe = options.Recipe;
        device = Runtime.Devices.Select(options.Device);
        data = DatasetSource.Open(options.Dataset, "train");
        dataset = data.Source;
        (trainSource, heldOutSource) = HeldOutSplit.Split(dataset, recipe.Seed);

        manual_seed(recipe.Seed);
        var config = Leaderboard.Training.Models.ModelResolver.Resolve(recipe.Model, dataset.Classes.Count);
        model = ImageClassifier.Create(config, recipe.Data.ImageSize, recipe.Model.Hydra);
        model.to(device);
        model.train();
        optimizer = OptimizerFactory.Create(model, recipe.Optimizer);
        computeType = MixedPrecision.FromRecipe(recipe.Training.Precision);
        scaler = computeType == ScalarType.Float16 ? new LossScaler() : null;
        ema = recipe.Training.Ema is double decay ? new Ema(model, decay) : null;
        schedule = LrSchedule.FromRecipe(recipe.Schedule, recipe.Optimizer.Lr);
        curriculum = CurriculumPlan.FromRecipe(recipe.Data);
        budgeted = BudgetedTraining.FromRecipe(recipe, dataset.Classes.Count);
        mixup = new Mixup(recipe.Data.Mixup, recipe.Data.Cutmix, recipe.Data.MixupSwitchProb, recipe.Training.LabelSmoothing, dataset.Classes.Count);
        distillation = Distillation.Load(recipe, options.Teacher, dataset.Classes, device);
        hydra = HydraSampling.For(recipe, model);
        clock = new StepClock(options.BudgetSeconds);
        rng = new Random(unchecked((int)recipe.Seed));
        Directory.CreateDirectory(options.OutDir);
        checkpointPath = Path.GetFullPath(Path.Combine(options.OutDir, "checkpoint.safetensors"));
        // A first guess of the checkpoint write time (≈ 200 MB/s, twice: weights and state) until one is measured.
        long bytes = model.parameters().Sum(p => p.numel()) * 4;
        clock.CheckpointSeconds = 0.2 + 3 * 2 * bytes / 200e6;
    }

    public ImageClassifier Model => model;
    public long Step => step;

    /// <summary>Asks the loop to stop at the next step and write its final checkpoint (SIGTERM).</summary>
    public void RequestStop() => stopRequested = true;

    public double Epochs => (double)samplesSeen / trainSource.Count;

    private double BudgetFraction => progress.Elapsed / options.BudgetSeconds;

    private double Progress => recipe.Schedule.Over == "epochs"
        ? Epochs / Math.Max(1, recipe.Schedule.Epochs ?? 1)
        : BudgetFraction;

    /// <summary>Trains until the deadline (or the epochs, or MaxSteps); returns the final checkpoint's path.</summary>
    public string Run()
    {
        if (options.Resume is not null) Resume(options.Resume);
        budgeted?.Advance(model, Progress);
        imageSize = budgeted?.Stage.ImageSize ?? curriculum.SizeAt(BudgetFraction, Epochs);
        int threads = options.LoaderThreads ?? Environment.ProcessorCount;
        using var loader = new BatchLoader(trainSource, TrainLoaderOptions(imageSize, threads));
        using var heldOut = heldOutSource.Count == 0 ? null : new BatchLoader(heldOutSource, new LoaderOptions
        {
            BatchSize = Math.Min(256, Math.Max(recipe.Training.BatchSize, 64)),
            ImageSize = imageSize,
            Train = false,
            Threads = threads,
            EvalCropRatio = recipe.Evaluation.CropRatio,
        });

        long parameters = model.parameters().Sum(p => p.numel());
        progress.Write(new ProgressEvent
        {
            Event = "start", Elapsed = R(progress.Elapsed), Step = step, Epoch = R(Epochs), ImageSize = imageSize,
            Message = $"device {device}, {Runtime.TorchRuntime.Description}, precision {recipe.Training.Precision}, model {Describe(model.Config)} ({parameters:N0} params), " +
                $"{trainSource.Count} train images ({heldOutSource.Count} held back), {dataset.Classes.Count} classes, budget {options.BudgetSeconds:0.#} s {DescribeBudget()}" +
                (options.Resume is null ? "" : $", resumed at step {step}") + (distillation is null ? "" : $", {distillation.Describe()}") + (hydra is null ? "" : $", {hydra.Describe()}") +
                (budgeted is null ? "" : $", {budgeted.Describe()}; {budgeted.DescribeStage()}"),
        });

        double checkpointEvery = recipe.Training.CheckpointEvery * options.BudgetSeconds;
        double nextCheckpoint = checkpointEvery > 0 ? (Math.Floor(progress.Elapsed / checkpointEvery) + 1) * checkpointEvery : double.PositiveInfinity;
        double evalEvery = options.BudgetSeconds / Math.Max(1, options.EvalsPerBudget);
        double nextEval = (Math.Floor(progress.Elapsed / evalEvery) + 1) * evalEvery;
        double evalSeconds = 0;
        long lastEvalStep = -1;

        // The window (throughput) runs on the wall clock; the step estimates that plan the stop run on the budget's clock.
        var window = new Window(progress.LocalElapsed);
        using var lossSum = zeros([], ScalarType.Float32, device).DetachFromDisposeScope();
        string? reason = null;
        double stepStarted = progress.Elapsed;

        while (reason is null)
        {
            loader.ImageSize = imageSize;
            if (heldOut is not null) heldOut.ImageSize = imageSize;
            foreach (var batch in loader.Epoch(pass))
            {
                using (batch)
                {
                    double elapsed = progress.Elapsed;
                    if (stopRequested) { reason = "stopped"; break; }
                    if (options.MaxSteps is long max && step >= max) { reason = "max steps"; break; }
                    if (recipe.Schedule.Over == "epochs" && Progress >= 1) { reason = "epochs done"; break; }
                    if (clock.ShouldStop(elapsed)) { reason = "deadline"; break; }
                    if (NearWallCap()) { reason = "wall-clock cap"; break; }

                    if (budgeted?.Advance(model, Progress) is var (from, to))
                    {
                        progress.Write(new ProgressEvent
                        {
                            Event = "curriculum", Elapsed = R(elapsed), Step = step, Epoch = R(Epochs), ImageSize = to.ImageSize,
                            Message = budgeted.DescribeStage(),
                        });
                        clock.Scale(to.RelativeCost / from!.RelativeCost);
                        if (to.ImageSize != imageSize)
                        {
                            imageSize = to.ImageSize;
                            break; // a new pass at the stage's size
                        }
                    }
                    int size = budgeted is null ? curriculum.SizeAt(elapsed / options.BudgetSeconds, Epochs) : imageSize;
                    if (size != imageSize)
                    {
                        progress.Write(new ProgressEvent
                        {
                            Event = "curriculum", Elapsed = R(elapsed), Step = step, Epoch = R(Epochs), ImageSize = size,
                            Message = $"image size {imageSize} → {size} px",
                        });
                        clock.Rescale(imageSize, size);
                        imageSize = size;
                        break; // this pass's remaining batches are at the old size: start a new pass at the new one
                    }

                    lr = schedule.At(Progress);
                    OptimizerFactory.SetLr(optimizer, lr);
                    TrainStep(batch, lossSum);
                    step++;
                    samplesSeen += batch.Count;
                    window.Add(batch.Count, batch.DataWaitSeconds);
                    elapsed = progress.Elapsed;
                    clock.RecordStep(elapsed - stepStarted);
                    options.AfterStep?.Invoke(step);

                    if (progress.LocalElapsed - window.Start >= options.ProgressInterval || step <= 3)
                        WriteStep(window, lossSum, elapsed);
                    if (heldOut is not null && elapsed >= nextEval
                        && elapsed + evalSeconds + clock.NextStepEstimate + clock.CheckpointSeconds + clock.Margin < options.BudgetSeconds)
                    {
                        var t0 = Stopwatch.StartNew();
                        EvaluateHeldOut(heldOut);
                        lastEvalStep = step;
                        evalSeconds = progress.Elapsed - elapsed;
                        nextEval = (Math.Floor(progress.Elapsed / evalEvery) + 1) * evalEvery;
                        window.Exclude(t0.Elapsed.TotalSeconds);
                    }
                    if (progress.Elapsed >= nextCheckpoint)
                    {
                        var t0 = Stopwatch.StartNew();
                        WriteCheckpoint("checkpoint");
                        nextCheckpoint = (Math.Floor(progress.Elapsed / checkpointEvery) + 1) * checkpointEvery;
                        window.Exclude(t0.Elapsed.TotalSeconds);
                    }
                    stepStarted = progress.Elapsed;
                }
            }
            pass++;
        }
        if (window.Images > 0) WriteStep(window, lossSum, progress.Elapsed);
        if (heldOut is not null && lastEvalStep != step && progress.Elapsed + evalSeconds + clock.CheckpointSeconds + clock.Margin * 0.5 < options.BudgetSeconds)
            EvaluateHeldOut(heldOut);
        WriteCheckpoint("checkpoint");
        progress.Write(new ProgressEvent
        {
            Event = "done", Elapsed = R(progress.Elapsed), Step = step, Epoch = R(Epochs), ImageSize = imageSize,
            Checkpoint = checkpointPath,
            Message = $"stopped: {reason}; {step} steps, {Epochs:0.##} epochs" + (hydra is null ? "" : $"; steps per sub-network: {hydra.StepsPerHeads()}"),
        });
        return checkpointPath;
    }

    private LoaderOptions TrainLoaderOptions(int size, int threads) => new()
    {
        BatchSize = recipe.Training.BatchSize,
        ImageSize = size,
        Train = true,
        Seed = unchecked((int)recipe.Seed),
        Threads = threads,
        RepeatedAugmentations = recipe.Data.RepeatedAugment,
        Augment = Augmentation.FromRecipe(recipe.Data),
    };

    /// <summary>Images in one epoch of the split the loop trains on (the train split less the held-back slice).</summary>
    public long TrainImages => trainSource.Count;

    /// <summary>What <see cref="Probe"/> measured.</summary>
    /// <param name="NonFiniteStep">The probe step (1-based, warm-up included) whose loss was NaN or infinite; null when all were finite.</param>
    /// <param name="ImagesPerCpuSecond">Images per second of this process's CPU time (all its threads): what a CPU-time budget charges.</param>
    public sealed record ProbeResult(int ImageSize, int TimedSteps, double ImagesPerSecond, double ImagesPerCpuSecond, double Loss, double Lr, int? NonFiniteStep);

    /// <summary>
    /// The pre-flight's probe: one warm-up step, then up to <paramref name="steps"/> timed training steps at
    /// <paramref name="size"/> px on the real data (loader, augmentation, precision, loss as in training), with the lr the
    /// schedule gives at <paramref name="position"/>; it stops after the first timed step once <paramref name="stopAt"/>
    /// has passed. Time per step includes waiting for data, as in training. Stops at the first non-finite loss. The
    /// weights change: a probed loop is not trained on afterwards.
    /// </summary>
    public ProbeResult Probe(int size, double position, int steps, Stopwatch preflightClock, TimeSpan stopAt)
    {
        int threads = options.LoaderThreads ?? Environment.ProcessorCount;
        using var loader = new BatchLoader(trainSource, TrainLoaderOptions(size, threads));
        lr = schedule.At(position);
        OptimizerFactory.SetLr(optimizer, lr);
        using var lossSum = zeros([], ScalarType.Float32, device).DetachFromDisposeScope();
        int done = 0, timed = 0;
        long images = 0;
        double loss = double.NaN;
        var watch = Stopwatch.StartNew();
        var process = Process.GetCurrentProcess();
        var cpuAtStart = process.TotalProcessorTime;
        for (int probePass = 0; ; probePass++)
        {
            foreach (var batch in loader.Epoch(probePass))
            {
                using (batch)
                {
                    lossSum.zero_();
                    TrainStep(batch, lossSum);
                    loss = lossSum.item<float>();
                    done++;
                    if (!double.IsFinite(loss)) return new(size, timed, Rate(), CpuRate(), loss, lr, done);
                    if (done == 1)
                    {
                        // The warm-up step (allocations, the loader's first batch) is not timed.
                        watch.Restart();
                        process.Refresh();
                        cpuAtStart = process.TotalProcessorTime;
                    }
                    else
                    {
                        timed++;
                        images += batch.Count;
                    }
                    if (timed >= steps || (timed >= 1 && preflightClock.Elapsed >= stopAt)) return new(size, timed, Rate(), CpuRate(), loss, lr, null);
                }
            }
        }

        double Rate() => timed == 0 ? 0 : images / Math.Max(1e-9, watch.Elapsed.TotalSeconds);
        double CpuRate()
        {
            process.Refresh();
            return timed == 0 ? 0 : images / Math.Max(1e-9, (process.TotalProcessorTime - cpuAtStart).TotalSeconds);
        }
    }

    private void TrainStep(Batch batch, Tensor lossSum)
    {
        using var scope = NewDisposeScope();
        var x = BatchTensors.Images(batch, device);
        var y = BatchTensors.Labels(batch, device);
        Tensor? soft = mixup.Enabled ? mixup.Apply(x, y, rng) : null;
        Tensor loss;
        hydra?.BeforeStep();
        using (MixedPrecision.Enable(computeType))
        {
            var (cls, dist) = model.ForwardHeads(x);
            loss = Loss(cls, y, soft);
            if (distillation is not null) loss = distillation.Loss(x, loss, dist ?? cls);
            // A distillation token without a teacher: its head learns from the labels too.
            else if (dist is not null) loss = (loss + Loss(dist, y, soft)).mul(0.5);
        }
        optimizer.zero_grad();
        (scaler is null ? loss : scaler.ScaleLoss(loss)).backward();
        bool finite = scaler?.Unscale(model.parameters()) ?? true;
        if (finite)
        {
            if (recipe.Optimizer.ClipGradNorm is double clip) nn.utils.clip_grad_norm_(model.parameters(), clip);
            optimizer.step();
            ema?.Update(model, step);
        }
        scaler?.Update(finite);
        hydra?.AfterStep();
        using var ng = no_grad();
        lossSum.add_(loss.detach());
    }

    /// <summary>Cross-entropy in fp32 on hard labels (with label smoothing) or on mixup's soft targets.</summary>
    private Tensor Loss(Tensor logits, Tensor labels, Tensor? soft)
    {
        var l = logits.to(ScalarType.Float32);
        return soft is null
            ? nn.functional.cross_entropy(l, labels, label_smoothing: recipe.Training.LabelSmoothing)
            : soft.neg().mul(nn.functional.log_softmax(l, 1)).sum(1).mean();
    }

    /// <summary>
    /// A cpu-time run starved of CPU by its neighbours still has the worker's wall-clock cap: stop in time to write the
    /// final checkpoint (twice its last write time, at least 2 s) before it.
    /// </summary>
    private bool NearWallCap() =>
        options.WallCap is { } cap && DateTimeOffset.UtcNow.AddSeconds(Math.Max(2, 2 * checkpointWallSeconds)) >= cap;

    private string DescribeBudget() => progress.Clock.Mode switch
    {
        BudgetModes.CpuTime => $"(cpu-time: CPU seconds of this process{(options.WallCap is { } cap ? $", wall-clock cap {cap:O}" : "")})",
        BudgetModes.Calibrated => $"(calibrated: reference seconds, this node at {progress.Clock.Speed:0.###}× the reference)",
        _ => "(wall)",
    };

    private void WriteStep(Window window, Tensor lossSum, double elapsed)
    {
        double seconds = Math.Max(1e-9, progress.LocalElapsed - window.Start - window.Excluded);
        double loss = lossSum.item<float>() / Math.Max(1, window.Steps);
        progress.Write(new ProgressEvent
        {
            Event = "step", Elapsed = R(elapsed), Step = step, Epoch = R(Epochs), ImageSize = imageSize,
            Loss = Math.Round(loss, 5), Lr = lr, ImagesPerSecond = Math.Round(window.Images / seconds, 2),
            DataWait = Math.Round(Math.Min(1, window.DataWait / seconds), 4),
        });
        lossSum.zero_();
        window.Reset(progress.LocalElapsed);
    }

    private void EvaluateHeldOut(BatchLoader heldOut)
    {
        heldOut.ImageSize = imageSize;
        var weights = ema is null ? null : SwapInEma();
        try
        {
            var result = Accuracy.Measure(model, heldOut, device, computeType);
            progress.Write(new ProgressEvent
            {
                Event = "eval", Elapsed = R(progress.Elapsed), Step = step, Epoch = R(Epochs), ImageSize = imageSize,
                TrainTop1 = Math.Round(result.Top1, 3),
                Message = $"held-back slice of train: {result.Images} images, top-5 {result.Top5:0.##} %" + (ema is null ? "" : " (EMA weights)"),
            });
        }
        finally
        {
            if (weights is not null) RestoreWeights(weights);
        }
    }

    /// <summary>Loads the EMA weights into the model; returns copies of the raw weights to restore.</summary>
    private Dictionary<string, Tensor> SwapInEma()
    {
        using var ng = no_grad();
        var raw = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
        model.load_state_dict(ema!.State.ToDictionary(kv => kv.Key, kv => kv.Value));
        return raw;
    }

    private void RestoreWeights(Dictionary<string, Tensor> raw)
    {
        model.load_state_dict(raw);
        foreach (var t in raw.Values) t.Dispose();
    }

    private CheckpointInfo Info() => new(recipe, RecipeCanonical.ToCanonicalJson(recipe), progress.Elapsed, step, Epochs, imageSize,
        recipe.Data.ImageSize, dataset.Classes);

    /// <summary>Writes the resume state, then the model checkpoint (each atomically: temp file + rename).</summary>
    private void WriteCheckpoint(string eventName)
    {
        var t0 = Stopwatch.StartNew();
        double started = progress.Elapsed;
        var info = Info();
        using (var scope = NewDisposeScope())
        {
            var tensors = new List<(string, Tensor)>();
            foreach (var (n, t) in model.state_dict()) tensors.Add(("model." + n, t));
            if (ema is not null)
                foreach (var (n, t) in ema.State) tensors.Add(("ema." + n, t));
            var (optTensors, optMeta) = OptimizerFactory.State(optimizer);
            foreach (var (n, t) in optTensors) tensors.Add(("optim." + n, t));
            var meta = info.ToMetadata();
            foreach (var (k, v) in optMeta) meta["optim." + k] = v;
            if (scaler is not null)
                foreach (var (k, v) in scaler.ToMetadata()) meta["scaler." + k] = v;
            meta["samplesSeen"] = samplesSeen.ToString(CultureInfo.InvariantCulture);
            meta["pass"] = pass.ToString(CultureInfo.InvariantCulture);
            Safetensors.Save(Checkpoints.StatePath(checkpointPath), tensors, meta);
        }
        Checkpoints.SaveModel(checkpointPath, ema?.State ?? model.state_dict(), info);
        clock.CheckpointSeconds = Math.Max(clock.CheckpointSeconds * 0.5, (progress.Elapsed - started) * 1.5);
        checkpointWallSeconds = t0.Elapsed.TotalSeconds;
        progress.Write(new ProgressEvent
        {
            Event = eventName, Elapsed = R(progress.Elapsed), Step = step, Epoch = R(Epochs), ImageSize = imageSize,
            Checkpoint = checkpointPath, Message = $"written in {t0.Elapsed.TotalSeconds:0.00} s",
        });
    }

    /// <summary>Continues from a checkpoint's resume state: weights, optimizer, EMA, scaler, counters and the clock.</summary>
    private void Resume(string checkpoint)
    {
        string statePath = Checkpoints.StatePath(checkpoint);
        if (!File.Exists(statePath))
            throw new FileNotFoundException($"resume: '{statePath}' (the training state beside the checkpoint) does not exist", statePath);
        var (tensors, meta) = Safetensors.Load(statePath, device);
        try
        {
            var info = CheckpointInfo.FromMetadata(meta, statePath);
            if (RecipeCanonical.Hash(info.Recipe) != RecipeCanonical.Hash(recipe))
                throw new InvalidDataException($"resume: the checkpoint was trained with another recipe (hash {RecipeCanonical.Hash(info.Recipe)[..12]}, this one {RecipeCanonical.Hash(recipe)[..12]})");
            if (!info.Classes.SequenceEqual(dataset.Classes))
                throw new InvalidDataException("resume: the dataset's classes differ from the checkpoint's");
            Dictionary<string, Tensor> Prefixed(string prefix) =>
                tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
            model.load_state_dict(Prefixed("model."));
            ema?.Load(Prefixed("ema."));
            OptimizerFactory.LoadState(optimizer, Prefixed("optim."),
                meta.Where(kv => kv.Key.StartsWith("optim.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key[6..], kv => kv.Value));
            scaler?.Load(meta.Where(kv => kv.Key.StartsWith("scaler.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key[7..], kv => kv.Value));
            step = info.Step;
            samplesSeen = long.Parse(meta["samplesSeen"], CultureInfo.InvariantCulture);
            pass = int.Parse(meta["pass"], CultureInfo.InvariantCulture) + 1; // a fresh shuffled pass
            // Time goes on from the checkpoint's stamp, or from the deadline the worker gave, whichever leaves less.
            progress.ElapsedOffset = Math.Max(progress.ElapsedOffset, info.Elapsed);
            manual_seed(recipe.Seed + step);
            rng = new Random(unchecked((int)(recipe.Seed * 31 + step)));
            hydra?.Resume(step);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    private static double R(double v) => Math.Round(v, 3);

    public static string Describe(Leaderboard.Training.Models.ModelConfig c) =>
        $"ViT {c.EmbedDim}x{c.Depth}x{c.Heads} p{c.PatchSize}" +
        (c.Ffn != "mlp" ? $" ffn={c.Ffn}" : "") + (c.Tokenizer != "patch" ? $" tokenizer={c.Tokenizer}" : "") +
        (c.Attention != "mhsa" ? $" attn={c.Attention}" : "") + (c.Pooling != "cls" ? $" pool={c.Pooling}" : "") +
        (c.DistillationToken ? " +dist" : "") + (c.LayerScale is not null ? " +layerscale" : "") +
        (c.LearnedPosEmbed ? "" : $" pos={c.PosEmbed}") + (c.ZeroHead ? " +zerohead" : "") +
        (c.Binary is { } b ? $" binary stages [{string.Join(", ", b.Depths)}] pools [{string.Join(", ", b.PoolKernels)}]" + (b.FullPrecisionDownsample ? " fp-downsample" : "") : "");

    public void Dispose()
    {
        ema?.Dispose();
        distillation?.Dispose();
        optimizer.Dispose();
        model.Dispose();
        data.Dispose();
    }

    /// <summary>Counters between two progress lines.</summary>
    private sealed class Window(double start)
    {
        public double Start { get; private set; } = start;
        public int Images { get; private set; }
        public int Steps { get; private set; }
        public double DataWait { get; private set; }
        /// <summary>Seconds spent on evaluation and checkpoints inside the window (not training).</summary>
        public double Excluded { get; private set; }

        public void Exclude(double seconds) => Excluded += seconds;

        public void Add(int images, double wait)
        {
            Images += images;
            Steps++;
            DataWait += wait;
        }

        public void Reset(double start)
        {
            Start = start;
            Images = 0;
            Steps = 0;
            DataWait = 0;
            Excluded = 0;
        }
    }
}
