// lb-trainer: trains a recipe under a wall-clock budget, evaluates checkpoints, generates synthetic data, counts
// FLOPs and benchmarks. Verbs and wiring live in Cli/Commands.cs; usage errors exit 2, failures 1.
return Leaderboard.Trainer.Cli.Commands.Run(args);
