namespace WebApp.Domain.RelationExtraction;

/// <summary>An entity of the knowledge base, identified by its KB id (e.g. a Wikidata Q-id).</summary>
public class KbEntity
{
    public long Id { get; set; }
    public int ProjectId { get; set; }
    public string KbId { get; set; } = "";
    public string Name { get; set; } = "";
    public List<EntityAlias> Aliases { get; set; } = [];
}

/// <summary>A further name of an entity that dictionary matching finds in text (stored lower-case).</summary>
public class EntityAlias
{
    public long Id { get; set; }
    public long EntityId { get; set; }
    public string Alias { get; set; } = "";
}

/// <summary>A fact of the knowledge base: head —relation→ tail. A pair may hold several relations.</summary>
public class KbFact
{
    public long Id { get; set; }
    public int ProjectId { get; set; }
    public long HeadEntityId { get; set; }
    public int RelationTypeId { get; set; }
    public long TailEntityId { get; set; }
}
