using WebApp.Domain.RelationExtraction.Labeling;

namespace WebApp.UnitTests;

public class AgreementTests
{
    private static List<(int, int)> Pairs(params (int First, int Second, int Times)[] cells) =>
        [.. cells.SelectMany(c => Enumerable.Repeat((c.First, c.Second), c.Times))];

    [Fact]
    public void Cohens_kappa_of_the_textbook_table()
    {
        // Both yes 20, A yes B no 5, A no B yes 10, both no 15: p_o = 0.7, p_e = 0.5·0.6 + 0.5·0.4 = 0.5, κ = 0.4.
        var pairs = Pairs((1, 1, 20), (1, 0, 5), (0, 1, 10), (0, 0, 15));
        Assert.Equal(0.4, Agreement.CohensKappa(pairs)!.Value, 10);
    }

    [Fact]
    public void Cohens_kappa_is_one_on_full_agreement_zero_at_chance_and_undefined_without_variety()
    {
        Assert.Equal(1.0, Agreement.CohensKappa(Pairs((1, 1, 3), (2, 2, 2)))!.Value, 10);
        // p_o = 0.5, p_e = 0.5: κ = 0.
        Assert.Equal(0.0, Agreement.CohensKappa(Pairs((1, 1, 1), (1, 2, 1), (2, 1, 1), (2, 2, 1)))!.Value, 10);
        Assert.Null(Agreement.CohensKappa(Pairs((3, 3, 4))));
        Assert.Null(Agreement.CohensKappa([]));
    }

    [Fact]
    public void Cohens_kappa_per_relation_is_one_against_the_rest()
    {
        // Items: (1,1) (1,2) (2,2) (0,0). For relation 1: (1,1) (1,0) (0,0) (0,0): p_o = 0.75,
        // p_e = 0.5·0.25 + 0.5·0.75 = 0.5, κ = 0.5. Relation 2: (0,0) (0,1) (1,1) (0,0): the same, 0.5.
        // Relation 0: always agreed, p_o = 1, p_e = 0.25·0.25 + 0.75·0.75 = 0.625, κ = 1.
        var perRelation = Agreement.CohensKappaPerRelation(Pairs((1, 1, 1), (1, 2, 1), (2, 2, 1), (0, 0, 1)));
        Assert.Equal([0, 1, 2], perRelation.Keys);
        Assert.Equal(1.0, perRelation[0]!.Value, 10);
        Assert.Equal(0.5, perRelation[1]!.Value, 10);
        Assert.Equal(0.5, perRelation[2]!.Value, 10);
    }

    [Fact]
    public void Fleiss_kappa_by_hand_on_three_items_and_three_raters()
    {
        // Items [0,0,0] [1,1,1] [0,0,1]: P_i = 1, 1, 1/3, P̄ = 7/9; p = 5/9, 4/9, P̄e = 41/81; κ = (22/81)/(40/81) = 0.55.
        int[][] ratings = [[0, 0, 0], [1, 1, 1], [0, 0, 1]];
        Assert.Equal(0.55, Agreement.FleissKappa(ratings)!.Value, 10);
    }

    [Fact]
    public void Fleiss_kappa_of_the_textbook_table_of_fourteen_raters()
    {
        // Fleiss (1971) as reproduced on Wikipedia: P̄ = 0.378, P̄e = 0.213, κ = 0.210.
        int[][] counts =
        [
            [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
        ];
        var ratings = counts.Select(row => (IReadOnlyList<int>)[.. row.SelectMany((n, category) => Enumerable.Repeat(category, n))]).ToList();
        Assert.Equal(0.210, Agreement.FleissKappa(ratings)!.Value, 3);
    }

    [Fact]
    public void Fleiss_kappa_equals_one_on_full_agreement_and_rejects_ragged_items()
    {
        int[][] agreed = [[1, 1, 1], [2, 2, 2]];
        Assert.Equal(1.0, Agreement.FleissKappa(agreed)!.Value, 10);
        int[][] single = [[4, 4], [4, 4]];
        Assert.Null(Agreement.FleissKappa(single));
        int[][] ragged = [[1, 1], [1, 2, 2]];
        Assert.Throws<ArgumentException>(() => Agreement.FleissKappa(ragged));
        var perRelation = Agreement.FleissKappaPerRelation(agreed);
        Assert.Equal(1.0, perRelation[1]!.Value, 10);
        Assert.Equal(1.0, perRelation[2]!.Value, 10);
    }
}
