
namespace Leaderboard.Trainer.Models;

/// <summary>
/// A pre-norm transformer block (ViT, Dosovitskiy et al. 2021; timm's <c>Block</c>) assembled from the parts it is given:
/// x = x + drop_path(ls1(attn(norm1(x)))); x = x + drop_path(ls2(mlp(norm2(x)))). <paramref name="norm2"/> may be null
/// (LocalViT's FFN brings its own BatchNorms); LayerScale modules are null when off.
/// </summary>
public sealed class Block : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> norm1;
    private readonly nn.Module<Tensor, Tensor> attn;
    private readonly nn.Module<Tensor, Tensor>? ls1;
    private readonly nn.Module<Tensor, Tensor>? norm2;
    private readonly nn.Module<Tensor, Tensor> mlp;
    private readonly nn.Module<Tensor, Tensor>? ls2;
    private readonly DropPath dropPath;

    public Block(nn.Module<Tensor, Tensor> norm1, nn.Module<Tensor, Tensor> attn, nn.Module<Tensor, Tensor>? norm2, nn.Module<Tensor, Tensor> mlp, nn.Module<Tensor, Tensor>? ls1, nn.Module<Tensor, Tensor>? ls2, double dropPath)
        : base("Block")
    {
        this.norm1 = norm1;
        this.attn = attn;
        this.ls1 = ls1;
        this.norm2 = norm2;
        this.mlp = mlp;
        this.ls2 = ls2;
        this.dropPath = new DropPath(dropPath);
        // Registration order = timm's state-dict order: norm1, attn, ls1, norm2, mlp, ls2.
        register_module("norm1", norm1);
        register_module("attn", attn);
        if (ls1 is not null) register_module("ls1", ls1);
        if (norm2 is not null) register_module("norm2", norm2);
        register_module("mlp", mlp);
        if (ls2 is not null) register_module("ls2", ls2);
        register_module("drop_path", this.dropPath);
    }

    public override Tensor forward(Tensor input)
    {
        var a = attn.forward(norm1.forward(input));
        if (ls1 is not null) a = ls1.forward(a);
        var x = input + dropPath.forward(a);
        var f = mlp.forward(norm2 is null ? x : norm2.forward(x));
        if (ls2 is not null) f = ls2.forward(f);
        return x + dropPath.forward(f);
    }
}

/// <summary>Numbered children (<c>blocks.0</c>, <c>blocks.1</c>, …) applied in order, like nn.Sequential.</summary>
public sealed class BlockList : nn.Module<Tensor, Tensor>
{
    private readonly List<nn.Module<Tensor, Tensor>> items;

    public BlockList(IEnumerable<nn.Module<Tensor, Tensor>> modules) : base("Sequential")
    {
        items = modules.ToList();
        for (int i = 0; i < items.Count; i++) register_module(i.ToString(System.Globalization.CultureInfo.InvariantCulture), items[i]);
    }

    public int Count => items.Count;

    public override Tensor forward(Tensor input)
    {
        var x = input;
        foreach (var m in items) x = m.forward(x);
        return x;
    }
}
