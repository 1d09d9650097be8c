using System.Globalization;
using System.Runtime.InteropServices;

namespace Leaderboard.Jobs;

/// <summary>
/// CPU seconds (user + system) a process tree has used, read from /proc: each live process's own time (all its threads)
/// plus the time of children it has already reaped. What a cpu-time budget is counted in.
/// </summary>
public static partial class ProcessTreeCpu
{
    private static readonly double TicksPerSecond = ClockTicks();

    /// <summary>The tree's CPU seconds; 0 once the root has exited.</summary>
    public static double Seconds(int rootPid)
    {
        double ticks = 0;
        var pending = new Stack<int>([rootPid]);
        while (pending.TryPop(out var pid))
        {
            if (ReadTicks(pid) is not { } own) continue;
            ticks += own;
            foreach (var child in Children(pid)) pending.Push(child);
        }
        return ticks / TicksPerSecond;
    }

    /// <summary>utime + stime + cutime + cstime of /proc/PID/stat (fields 14-17); null when the process is gone.</summary>
    internal static long? ReadTicks(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null; // it exited between listing and reading
        }
        return ParseTicks(stat);
    }

    /// <summary>The comm field (2) may hold spaces and parentheses: fields are counted after its last ')'.</summary>
    public static long ParseTicks(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime is field 14, i.e. fields[11].
        return Enumerable.Range(11, 4).Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture));
    }

    private static List<int> Children(int pid)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
        var children = new List<int>();
        foreach (var task in tasks)
        {
            try
            {
                children.AddRange(File.ReadAllText(Path.Combine(task, "children"))
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, CultureInfo.InvariantCulture)));
            }
            catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or IOException)
            {
                // the thread ended meanwhile
            }
        }
        return children;
    }

    private const int ScClkTck = 2;

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);

    private static double ClockTicks() => OperatingSystem.IsLinux() && SysConf(ScClkTck) is > 0 and var ticks ? ticks : 100;
}
