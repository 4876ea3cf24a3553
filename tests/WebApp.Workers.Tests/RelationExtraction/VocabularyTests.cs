using WebApp.Workers.RelationExtraction;

namespace WebApp.Workers.Tests.RelationExtraction;

public class VocabularyTests
{
    [Fact]
    public void Words_are_lowercased_ranked_by_count_and_vectors_add_their_words()
    {
        RelationExample[] train =
        [
            new(["The", "cat", "the", "dog"], 1, 2, 3, 4, 0, "a|b"),
            new(["a", "Cat"], 0, 1, 1, 2, 0, "a|b"),
        ];
        var vectors = WordVectors.Read(new StringReader("2 3\ndog 1 2 3\nzebra 0.5 0 -1\n"), "vectors.txt");

        var vocabulary = Vocabulary.Build(train, minCount: 2, maxSize: 10, vectors);

        // the: 2, cat: 2 (first seen later), dog: 1 but has a vector, a: 1 dropped; then zebra from the vectors
        Assert.Equal(["<pad>", "<unk>", "the", "cat", "dog", "zebra"], vocabulary.Words);
        Assert.Equal(Vocabulary.Unknown, vocabulary["a"]);
        Assert.Equal(3, vocabulary["CAT"]);
        Assert.Equal([0.5f, 0, -1], vectors.Vectors["zebra"]);
    }

    [Fact]
    public void A_bad_vector_line_is_reported_with_its_line()
    {
        var error = Assert.Throws<FormatException>(() => WordVectors.Read(new StringReader("1 2\ncat 1\n"), "v.txt"));

        Assert.StartsWith("v.txt:2:", error.Message, StringComparison.Ordinal);
    }
}
