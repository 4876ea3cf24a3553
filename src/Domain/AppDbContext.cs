using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain.Assessments;
using WebApp.Domain.Assessments.Catalog;
using WebApp.Domain.Auditing;
using WebApp.Domain.Identity;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.RelationExtraction.Labeling;
using WebApp.Domain.Sequences;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Domain.Training;
using WebApp.Domain.Uploads;

namespace WebApp.Domain;

public class AppDbContext(DbContextOptions<AppDbContext> options)
    : IdentityDbContext<AppUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core's cookie-encryption keys: shared by every web instance, kept across restarts.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();
    public DbSet<JobRun> JobRuns => Set<JobRun>();
    public DbSet<WorkerHeartbeat> WorkerHeartbeats => Set<WorkerHeartbeat>();
    public DbSet<UploadedFile> UploadedFiles => Set<UploadedFile>();
    public DbSet<UploadChunk> UploadChunks => Set<UploadChunk>();

    public DbSet<RelationProject> RelationProjects => Set<RelationProject>();
    public DbSet<RelationType> RelationTypes => Set<RelationType>();
    public DbSet<KbEntity> KbEntities => Set<KbEntity>();
    public DbSet<EntityAlias> EntityAliases => Set<EntityAlias>();
    public DbSet<KbFact> KbFacts => Set<KbFact>();
    public DbSet<Document> Documents => Set<Document>();
    public DbSet<Sentence> Sentences => Set<Sentence>();
    public DbSet<EntityMention> EntityMentions => Set<EntityMention>();
    public DbSet<Bag> Bags => Set<Bag>();
    public DbSet<DistantLabel> DistantLabels => Set<DistantLabel>();
    public DbSet<Candidate> Candidates => Set<Candidate>();
    public DbSet<GoldLabel> GoldLabels => Set<GoldLabel>();
    public DbSet<ModelVersion> ModelVersions => Set<ModelVersion>();
    public DbSet<ModelFile> ModelFiles => Set<ModelFile>();
    public DbSet<Prediction> Predictions => Set<Prediction>();
    public DbSet<ExpertLabel> ExpertLabels => Set<ExpertLabel>();
    public DbSet<LabelingClaim> LabelingClaims => Set<LabelingClaim>();

    public DbSet<SequenceDataset> SequenceDatasets => Set<SequenceDataset>();
    public DbSet<SequenceEventType> SequenceEventTypes => Set<SequenceEventType>();
    public DbSet<EventSequence> EventSequences => Set<EventSequence>();
    public DbSet<SequenceLabel> SequenceLabels => Set<SequenceLabel>();
    public DbSet<TopicModel> TopicModels => Set<TopicModel>();
    public DbSet<Topic> Topics => Set<Topic>();
    public DbSet<SequenceTopicMixture> SequenceTopicMixtures => Set<SequenceTopicMixture>();
    public DbSet<Clustering> Clusterings => Set<Clustering>();
    public DbSet<Cluster> Clusters => Set<Cluster>();
    public DbSet<SequenceAssignment> SequenceAssignments => Set<SequenceAssignment>();
    public DbSet<NoveltyModelSet> NoveltyModelSets => Set<NoveltyModelSet>();
    public DbSet<NoveltyModel> NoveltyModels => Set<NoveltyModel>();
    public DbSet<NoveltyModelFile> NoveltyModelFiles => Set<NoveltyModelFile>();
    public DbSet<ScoringRun> ScoringRuns => Set<ScoringRun>();
    public DbSet<SequenceScore> SequenceScores => Set<SequenceScore>();
    public DbSet<CurationStep> CurationSteps => Set<CurationStep>();

    public DbSet<AssessmentCatalog> AssessmentCatalogs => Set<AssessmentCatalog>();
    public DbSet<AiApplication> AiApplications => Set<AiApplication>();
    public DbSet<Assessment> Assessments => Set<Assessment>();
    public DbSet<AssessmentAnswer> AssessmentAnswers => Set<AssessmentAnswer>();
    public DbSet<AssessmentCriterion> AssessmentCriteria => Set<AssessmentCriterion>();
    public DbSet<AssessmentMeasure> AssessmentMeasures => Set<AssessmentMeasure>();
    public DbSet<AssessmentEvidence> AssessmentEvidence => Set<AssessmentEvidence>();
    public DbSet<AssessmentComment> AssessmentComments => Set<AssessmentComment>();
    public DbSet<AssessmentSignOff> AssessmentSignOffs => Set<AssessmentSignOff>();

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
            // Pattern operators: the audit viewer filters by an action or by its prefix ("assessment.").
            audit.HasIndex(r => r.Action).HasOperators("varchar_pattern_ops");
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
            run.Property(r => r.CancelRequestedByName).HasMaxLength(256);
            run.HasOne<JobRun>().WithMany().HasForeignKey(r => r.RetryOfId).OnDelete(DeleteBehavior.SetNull);
            run.Ignore(r => r.IsFinished);
            run.HasIndex(r => r.CreatedAt);
            run.HasIndex(r => new { r.Kind, r.Status });
        });

        builder.Entity<WorkerHeartbeat>(worker =>
        {
            worker.Property(w => w.HostName).HasMaxLength(256);
            worker.Property(w => w.Device).HasMaxLength(256);
            worker.Property(w => w.Version).HasMaxLength(64);
            worker.HasIndex(w => w.LastSeenAt);
        });

        builder.Entity<UploadedFile>(file =>
        {
            file.Property(f => f.FileName).HasMaxLength(260);
            file.Property(f => f.ContentType).HasMaxLength(128);
            file.Property(f => f.Sha256).HasMaxLength(64);
            file.Property(f => f.UploadedByName).HasMaxLength(256);
        });
        builder.Entity<UploadChunk>(chunk =>
        {
            chunk.HasKey(c => new { c.FileId, c.Index });
            chunk.HasOne<UploadedFile>().WithMany().HasForeignKey(c => c.FileId).OnDelete(DeleteBehavior.Cascade);
        });

        ConfigureRelationExtraction(builder);
        ConfigureSequences(builder);
        ConfigureNovelty(builder);
        ConfigureAssessments(builder);
    }

    private static void ConfigureAssessments(ModelBuilder builder)
    {
        builder.Entity<AssessmentCatalog>(catalog =>
        {
            catalog.Property(c => c.Key).HasMaxLength(100);
            catalog.Property(c => c.Version).HasMaxLength(50);
            catalog.Property(c => c.Title).HasMaxLength(300);
            catalog.Property(c => c.Definition).HasColumnType("jsonb");
            catalog.Property(c => c.Sha256).HasMaxLength(64);
            catalog.Property(c => c.ImportedByName).HasMaxLength(256);
            catalog.HasIndex(c => new { c.Key, c.Version }).IsUnique();
        });
        builder.Entity<AiApplication>(application =>
        {
            application.Property(a => a.Name).HasMaxLength(200);
            application.Property(a => a.Owner).HasMaxLength(200);
            application.Property(a => a.Description).HasMaxLength(4000);
            application.Property(a => a.CreatedByName).HasMaxLength(256);
            application.Property(a => a.RowVersion).IsRowVersion();
            application.HasIndex(a => a.Name).IsUnique();
        });
        builder.Entity<Assessment>(assessment =>
        {
            assessment.Property(a => a.Status).HasConversion<string>().HasMaxLength(24);
            assessment.Property(a => a.VerdictAtClose).HasConversion<string>().HasMaxLength(32);
            assessment.Property(a => a.CreatedByName).HasMaxLength(256);
            assessment.Property(a => a.RowVersion).IsRowVersion();
            assessment.Ignore(a => a.IsEditable);
            assessment.HasOne<AiApplication>().WithMany().HasForeignKey(a => a.ApplicationId).OnDelete(DeleteBehavior.Cascade);
            assessment.HasOne<AssessmentCatalog>().WithMany().HasForeignKey(a => a.CatalogId).OnDelete(DeleteBehavior.Restrict);
            assessment.HasOne<Assessment>().WithMany().HasForeignKey(a => a.PreviousId).OnDelete(DeleteBehavior.Restrict);
            assessment.HasIndex(a => new { a.ApplicationId, a.Cycle, a.Version }).IsUnique();
        });
        builder.Entity<AssessmentAnswer>(answer =>
        {
            answer.HasKey(a => new { a.AssessmentId, a.ItemCode });
            answer.Property(a => a.ItemCode).HasMaxLength(64);
            answer.Property(a => a.Text).HasMaxLength(20000);
            answer.Property(a => a.Justification).HasMaxLength(20000);
            answer.Property(a => a.Protection).HasConversion<string>().HasMaxLength(16);
            answer.Property(a => a.Fulfilment).HasConversion<string>().HasMaxLength(16);
            answer.Property(a => a.ResidualRisk).HasConversion<string>().HasMaxLength(16);
            answer.Property(a => a.UpdatedByName).HasMaxLength(256);
            answer.Property(a => a.RowVersion).IsRowVersion();
            answer.HasOne<Assessment>().WithMany().HasForeignKey(a => a.AssessmentId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AssessmentCriterion>(criterion =>
        {
            criterion.Property(c => c.RequirementCode).HasMaxLength(64);
            criterion.Property(c => c.Kpi).HasMaxLength(500);
            criterion.Property(c => c.Unit).HasMaxLength(50);
            criterion.Property(c => c.Justification).HasMaxLength(20000);
            criterion.Property(c => c.MetricSource).HasConversion<string>().HasMaxLength(32);
            criterion.Property(c => c.MetricKey).HasMaxLength(100);
            criterion.Property(c => c.Fulfilment).HasConversion<string>().HasMaxLength(16);
            criterion.Property(c => c.UpdatedByName).HasMaxLength(256);
            criterion.Property(c => c.RowVersion).IsRowVersion();
            criterion.HasOne<Assessment>().WithMany().HasForeignKey(c => c.AssessmentId).OnDelete(DeleteBehavior.Cascade);
            criterion.HasIndex(c => new { c.AssessmentId, c.RequirementCode });
        });
        builder.Entity<AssessmentMeasure>(measure =>
        {
            measure.Property(m => m.RequirementCode).HasMaxLength(64);
            measure.Property(m => m.Description).HasMaxLength(20000);
            measure.Property(m => m.ReferencedRiskArea).HasMaxLength(64);
            measure.Property(m => m.UpdatedByName).HasMaxLength(256);
            measure.Property(m => m.RowVersion).IsRowVersion();
            measure.HasOne<Assessment>().WithMany().HasForeignKey(m => m.AssessmentId).OnDelete(DeleteBehavior.Cascade);
            measure.HasIndex(m => new { m.AssessmentId, m.RequirementCode });
        });
        builder.Entity<AssessmentEvidence>(evidence =>
        {
            evidence.Property(e => e.ItemCode).HasMaxLength(64);
            evidence.Property(e => e.Kind).HasMaxLength(8);
            evidence.Property(e => e.Title).HasMaxLength(500);
            evidence.Property(e => e.Url).HasMaxLength(2000);
            evidence.Property(e => e.Owner).HasMaxLength(200);
            evidence.Property(e => e.CreatedByName).HasMaxLength(256);
            evidence.HasOne<Assessment>().WithMany().HasForeignKey(e => e.AssessmentId).OnDelete(DeleteBehavior.Cascade);
            evidence.HasOne<AssessmentMeasure>().WithMany().HasForeignKey(e => e.MeasureId).OnDelete(DeleteBehavior.Cascade);
            evidence.HasOne<AssessmentCriterion>().WithMany().HasForeignKey(e => e.CriterionId).OnDelete(DeleteBehavior.Cascade);
            // Files are shared by the versions and cycles that copy the evidence: never deleted with one of them.
            evidence.HasOne<UploadedFile>().WithMany().HasForeignKey(e => e.UploadedFileId).OnDelete(DeleteBehavior.Restrict);
            evidence.HasIndex(e => new { e.AssessmentId, e.ItemCode });
        });
        builder.Entity<AssessmentComment>(comment =>
        {
            comment.Property(c => c.ItemCode).HasMaxLength(64);
            comment.Property(c => c.Text).HasMaxLength(20000);
            comment.Property(c => c.ResolvedByName).HasMaxLength(256);
            comment.Property(c => c.AuthorId).HasMaxLength(450);
            comment.Property(c => c.AuthorName).HasMaxLength(256);
            comment.HasOne<Assessment>().WithMany().HasForeignKey(c => c.AssessmentId).OnDelete(DeleteBehavior.Cascade);
            comment.HasIndex(c => new { c.AssessmentId, c.ItemCode });
        });
        builder.Entity<AssessmentSignOff>(signOff =>
        {
            signOff.Property(s => s.Scope).HasMaxLength(32);
            signOff.Property(s => s.Role).HasMaxLength(64);
            signOff.Property(s => s.SignedById).HasMaxLength(450);
            signOff.Property(s => s.SignedByName).HasMaxLength(256);
            signOff.Property(s => s.Statement).HasMaxLength(20000);
            signOff.HasOne<Assessment>().WithMany().HasForeignKey(s => s.AssessmentId).OnDelete(DeleteBehavior.Cascade);
            signOff.HasIndex(s => new { s.AssessmentId, s.Scope }).IsUnique();
        });
    }

    private static void ConfigureNovelty(ModelBuilder builder)
    {
        builder.Entity<NoveltyModelSet>(set =>
        {
            set.Property(s => s.Name).HasMaxLength(200);
            set.Property(s => s.Parameters).HasColumnType("jsonb");
            set.Property(s => s.Evaluation).HasColumnType("jsonb");
            set.Property(s => s.CreatedByName).HasMaxLength(256);
            set.HasOne<SequenceDataset>().WithMany().HasForeignKey(s => s.DatasetId).OnDelete(DeleteBehavior.Cascade);
            // A clustering with models is kept: undoing the save of a version used by models is refused.
            set.HasOne<Clustering>().WithMany().HasForeignKey(s => s.ClusteringId).OnDelete(DeleteBehavior.Restrict);
            set.HasIndex(s => s.ClusteringId);
        });
        builder.Entity<SequenceDataset>().HasOne<NoveltyModelSet>().WithMany().HasForeignKey(d => d.ActiveNoveltyModelSetId).OnDelete(DeleteBehavior.SetNull);
        builder.Entity<NoveltyModel>(model =>
        {
            model.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
            model.Property(m => m.Hyperparameters).HasColumnType("jsonb");
            model.Property(m => m.Device).HasMaxLength(256);
            model.HasOne<NoveltyModelSet>().WithMany().HasForeignKey(m => m.ModelSetId).OnDelete(DeleteBehavior.Cascade);
            model.HasOne<Cluster>().WithMany().HasForeignKey(m => m.ClusterId).OnDelete(DeleteBehavior.Restrict);
            // One model per cluster of a set (and one global model: NULLS NOT DISTINCT).
            model.HasIndex(m => new { m.ModelSetId, m.ClusterId }).IsUnique().AreNullsDistinct(false);
            model.HasIndex(m => m.JobRunId).IsUnique();
        });
        builder.Entity<NoveltyModelFile>(file =>
        {
            file.HasKey(f => f.ModelId);
            file.HasOne<NoveltyModel>().WithOne().HasForeignKey<NoveltyModelFile>(f => f.ModelId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<ScoringRun>(run =>
        {
            run.Property(r => r.FileName).HasMaxLength(260);
            run.Property(r => r.CreatedByName).HasMaxLength(256);
            run.HasOne<NoveltyModelSet>().WithMany().HasForeignKey(r => r.ModelSetId).OnDelete(DeleteBehavior.Cascade);
            run.HasIndex(r => r.JobRunId).IsUnique();
        });
        builder.Entity<SequenceScore>(score =>
        {
            score.HasKey(s => new { s.ScoringRunId, s.Ordinal });
            score.Property(s => s.SourceId).HasMaxLength(200);
            score.Property(s => s.AssignmentReason).HasMaxLength(1000);
            score.HasOne<ScoringRun>().WithMany().HasForeignKey(s => s.ScoringRunId).OnDelete(DeleteBehavior.Cascade);
            score.HasIndex(s => new { s.ScoringRunId, s.Perplexity });
        });
    }

    private static void ConfigureSequences(ModelBuilder builder)
    {
        builder.Entity<SequenceDataset>(dataset =>
        {
            dataset.Property(d => d.Name).HasMaxLength(200);
            dataset.Property(d => d.Description).HasMaxLength(4000);
            dataset.Property(d => d.Source).HasMaxLength(4000);
            dataset.Property(d => d.CreatedByName).HasMaxLength(256);
            dataset.HasIndex(d => d.Name).IsUnique();
        });
        builder.Entity<SequenceEventType>(eventType =>
        {
            eventType.Property(e => e.Key).HasMaxLength(200);
            eventType.Property(e => e.DisplayName).HasMaxLength(200);
            eventType.Property(e => e.Color).HasMaxLength(16);
            eventType.HasOne<SequenceDataset>().WithMany().HasForeignKey(e => e.DatasetId).OnDelete(DeleteBehavior.Cascade);
            eventType.HasIndex(e => new { e.DatasetId, e.Key }).IsUnique();
            eventType.HasIndex(e => new { e.DatasetId, e.Index }).IsUnique();
        });
        builder.Entity<EventSequence>(sequence =>
        {
            sequence.Property(s => s.Part).HasMaxLength(16);
            sequence.Property(s => s.SourceId).HasMaxLength(200);
            sequence.HasOne<SequenceDataset>().WithMany().HasForeignKey(s => s.DatasetId).OnDelete(DeleteBehavior.Cascade);
            sequence.HasIndex(s => new { s.DatasetId, s.Part, s.Ordinal }).IsUnique();
            sequence.HasIndex(s => new { s.DatasetId, s.Part, s.SourceId }).IsUnique();
        });
        builder.Entity<SequenceLabel>(label =>
        {
            label.HasKey(l => l.SequenceId);
            label.Property(l => l.Label).HasConversion<string>().HasMaxLength(16);
            label.Property(l => l.Source).HasMaxLength(260);
            label.HasOne<EventSequence>().WithOne().HasForeignKey<SequenceLabel>(l => l.SequenceId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<TopicModel>(model =>
        {
            model.Property(m => m.Parameters).HasColumnType("jsonb");
            model.HasOne<SequenceDataset>().WithMany().HasForeignKey(m => m.DatasetId).OnDelete(DeleteBehavior.Cascade);
            model.HasIndex(m => new { m.DatasetId, m.EnsembleRunId, m.TopicCount }).IsUnique();
        });
        builder.Entity<Topic>(topic =>
        {
            topic.HasOne<TopicModel>().WithMany().HasForeignKey(t => t.TopicModelId).OnDelete(DeleteBehavior.Cascade);
            topic.HasIndex(t => new { t.TopicModelId, t.Index }).IsUnique();
        });
        builder.Entity<SequenceTopicMixture>(mixture =>
        {
            mixture.HasKey(m => new { m.TopicModelId, m.SequenceId });
            mixture.HasOne<TopicModel>().WithMany().HasForeignKey(m => m.TopicModelId).OnDelete(DeleteBehavior.Cascade);
            mixture.HasOne<EventSequence>().WithMany().HasForeignKey(m => m.SequenceId).OnDelete(DeleteBehavior.Cascade);
            mixture.HasIndex(m => m.SequenceId);
        });
        builder.Entity<Clustering>(clustering =>
        {
            clustering.Property(c => c.Name).HasMaxLength(200);
            clustering.Property(c => c.Kind).HasMaxLength(16);
            clustering.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
            clustering.Property(c => c.Parameters).HasColumnType("jsonb");
            clustering.Property(c => c.CreatedByName).HasMaxLength(256);
            clustering.Property(c => c.RowVersion).IsRowVersion();
            clustering.HasOne<SequenceDataset>().WithMany().HasForeignKey(c => c.DatasetId).OnDelete(DeleteBehavior.Cascade);
            clustering.HasOne<Clustering>().WithMany().HasForeignKey(c => c.BasedOnId).OnDelete(DeleteBehavior.SetNull);
            clustering.HasIndex(c => new { c.DatasetId, c.Kind, c.Version });
            clustering.HasIndex(c => c.JobRunId).IsUnique();
        });
        builder.Entity<Cluster>(cluster =>
        {
            cluster.Property(c => c.Name).HasMaxLength(200);
            cluster.Property(c => c.Description).HasMaxLength(4000);
            cluster.Property(c => c.Center).HasColumnType("jsonb");
            cluster.HasOne<Clustering>().WithMany().HasForeignKey(c => c.ClusteringId).OnDelete(DeleteBehavior.Cascade);
            cluster.HasIndex(c => new { c.ClusteringId, c.Index });
        });
        builder.Entity<SequenceAssignment>(assignment =>
        {
            assignment.HasKey(a => new { a.ClusteringId, a.SequenceId });
            assignment.HasOne<Clustering>().WithMany().HasForeignKey(a => a.ClusteringId).OnDelete(DeleteBehavior.Cascade);
            assignment.HasOne<EventSequence>().WithMany().HasForeignKey(a => a.SequenceId).OnDelete(DeleteBehavior.Cascade);
            // Restrict: a cluster is emptied (its sequences moved) before it is deleted.
            assignment.HasOne<Cluster>().WithMany().HasForeignKey(a => a.ClusterId).OnDelete(DeleteBehavior.Restrict);
            assignment.HasIndex(a => new { a.ClusterId, a.SequenceId });
            assignment.HasIndex(a => a.SequenceId);
        });
        builder.Entity<CurationStep>(step =>
        {
            step.Property(s => s.Action).HasMaxLength(64);
            step.Property(s => s.Summary).HasMaxLength(400);
            step.Property(s => s.Before).HasColumnType("jsonb");
            step.Property(s => s.CreatedByName).HasMaxLength(256);
            step.HasOne<Clustering>().WithMany().HasForeignKey(s => s.ClusteringId).OnDelete(DeleteBehavior.Cascade);
            step.HasIndex(s => new { s.ClusteringId, s.Id });
            step.HasOne<Clustering>().WithMany().HasForeignKey(s => s.SavedClusteringId).OnDelete(DeleteBehavior.SetNull);
        });
    }

    private static void ConfigureRelationExtraction(ModelBuilder builder)
    {
        builder.Entity<RelationProject>(project =>
        {
            project.Property(p => p.Name).HasMaxLength(200);
            project.Property(p => p.Description).HasMaxLength(4000);
            project.Property(p => p.CreatedByName).HasMaxLength(256);
            project.Property(p => p.QueueOrder).HasMaxLength(32).HasDefaultValue(WebApp.Domain.RelationExtraction.Labeling.QueueOrders.Margin);
            project.HasIndex(p => p.Name).IsUnique();
            project.Property(p => p.StandingTraining).HasColumnType("jsonb");
            project.Property(p => p.StandingTrainingQueue).HasMaxLength(64);
            project.Property(p => p.PromotionTolerance).HasDefaultValue(RelationProject.DefaultPromotionTolerance);
            project.HasOne<ModelVersion>().WithMany().HasForeignKey(p => p.ActiveModelVersionId).OnDelete(DeleteBehavior.SetNull);
        });
        builder.Entity<RelationType>(relation =>
        {
            relation.Property(r => r.Key).HasMaxLength(200);
            relation.Property(r => r.Name).HasMaxLength(200);
            relation.Property(r => r.Description).HasMaxLength(4000);
            relation.HasOne<RelationProject>().WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
            relation.HasIndex(r => new { r.ProjectId, r.Key }).IsUnique();
            relation.HasIndex(r => new { r.ProjectId, r.Index }).IsUnique();
        });
        builder.Entity<KbEntity>(entity =>
        {
            entity.Property(e => e.KbId).HasMaxLength(200);
            entity.Property(e => e.Name).HasMaxLength(1000);
            entity.HasOne<RelationProject>().WithMany().HasForeignKey(e => e.ProjectId).OnDelete(DeleteBehavior.Cascade);
            entity.HasIndex(e => new { e.ProjectId, e.KbId }).IsUnique();
            entity.HasMany(e => e.Aliases).WithOne().HasForeignKey(a => a.EntityId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<EntityAlias>(alias =>
        {
            alias.Property(a => a.Alias).HasMaxLength(1000);
            alias.HasIndex(a => new { a.EntityId, a.Alias }).IsUnique();
        });
        builder.Entity<KbFact>(fact =>
        {
            fact.HasOne<RelationProject>().WithMany().HasForeignKey(f => f.ProjectId).OnDelete(DeleteBehavior.Cascade);
            fact.HasOne<KbEntity>().WithMany().HasForeignKey(f => f.HeadEntityId).OnDelete(DeleteBehavior.Restrict);
            fact.HasOne<KbEntity>().WithMany().HasForeignKey(f => f.TailEntityId).OnDelete(DeleteBehavior.Restrict);
            fact.HasOne<RelationType>().WithMany().HasForeignKey(f => f.RelationTypeId).OnDelete(DeleteBehavior.Restrict);
            fact.HasIndex(f => new { f.ProjectId, f.HeadEntityId, f.TailEntityId, f.RelationTypeId }).IsUnique();
            fact.HasIndex(f => f.TailEntityId);
            fact.HasIndex(f => f.RelationTypeId);
        });
        builder.Entity<Document>(document =>
        {
            document.Property(d => d.ExternalId).HasMaxLength(200);
            document.Property(d => d.Title).HasMaxLength(1000);
            document.HasOne<RelationProject>().WithMany().HasForeignKey(d => d.ProjectId).OnDelete(DeleteBehavior.Cascade);
            document.HasIndex(d => new { d.ProjectId, d.ExternalId });
        });
        builder.Entity<Sentence>(sentence =>
        {
            sentence.HasOne<Document>().WithMany().HasForeignKey(s => s.DocumentId).OnDelete(DeleteBehavior.Cascade);
            sentence.HasIndex(s => new { s.DocumentId, s.Index });
            sentence.HasIndex(s => s.ProjectId);
        });
        builder.Entity<EntityMention>(mention =>
        {
            mention.HasOne<Sentence>().WithMany().HasForeignKey(m => m.SentenceId).OnDelete(DeleteBehavior.Cascade);
            mention.HasOne<KbEntity>().WithMany().HasForeignKey(m => m.EntityId).OnDelete(DeleteBehavior.Restrict);
            mention.HasIndex(m => m.SentenceId);
            mention.HasIndex(m => m.EntityId);
        });
        builder.Entity<Bag>(bag =>
        {
            bag.Property(b => b.Split).HasConversion<string>().HasMaxLength(8);
            bag.HasOne<RelationProject>().WithMany().HasForeignKey(b => b.ProjectId).OnDelete(DeleteBehavior.Cascade);
            bag.HasOne<KbEntity>().WithMany().HasForeignKey(b => b.HeadEntityId).OnDelete(DeleteBehavior.Restrict);
            bag.HasOne<KbEntity>().WithMany().HasForeignKey(b => b.TailEntityId).OnDelete(DeleteBehavior.Restrict);
            bag.HasIndex(b => new { b.ProjectId, b.HeadEntityId, b.TailEntityId }).IsUnique();
            bag.HasIndex(b => new { b.ProjectId, b.Split });
            bag.HasIndex(b => b.TailEntityId);
        });
        builder.Entity<DistantLabel>(label =>
        {
            label.HasKey(l => new { l.BagId, l.RelationTypeId });
            label.HasOne<Bag>().WithMany().HasForeignKey(l => l.BagId).OnDelete(DeleteBehavior.Cascade);
            label.HasOne<RelationType>().WithMany().HasForeignKey(l => l.RelationTypeId).OnDelete(DeleteBehavior.Cascade);
            label.HasIndex(l => new { l.RelationTypeId, l.BagId });
        });
        builder.Entity<Candidate>(candidate =>
        {
            candidate.Property(c => c.ExternalId).HasMaxLength(200);
            candidate.HasOne<RelationProject>().WithMany().HasForeignKey(c => c.ProjectId).OnDelete(DeleteBehavior.Cascade);
            candidate.HasOne<Sentence>().WithMany().HasForeignKey(c => c.SentenceId).OnDelete(DeleteBehavior.Cascade);
            candidate.HasOne<EntityMention>().WithMany().HasForeignKey(c => c.HeadMentionId).OnDelete(DeleteBehavior.Restrict);
            candidate.HasOne<EntityMention>().WithMany().HasForeignKey(c => c.TailMentionId).OnDelete(DeleteBehavior.Restrict);
            candidate.HasOne<Bag>().WithMany().HasForeignKey(c => c.BagId).OnDelete(DeleteBehavior.Cascade);
            candidate.HasIndex(c => new { c.ProjectId, c.Id });
            candidate.HasIndex(c => c.BagId);
            candidate.HasIndex(c => c.SentenceId);
            candidate.HasIndex(c => c.HeadMentionId);
            candidate.HasIndex(c => c.TailMentionId);
        });
        builder.Entity<GoldLabel>(gold =>
        {
            gold.HasKey(g => g.CandidateId);
            gold.HasOne<Candidate>().WithOne().HasForeignKey<GoldLabel>(g => g.CandidateId).OnDelete(DeleteBehavior.Cascade);
            gold.HasOne<RelationType>().WithMany().HasForeignKey(g => g.RelationTypeId).OnDelete(DeleteBehavior.Cascade);
            gold.HasIndex(g => g.RelationTypeId);
        });
        builder.Entity<ModelVersion>(version =>
        {
            version.Property(v => v.Architecture).HasMaxLength(64);
            version.Property(v => v.Hyperparameters).HasColumnType("jsonb");
            version.Property(v => v.DataSnapshot).HasColumnType("jsonb");
            version.Property(v => v.Metrics).HasColumnType("jsonb");
            version.Property(v => v.Device).HasMaxLength(256);
            version.Property(v => v.CreatedByName).HasMaxLength(256);
            version.Property(v => v.Promotion).HasMaxLength(32);
            version.Property(v => v.PromotionReason).HasMaxLength(1000);
            version.HasOne<RelationProject>().WithMany().HasForeignKey(v => v.ProjectId).OnDelete(DeleteBehavior.Cascade);
            version.HasOne<JobRun>().WithMany().HasForeignKey(v => v.JobRunId).OnDelete(DeleteBehavior.SetNull);
            version.HasIndex(v => new { v.ProjectId, v.Number }).IsUnique();
            // A retried training job must never store a second version.
            version.HasIndex(v => v.JobRunId).IsUnique();
        });
        builder.Entity<ModelFile>(file =>
        {
            file.HasKey(f => f.ModelVersionId);
            file.HasOne<ModelVersion>().WithOne().HasForeignKey<ModelFile>(f => f.ModelVersionId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Prediction>(prediction =>
        {
            prediction.HasKey(p => new { p.ModelVersionId, p.CandidateId });
            prediction.HasOne<ModelVersion>().WithMany().HasForeignKey(p => p.ModelVersionId).OnDelete(DeleteBehavior.Cascade);
            prediction.HasOne<Candidate>().WithMany().HasForeignKey(p => p.CandidateId).OnDelete(DeleteBehavior.Cascade);
            prediction.HasOne<RelationType>().WithMany().HasForeignKey(p => p.TopRelationTypeId).OnDelete(DeleteBehavior.Cascade);
            // Active learning orders the pool by these; the candidates browser filters by the top relation.
            prediction.HasIndex(p => new { p.ModelVersionId, p.Confidence });
            prediction.HasIndex(p => new { p.ModelVersionId, p.Margin });
            prediction.HasIndex(p => new { p.ModelVersionId, p.Entropy });
            prediction.HasIndex(p => new { p.ModelVersionId, p.DiverseRank }).HasFilter("\"DiverseRank\" IS NOT NULL");
            prediction.HasIndex(p => new { p.ModelVersionId, p.TopRelationTypeId, p.Confidence });
            prediction.HasIndex(p => p.CandidateId);
        });
        builder.Entity<ExpertLabel>(label =>
        {
            label.Property(l => l.Kind).HasConversion<string>().HasMaxLength(16);
            label.Property(l => l.UserId).HasMaxLength(450);
            label.Property(l => l.UserName).HasMaxLength(256);
            label.Property(l => l.Comment).HasMaxLength(2000);
            label.HasOne<RelationProject>().WithMany().HasForeignKey(l => l.ProjectId).OnDelete(DeleteBehavior.Cascade);
            label.HasOne<Candidate>().WithMany().HasForeignKey(l => l.CandidateId).OnDelete(DeleteBehavior.Cascade);
            label.HasOne<RelationType>().WithMany().HasForeignKey(l => l.RelationTypeId).OnDelete(DeleteBehavior.Restrict);
            // Current label per candidate and expert: the latest record.
            label.HasIndex(l => new { l.CandidateId, l.UserId, l.Id });
            label.HasIndex(l => new { l.ProjectId, l.Id });
            label.HasIndex(l => new { l.ProjectId, l.UserId, l.CreatedAt });
        });
        builder.Entity<LabelingClaim>(claim =>
        {
            claim.HasKey(c => new { c.CandidateId, c.Place });
            claim.Property(c => c.UserId).HasMaxLength(450);
            claim.HasOne<RelationProject>().WithMany().HasForeignKey(c => c.ProjectId).OnDelete(DeleteBehavior.Cascade);
            claim.HasOne<Candidate>().WithMany().HasForeignKey(c => c.CandidateId).OnDelete(DeleteBehavior.Cascade);
            // An expert holds at most one place of an item.
            claim.HasIndex(c => new { c.CandidateId, c.UserId }).IsUnique();
            claim.HasIndex(c => new { c.ProjectId, c.UserId });
        });
    }
}
