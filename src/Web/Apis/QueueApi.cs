using Leaderboard.Web.Features.Queue;

namespace Leaderboard.Web.Apis;

public static class QueueApi
{
    public static RouteGroupBuilder MapQueueApi(this RouteGroupBuilder api)
    {
        api.MapGet("/queue", GetQueue).WithTags("Queue").WithName("GetQueue")
            .WithSummary("The worker nodes (hardware, versions, what each runs) and the queued runs with their position and estimated start.");
        return api;
    }

    public static async Task<QueueSnapshot> GetQueue(QueueView queue, CancellationToken cancellationToken) => await queue.LoadAsync(cancellationToken);
}
