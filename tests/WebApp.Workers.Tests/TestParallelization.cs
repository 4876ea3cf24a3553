// TorchSharp's random generator is process-wide: two trainings at once would draw from each other's
// sequence and the same-seed tests would fail at random. The worker tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
