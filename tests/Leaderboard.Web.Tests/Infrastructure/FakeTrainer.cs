namespace Leaderboard.Web.Tests.Infrastructure;

/// <summary>
/// A stand-in for lb-trainer with the same command line, written as a shell script: trains for a moment (a step line
/// every 0.2 s), writes a checkpoint stamped with its training time (as the trainer's safetensors header is) and scores
/// it, so fleet tests run many runs in seconds. Like the trainer, it checkpoints and exits on SIGTERM, and a resumed
/// training starts its clock from the checkpoint's. Every invocation appends a line to the ledger (verb, run folder or
/// checkpoint, the checkpoint it resumes, its teacher, CUDA_VISIBLE_DEVICES) so a test can count executions.
/// Its pre-flight passes at 640 images/s; with seed 8 it fails as too slow, with seed 9 it expects the training to end
/// at a quarter of the budget (a recipe that trains a few epochs). A recipe with seed 7 fails as a user's recipe does (NaN loss); the first evaluation of a checkpoint crashes
/// when <c>crashFirstEvaluation</c> (a platform fault); <c>runForever</c> trains until killed; <c>hangFirstTraining</c>
/// does so only in its first training (writing its pid to trainer.pid in the run folder); <c>diskFull</c> fails every
/// training as the trainer does when its disk is full.
/// </summary>
public sealed class FakeTrainer : IDisposable
{
    private readonly string _dir;

    public FakeTrainer(double trainSeconds = 0.5, bool crashFirstEvaluation = false, bool runForever = false, bool hangFirstTraining = false, bool diskFull = false)
    {
        _dir = Directory.CreateTempSubdirectory("lb-fake-trainer-").FullName;
        Path = System.IO.Path.Combine(_dir, "fake-trainer.sh");
        var steps = Math.Max(1, (int)Math.Round(trainSeconds / 0.2));
        File.WriteAllText(Path, $$$"""
            #!/usr/bin/env bash
            ledger={{{Ledger}}}
            verb=$1; target=$2; shift 2
            while [ $# -gt 0 ]; do case $1 in --out) out=$2; shift 2;; --resume) resume=$2; shift 2;; --teacher) teacher=$2; shift 2;; --budget) budget=$2; shift 2;; *) shift;; esac; done
            echo "$verb ${out:-$target} resume=${resume:-none} teacher=${teacher:-none} gpu=${CUDA_VISIBLE_DEVICES:-none}" >> $ledger
            if [ "$verb" = preflight ]; then
              echo "pre-flight: 32 px, batch 64: 640 images/s over 5 steps, loss 2.3" >&2
              if grep -q '"seed": *8' "$target"; then
                echo '{"event":"preflight","passed":false,"failure":"too-slow","reason":"at 32 px: 41 images/s; one epoch of 1,281,167 images needs 8.7 h, the budget is 6 h","sizes":[{"imageSize":32,"batchSize":64,"steps":5,"imagesPerSecond":41,"loss":2.3}],"trainImages":1281167,"budgetSeconds":21600,"epochSeconds":31248,"expectedTrainSeconds":21600,"seconds":0.1}'
                exit 3
              fi
              expected=$budget
              grep -q '"seed": *9' "$target" && expected=$((budget / 4))
              echo '{"event":"preflight","passed":true,"reason":"at 32 px: 640 images/s; one epoch of 640 images needs 1 s, the budget is '$budget' s","sizes":[{"imageSize":32,"batchSize":64,"steps":5,"imagesPerSecond":640,"loss":2.3}],"trainImages":640,"budgetSeconds":'$budget',"epochSeconds":1,"expectedTrainSeconds":'$expected',"seconds":0.1}'
              exit 0
            fi
            if [ "$verb" = train ]; then
              tenths=0
              [ -n "$resume" ] && tenths=$(cat "$resume.tenths")
              elapsed() { echo "$((tenths / 10)).$((tenths % 10))"; }
              checkpoint() {
                local json="{\"__metadata__\":{\"elapsed\":\"$(elapsed)\"}}"
                printf "\x$(printf %02x ${#json})\x00\x00\x00\x00\x00\x00\x00%s" "$json" > $out/.checkpoint.tmp
                echo $tenths > $out/checkpoint.safetensors.tenths
                mv $out/.checkpoint.tmp $out/checkpoint.safetensors
                echo "{\"event\":\"checkpoint\",\"elapsed\":$(elapsed),\"checkpoint\":\"$out/checkpoint.safetensors\"}"
              }
              echo "{\"event\":\"start\",\"elapsed\":$(elapsed),\"message\":\"fake trainer${resume:+ resumed}\"}"
              echo "fake trainer: training in $out" >&2
              if grep -q '"seed": *7' "$target"; then
                echo '{"event":"error","elapsed":0.1,"message":"loss is NaN at step 3: lower the learning rate"}'
                exit 1
              fi
              if {{{(diskFull ? "true" : "false")}}}; then
                echo "fake trainer: writing the checkpoint failed" >&2
                echo '{"event":"error","elapsed":0.1,"message":"No space left on device : '"$out"'/checkpoint.safetensors","fault":"platform"}'
                exit 1
              fi
              first=false
              [ -f {{{Ledger}}}.trained ] || { touch {{{Ledger}}}.trained; first=true; }
              if {{{(runForever ? "true" : "false")}}} || { {{{(hangFirstTraining ? "true" : "false")}}} && $first; }; then
                echo $$ > $out/trainer.pid
                while true; do echo '{"event":"step","elapsed":1,"step":1,"loss":2.3}'; sleep 0.2; done
              fi
              trap 'checkpoint; exit 0' TERM
              for i in $(seq {{{steps}}}); do
                sleep 0.2 & wait $!
                tenths=$((tenths + 2))
                echo "{\"event\":\"step\",\"elapsed\":$(elapsed),\"step\":$i,\"loss\":2.3}"
              done
              checkpoint
              exit 0
            fi
            if [ "$verb" = evaluate ]; then
              if {{{(crashFirstEvaluation ? "true" : "false")}}} && [ ! -f "$target.evaluated" ]; then
                touch "$target.evaluated"
                echo "Segmentation fault in the evaluation" >&2
                exit 139
              fi
              echo '{"top1":50.5,"top5":90.25,"images":100,"imagesPerSecond":1000}'
              exit 0
            fi
            exit 2
            """);
        MakeExecutable(Path);
    }

    public string Path { get; }
    public string Ledger => System.IO.Path.Combine(_dir, "ledger.txt");

    /// <summary>The ledger's lines: one per trainer invocation.</summary>
    public IReadOnlyList<string> Invocations => File.Exists(Ledger) ? File.ReadAllLines(Ledger) : [];

    /// <summary>A fake nvidia-smi listing <paramref name="gpus"/> GPUs, for a GPU node on a machine without one.</summary>
    public string WriteNvidiaSmi(int gpus)
    {
        var path = System.IO.Path.Combine(_dir, "nvidia-smi");
        var lines = string.Join("\n", Enumerable.Range(0, gpus).Select(i => $"echo '{i}, NVIDIA H100 80GB HBM3, 81559, 550.54.15'"));
        File.WriteAllText(path, $"#!/usr/bin/env bash\n{lines}\n");
        MakeExecutable(path);
        return path;
    }

    private static void MakeExecutable(string path)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("The platform runs on Linux.");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
