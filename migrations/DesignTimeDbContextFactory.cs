using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using WebApp.Domain;
using WebApp.Domain.Database;

namespace WebApp.Migrations;

/// <summary>
/// Used by <c>dotnet ef</c> only. The connection string matters for commands that touch a database
/// (<c>database update</c>); <c>migrations add</c> never connects.
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__App")
            ?? "Host=localhost;Database=webapp_design;Username=webapp";
        var options = new DbContextOptionsBuilder<AppDbContext>();
        options.ConfigureAppDatabase(connectionString);
        return new AppDbContext(options.Options);
    }
}
