using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.Sequences;
using WebApp.Domain.Sequences.Novelty;

namespace WebApp.Domain.Training;

public static class LauncherRegistration
{
    /// <summary>
    /// The launchers that create a job run and enqueue its job: the web uses them for what users start, the workers
    /// for what a schedule starts when it fires.
    /// </summary>
    public static IServiceCollection AddTrainingLaunchers(this IServiceCollection services)
    {
        services.AddSingleton<JobLauncher>();
        services.AddSingleton<DemoJobLauncher>();
        services.AddSingleton<RelationJobLauncher>();
        services.AddSingleton<SequenceJobLauncher>();
        services.AddSingleton<NoveltyJobLauncher>();
        services.AddSingleton<TrainingJobStarter>();
        return services;
    }
}
