namespace WebApp.Workers.Tests.RelationExtraction;

/// <summary>
/// Tests that seed or draw from torch's process-wide random generator (model initialisation, dropout) run
/// alone: a test in another class seeding or drawing in parallel would change their "same seed" results.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchRandomGroup
{
    public const string Name = "Torch global random generator";
}
