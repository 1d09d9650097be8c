// The end-to-end tests train under a wall-clock budget: running them beside other tests would take their cores and
// change what a run can learn in its budget. One test at a time in this assembly.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
