using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Leaderboard.Imaging.Tests")]
