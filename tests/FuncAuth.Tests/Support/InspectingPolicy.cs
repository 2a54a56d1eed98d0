using Azure.Core;
using Azure.Core.Pipeline;

namespace FuncAuth.Tests.Support;

/// <summary>
/// A pipeline policy for the app's Table clients that looks at each storage request before it is sent (to count it, or
/// to fail it as a fault would by throwing), the same on the synchronous and the asynchronous path.
/// </summary>
public abstract class InspectingPolicy : HttpPipelinePolicy
{
    public sealed override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Inspect(message);
        ProcessNext(message, pipeline);
    }

    public sealed override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Inspect(message);
        return ProcessNextAsync(message, pipeline);
    }

    /// <summary>Called before the request goes on; throw to fail it.</summary>
    protected abstract void Inspect(HttpMessage message);
}
