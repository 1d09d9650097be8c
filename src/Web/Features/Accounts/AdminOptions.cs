using System.ComponentModel.DataAnnotations;

namespace Leaderboard.Web.Features.Accounts;

/// <summary>
/// The first administrator, from configuration (section "Admin": <c>Admin__Email</c>, <c>Admin__Password</c>, optional
/// <c>Admin__UserName</c>), created or promoted on start. <c>LB_ADMIN_TOKEN</c> (or <c>Admin__Token</c>) is a bootstrap
/// API token that acts as this administrator (as a user named <see cref="UserName"/> that cannot sign in when no
/// email/password is configured).
/// </summary>
public sealed class AdminOptions : IValidatableObject
{
    public const string Section = "Admin";
    public const int MinTokenLength = 24;

    [StringLength(64, MinimumLength = 1)]
    public string UserName { get; set; } = "admin";

    [EmailAddress]
    public string? Email { get; set; }

    public string? Password { get; set; }

    public string? Token { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(Email) != string.IsNullOrEmpty(Password))
            yield return new ValidationResult("Set both Admin__Email and Admin__Password (or neither).", [nameof(Email), nameof(Password)]);
        if (Token is { Length: > 0 and < MinTokenLength })
            yield return new ValidationResult($"LB_ADMIN_TOKEN must be at least {MinTokenLength} characters long.", [nameof(Token)]);
    }
}
