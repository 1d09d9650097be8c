namespace Leaderboard.Torch;

/// <summary>
/// Frees every tensor created on this thread while it is the innermost scope, when it is disposed
/// (as TorchSharp's DisposeScope). Tensors leave it with MoveToOuterDisposeScope / DetachFromDisposeScope.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic]
    private static List<DisposeScope>? stack;

    private readonly HashSet<torch.Tensor> tensors = new(ReferenceEqualityComparer.Instance);
    private bool disposed;

    internal DisposeScope()
    {
        Stack.Add(this);
    }

    /// <summary>The innermost scope of this thread, or null.</summary>
    public static DisposeScope? Current => stack is { Count: > 0 } s ? s[^1] : null;

    /// <summary>The scope around this one, or null.</summary>
    public DisposeScope? OuterScope
    {
        get
        {
            var s = Stack;
            var i = s.IndexOf(this);
            return i > 0 ? s[i - 1] : null;
        }
    }

    /// <summary>How many tensors this scope will free.</summary>
    public int DisposablesCount => tensors.Count;

    private static List<DisposeScope> Stack => stack ??= [];

    internal void Register(torch.Tensor t)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        tensors.Add(t);
        t.OwningDisposeScope = this;
    }

    internal void Unregister(torch.Tensor t)
    {
        tensors.Remove(t);
        if (ReferenceEquals(t.OwningDisposeScope, this))
        {
            t.OwningDisposeScope = null;
        }
    }

    /// <summary>Moves tensors to the outer scope (or out of all scopes); returns them.</summary>
    public T MoveToOuter<T>(T tensor) where T : torch.Tensor
    {
        Unregister(tensor);
        OuterScope?.Register(tensor);
        return tensor;
    }

    /// <summary>Takes tensors out of this scope: the caller owns them.</summary>
    public T Detach<T>(T tensor) where T : torch.Tensor
    {
        Unregister(tensor);
        return tensor;
    }

    /// <summary>Adds a tensor created elsewhere to this scope.</summary>
    public T Include<T>(T tensor) where T : torch.Tensor
    {
        tensor.OwningDisposeScope?.Unregister(tensor);
        Register(tensor);
        return tensor;
    }

    /// <summary>Frees the scope's tensors now and keeps the scope open.</summary>
    public void DisposeEverything()
    {
        foreach (var t in tensors)
        {
            t.OwningDisposeScope = null;
            t.Dispose();
        }

        tensors.Clear();
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        DisposeEverything();
        disposed = true;
        Stack.Remove(this);
    }
}
