using System.Diagnostics.CodeAnalysis;

// Model classes keep typed fields for the sub-modules and parameters they register; nn.Module.Dispose frees everything
// registered, so the fields themselves are not disposed again.
[assembly: SuppressMessage("Reliability", "CA2213:Disposable fields should be disposed", Scope = "namespaceanddescendants",
    Target = "~N:Leaderboard.Trainer.Models", Justification = "Registered modules and parameters are disposed by nn.Module.Dispose.")]
