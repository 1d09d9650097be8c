using Microsoft.Extensions.Options;

namespace Leaderboard.Web.Extensions;

/// <summary>
/// Guards the API's writes. A bearer token that is sent must be a known one (401 otherwise); a missing token is
/// accepted unless <see cref="AuthOptions.RequireTokenForWrites"/> is on. The caller's identity goes into
/// <see cref="HttpContext.Items"/> as the submission's owner.
/// </summary>
public sealed class ApiTokenFilter(IOptions<AuthOptions> options) : IEndpointFilter
{
    public const string OwnerItem = "lb.owner";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        var auth = options.Value;
        if (header.Length > 0)
        {
            const string scheme = "Bearer ";
            var token = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
            if (token is null || auth.AdminToken is null || !FixedTimeEquals(token, auth.AdminToken))
                return TypedResults.Problem("The API token is not valid.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
            http.Items[OwnerItem] = "admin";
        }
        else if (auth.RequireTokenForWrites)
        {
            return TypedResults.Problem("This operation needs an API token: send 'Authorization: Bearer <token>'.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        }
        return await next(context);
    }

    private static bool FixedTimeEquals(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(a), System.Text.Encoding.UTF8.GetBytes(b));
}
