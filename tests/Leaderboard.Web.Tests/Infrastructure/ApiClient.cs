using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Leaderboard.Web.Tests.Infrastructure;

public static class ApiClient
{
    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string track, string name, string recipe) =>
        client.PostAsJsonAsync("/api/v1/submissions", new { track, name, recipe });

    /// <summary>Polls a run until it reaches a final state or the timeout passes; returns its last JSON.</summary>
    public static async Task<JsonObject> WaitForRunAsync(this HttpClient client, long runId, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var run = await (await client.GetAsync($"/api/v1/runs/{runId}")).ReadObjectAsync();
            var status = (string)run["status"]!;
            if (status is "Completed" or "Failed" or "Cancelled" or "BudgetExceeded" || DateTime.UtcNow > until) return run;
            await Task.Delay(500);
        }
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
