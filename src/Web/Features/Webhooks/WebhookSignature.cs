using System.Security.Cryptography;
using System.Text;

namespace Leaderboard.Web.Features.Webhooks;

/// <summary>
/// How a delivery is signed: <c>X-Leaderboard-Signature: sha256=&lt;hex HMAC-SHA256(secret, "{timestamp}.{body}")&gt;</c>
/// with the Unix time in <c>X-Leaderboard-Timestamp</c> (signed too, so that a receiver can refuse old replays).
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Leaderboard-Signature";
    public const string TimestampHeader = "X-Leaderboard-Timestamp";
    public const string EventHeader = "X-Leaderboard-Event";
    public const string DeliveryHeader = "X-Leaderboard-Delivery";

    public static string Sign(string secret, long timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
}
