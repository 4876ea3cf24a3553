using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain.Auditing;
using WebApp.Domain.Identity;
using WebApp.Domain.Training;

namespace WebApp.Domain;

public class AppDbContext(DbContextOptions<AppDbContext> options)
    : IdentityDbContext<AppUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core's cookie-encryption keys: shared by every web instance, kept across restarts.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();
    public DbSet<JobRun> JobRuns => Set<JobRun>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<AuditRecord>(audit =>
        {
            audit.Property(r => r.Id).UseIdentityAlwaysColumn();
            audit.Property(r => r.UserId).HasMaxLength(450);
            audit.Property(r => r.UserName).HasMaxLength(256);
            audit.Property(r => r.Action).HasMaxLength(128);
            audit.Property(r => r.EntityType).HasMaxLength(128);
            audit.Property(r => r.EntityId).HasMaxLength(128);
            // json (not jsonb) keeps the exact text, so the hash over it can be recomputed.
            audit.Property(r => r.Before).HasColumnType("json");
            audit.Property(r => r.After).HasColumnType("json");
            audit.Property(r => r.PreviousHash).HasMaxLength(64).IsFixedLength();
            audit.Property(r => r.Hash).HasMaxLength(64).IsFixedLength();
            audit.HasIndex(r => r.Timestamp);
            audit.HasIndex(r => new { r.EntityType, r.EntityId });
            audit.HasIndex(r => r.UserId);
        });

        builder.Entity<JobRun>(run =>
        {
            run.Property(r => r.Kind).HasMaxLength(64);
            run.Property(r => r.Queue).HasMaxLength(32);
            run.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            run.Property(r => r.Parameters).HasColumnType("jsonb");
            run.Property(r => r.Metrics).HasColumnType("jsonb");
            run.Property(r => r.HangfireJobId).HasMaxLength(64);
            run.Property(r => r.RequestedByName).HasMaxLength(256);
            run.Property(r => r.Device).HasMaxLength(256);
            run.Property(r => r.WorkerHost).HasMaxLength(256);
            run.Ignore(r => r.IsFinished);
            run.HasIndex(r => r.CreatedAt);
            run.HasIndex(r => new { r.Kind, r.Status });
        });
    }
}
