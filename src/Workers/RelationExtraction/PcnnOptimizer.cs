namespace WebApp.Workers.RelationExtraction;

/// <summary>The optimiser that trains the PCNN.</summary>
public enum PcnnOptimizer
{
    /// <summary>Plain SGD (OpenNRE: learning rate 0.1, weight decay 1e-5).</summary>
    Sgd,

    /// <summary>Adam (learning rate 1e-3): converges much faster on small data sets.</summary>
    Adam,
}
