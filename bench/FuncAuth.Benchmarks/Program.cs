using BenchmarkDotNet.Running;

// The hot paths that need no storage: what one login spends hashing, and what one verify spends on the JWT.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

public partial class Program;
