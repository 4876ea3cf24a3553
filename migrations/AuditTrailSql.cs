namespace WebApp.Migrations;

/// <summary>PostgreSQL itself keeps the audit trail append-only: no UPDATE, DELETE or TRUNCATE, whoever asks.</summary>
internal static class AuditTrailSql
{
    public const string CreateAppendOnlyTriggers = """
        CREATE FUNCTION audit_records_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'The audit trail is append-only: % on "AuditRecords" is refused.', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END
        $$;
        CREATE TRIGGER audit_records_no_update_or_delete BEFORE UPDATE OR DELETE ON "AuditRecords"
            FOR EACH ROW EXECUTE FUNCTION audit_records_refuse_change();
        CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON "AuditRecords"
            FOR EACH STATEMENT EXECUTE FUNCTION audit_records_refuse_change();
        """;

    public const string DropAppendOnlyTriggers = """
        DROP TRIGGER IF EXISTS audit_records_no_truncate ON "AuditRecords";
        DROP TRIGGER IF EXISTS audit_records_no_update_or_delete ON "AuditRecords";
        DROP FUNCTION IF EXISTS audit_records_refuse_change();
        """;
}
