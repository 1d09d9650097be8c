namespace Leaderboard.Trainer.Cli;

/// <summary>The verbs and their handlers.</summary>
public static class Commands
{
    private static readonly Dictionary<string, Func<CommandLine, int>> Verbs = new()
    {
        ["train"] = TrainCommands.Train,
        ["preflight"] = PreflightCommand.Run,
        ["evaluate"] = TrainCommands.Evaluate,
        ["synth"] = DataCommands.Synth,
        ["flops"] = DataCommands.Flops,
        ["bench"] = BenchCommands.Bench,
        ["prepare-data"] = BenchCommands.PrepareData,
    };

    /// <summary>Runs one command line; usage errors exit 2, failures 1, each as one line on stderr.</summary>
    public static int Run(string[] args)
    {
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
            {
                Console.Error.WriteLine(Usage.Text);
                return args.Length == 0 ? 2 : 0;
            }
            if (!Verbs.TryGetValue(args[0], out var handler))
                throw new UsageException($"unknown verb '{args[0]}' (one of: {Usage.Verbs})");
            return handler(CommandLine.Parse(args));
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"lb-trainer: {e.Message}");
            return 2;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"lb-trainer: {OneLine(e)}");
            return 1;
        }
    }

    /// <summary>The message of a failure, on one line (inner exceptions of wrappers unwrapped).</summary>
    public static string OneLine(Exception e)
    {
        while (e is AggregateException or System.Reflection.TargetInvocationException && e.InnerException is not null) e = e.InnerException!;
        string message = e is CommandFailedException or Imaging.DatasetException or IOException ? e.Message : $"{e.GetType().Name}: {e.Message}";
        return message.ReplaceLineEndings(" ");
    }
}
