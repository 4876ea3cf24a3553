namespace WebApp.Testing;

public static class RepositoryPaths
{
    /// <summary>The folder holding WebApp.sln, found upwards from the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WebApp.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"WebApp.sln not found above {AppContext.BaseDirectory}.");
    }
}
