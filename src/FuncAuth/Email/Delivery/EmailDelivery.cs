namespace FuncAuth.Email.Delivery;

/// <summary>TEMPORARY (lead's worktree): replaced by the delivery branch's version on merge.</summary>
internal sealed class EmailDelivery
{
    public bool IsConfigured { get; init; } = true;
}
