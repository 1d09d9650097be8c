using System.Text.RegularExpressions;
using System.Xml.Linq;
using Leaderboard.TestUtilities;
using static Leaderboard.Web.Tests.Deployment.DeploymentFiles;

namespace Leaderboard.Web.Tests.Deployment;

/// <summary>
/// docker/: Docker cannot run here, so the files are read as Docker would: the compose file's services, volumes and
/// GPU reservation; each image's stages, restore layer, user; and that the images build what README's and CI's
/// commands build, in the same configuration, with the same options.
/// </summary>
public sealed partial class DockerFilesTests
{
    public static TheoryData<string, string> Images => new() { { "web.Dockerfile", "src/Web/Leaderboard.Web.csproj" }, { "worker.Dockerfile", "src/Jobs/Leaderboard.Jobs.csproj" } };

    [Fact]
    public void Compose_runs_postgres_on_a_named_volume_then_web_then_a_worker_that_reserves_one_nvidia_GPU()
    {
        var compose = Compose();
        var volumes = Map(compose, "volumes").Keys.Cast<string>().ToList();
        Assert.Contains(Mounts("postgres"), m => volumes.Contains(m.Source) && m.Target == "/var/lib/postgresql/data");
        Assert.NotEmpty(List(Map(Service("postgres"), "healthcheck"), "test"));
        Assert.Equal("service_healthy", Map(Map(Service("web"), "depends_on"), "postgres")["condition"]);
        Assert.Equal("service_healthy", Map(Map(Service("worker"), "depends_on"), "web")["condition"]);

        var device = (Dictionary<object, object>)Assert.Single(List(Map(Map(Map(Service("worker"), "deploy"), "resources"), "reservations"), "devices"));
        Assert.Equal(("nvidia", "1"), ((string)device["driver"], (string)device["count"]));
        Assert.Contains("gpu", ((List<object>)device["capabilities"]).Cast<string>());
    }

    [Fact]
    public void ImageNet_train_and_val_are_mounted_read_only_into_the_worker_only_and_checkpoints_live_on_a_volume()
    {
        var dataset = Environment("worker")["Worker__Datasets__imagenet1k"];
        var mounts = Mounts("worker");
        var train = Assert.Single(mounts, m => m.Target == $"{dataset}/train");
        var val = Assert.Single(mounts, m => m.Target == $"{dataset}/val");
        Assert.True(train.ReadOnly && train.Source.EndsWith("/train", StringComparison.Ordinal));
        Assert.True(val.ReadOnly && val.Source.EndsWith("/val", StringComparison.Ordinal));

        // Evaluation runs on the worker: no other service sees the datasets.
        foreach (var service in Map(Compose(), "services").Keys.Cast<string>().Where(s => s != "worker"))
            Assert.DoesNotContain(Mounts(service), m => m.Source.Contains("IMAGENET_DIR", StringComparison.Ordinal));

        var dataRoot = ImageEnvironment("worker.Dockerfile")["Worker__DataRoot"];
        var runs = Assert.Single(mounts, m => m.Target == dataRoot);
        Assert.Contains(runs.Source, Map(Compose(), "volumes").Keys.Cast<string>());
        Assert.False(runs.ReadOnly);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void An_image_restores_from_the_project_files_alone_before_copying_the_sources_and_runs_as_a_non_root_user(string dockerfile, string project)
    {
        var stages = Stages(dockerfile);
        Assert.True(stages.Count >= 2, $"{dockerfile}: a build stage and a runtime stage");
        var build = stages[0];
        var copyAll = build.IndexOf("COPY . .");
        var restore = build.FindIndex(i => DotnetCommands(i).Any(c => c[1] == "restore"));
        Assert.True(restore >= 0 && restore < copyAll, $"{dockerfile}: dotnet restore runs before COPY . . (the cached restore layer)");
        Assert.All(build.Skip(copyAll).SelectMany(DotnetCommands).Where(c => c[1] == "publish"), c => Assert.Contains("--no-restore", c));

        // The restore layer holds every file restore reads: the project, the projects it references, their imports.
        var copied = build.Take(copyAll).Where(i => i.StartsWith("COPY ", StringComparison.Ordinal) && !i.Contains("--from", StringComparison.Ordinal))
            .SelectMany(i => i.Split(' ')[1..^1]).ToList();
        Assert.All(copied, path => Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, path)), $"{dockerfile} copies {path}, which does not exist"));
        var published = build.Skip(copyAll).SelectMany(DotnetCommands).Where(c => c[1] == "publish").Select(c => c[2]).ToList();
        Assert.Contains(project, published);
        foreach (var needed in published.SelectMany(RestoreInputs).Append("Directory.Build.props").Append("Directory.Packages.props").Distinct())
            Assert.True(copied.Contains(needed), $"{dockerfile}: the restore layer lacks {needed}");

        var runtime = stages[^1];
        var user = runtime.LastOrDefault(i => i.StartsWith("USER ", StringComparison.Ordinal));
        Assert.True(user is not null && user[5..] is not ("root" or "0"), $"{dockerfile}: the runtime stage runs as a non-root USER");
        Assert.Contains(runtime, i => i.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        Assert.DoesNotContain(runtime, i => i.StartsWith("FROM mcr.microsoft.com/dotnet/sdk", StringComparison.Ordinal));
    }

    [Fact]
    public void The_web_image_runs_on_the_ASP_NET_Core_runtime_and_the_worker_on_Ubuntu_24_04_with_CUDA_12_8()
    {
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0", Stages("web.Dockerfile")[^1][0], StringComparison.Ordinal);
        Assert.Matches(@"^FROM nvidia/cuda:12\.8\.\d+-\S*ubuntu24\.04$", Stages("worker.Dockerfile")[^1][0]);
        var trainer = Stages("worker.Dockerfile")[0].SelectMany(DotnetCommands).Single(c => c[1] == "publish" && c[2].EndsWith("Leaderboard.Trainer.csproj", StringComparison.Ordinal));
        Assert.Contains("-p:TorchBackend=cuda", trainer);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void An_image_builds_what_README_and_CI_build_in_the_same_configuration_and_with_documented_options(string dockerfile, string project)
    {
        // CI runs the README's test command, which builds the solution with lb's configuration.
        Assert.Contains("./lb test", Read(".ci", "run"));
        Assert.Contains("./lb test", Read("README.md"));
        var lb = Read("lb");
        var configuration = LbConfiguration().Match(lb).Groups[1].Value;
        Assert.Equal("Release", configuration);
        var solution = Read("Leaderboard.sln");
        var targetFramework = XDocument.Parse(Read("Directory.Build.props")).Descendants("TargetFramework").Single().Value;

        var build = Stages(dockerfile)[0];
        Assert.StartsWith($"FROM mcr.microsoft.com/dotnet/sdk:{targetFramework[3..]}", build[0], StringComparison.Ordinal);
        var commands = build.SelectMany(DotnetCommands).ToList();
        Assert.Contains(commands, c => c[1] == "publish" && c[2] == project);
        foreach (var publish in commands.Where(c => c[1] == "publish"))
        {
            Assert.Equal(configuration, publish[Array.IndexOf(publish, "-c") + 1]);
            Assert.Contains(publish[2].Replace('/', '\\'), solution);
            Assert.Contains(publish[2], lb);
            var options = publish.Where(o => o.StartsWith("-r", StringComparison.Ordinal) || o.StartsWith("-p:", StringComparison.Ordinal)).ToList();
            var rid = Array.IndexOf(publish, "-r") is var at and >= 0 ? publish[at + 1] : null;
            var restore = Assert.Single(commands, c => c[1] == "restore" && c[2] == publish[2]);
            // The same runtime and properties as its restore, or --no-restore would publish against other assets.
            Assert.Equal(rid, Array.IndexOf(restore, "-r") is var r and >= 0 ? restore[r + 1] : null);
            Assert.Equal(publish.Where(o => o.StartsWith("-p:", StringComparison.Ordinal)).Order(), restore.Where(o => o.StartsWith("-p:", StringComparison.Ordinal)).Order());
            foreach (var property in options.Where(o => o.StartsWith("-p:", StringComparison.Ordinal) && o != "-p:SelfContained=true"))
                Assert.True(Read("README.md").Contains(property, StringComparison.Ordinal), $"{dockerfile} builds with {property}, which README.md does not mention");
        }
        // The site's chart library is installed exactly as the build's Charts.targets installs it.
        var npm = NpmCi().Match(Read("src", "Web", "Charts.targets")).Groups[1].Value;
        Assert.StartsWith("npm ci", npm, StringComparison.Ordinal);
        if (dockerfile == "web.Dockerfile") Assert.Contains(build, i => i.Contains(npm, StringComparison.Ordinal));
    }

    /// <summary>The files restore reads for a project: it, the projects it references (transitively), and their imports.</summary>
    private static IEnumerable<string> RestoreInputs(string project)
    {
        var document = XDocument.Parse(Read(project));
        var folder = Path.GetDirectoryName(project)!;
        yield return project;
        foreach (var import in document.Descendants("Import").Select(i => i.Attribute("Project")!.Value))
            yield return Path.GetRelativePath(RepositoryPaths.Root, Path.GetFullPath(Path.Combine(RepositoryPaths.Root, folder, import))).Replace('\\', '/');
        foreach (var reference in document.Descendants("ProjectReference").Select(r => r.Attribute("Include")!.Value))
        {
            var referenced = Path.GetRelativePath(RepositoryPaths.Root, Path.GetFullPath(Path.Combine(RepositoryPaths.Root, folder, reference))).Replace('\\', '/');
            foreach (var input in RestoreInputs(referenced)) yield return input;
        }
    }

    [GeneratedRegex(@"CONFIGURATION=""\$\{LB_CONFIGURATION:-(\w+)\}""")] private static partial Regex LbConfiguration();
    [GeneratedRegex(@"Command=""(npm ci[^""]*)""")] private static partial Regex NpmCi();
}
