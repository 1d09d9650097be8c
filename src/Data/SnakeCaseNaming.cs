using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Data;

/// <summary>Names columns, keys and foreign keys in snake_case, the PostgreSQL convention (no extra package needed).</summary>
internal static class SnakeCaseNaming
{
    public static void UseSnakeCase(this ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            // Names set explicitly in a configuration (e.g. the xmin row version) stay as they are.
            foreach (var property in entity.GetProperties().Where(p => p.GetColumnName() == p.Name))
                property.SetColumnName(ToSnakeCase(property.Name));
            foreach (var key in entity.GetKeys())
                key.SetName($"pk_{entity.GetTableName()}");
            foreach (var foreignKey in entity.GetForeignKeys())
                foreignKey.SetConstraintName($"fk_{entity.GetTableName()}_{foreignKey.PrincipalEntityType.GetTableName()}");
        }
    }

    public static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])))
                builder.Append('_');
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }
}
