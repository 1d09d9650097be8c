namespace Leaderboard.Web.Extensions;

/// <summary>The rules every string a user writes must pass: a bounded length and no control characters.</summary>
public static class InputRules
{
    /// <summary>Adds an error for <paramref name="field"/> when <paramref name="value"/> is too long or holds control characters
    /// (line breaks and tabs only where <paramref name="multiline"/>). Returns whether it passed.</summary>
    public static bool CheckText(IDictionary<string, string[]> errors, string field, string? value, int maxLength, bool multiline = false)
    {
        if (value is null) return true;
        if (value.Length > maxLength)
        {
            errors[field] = [$"'{field}' is longer than {maxLength} characters."];
            return false;
        }
        foreach (var c in value)
        {
            if (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'))
            {
                errors[field] = [$"'{field}' contains a control character (U+{(int)c:X4})."];
                return false;
            }
        }
        return true;
    }
}
