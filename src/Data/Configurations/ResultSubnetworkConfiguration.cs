using Leaderboard.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Leaderboard.Data.Configurations;

internal sealed class ResultSubnetworkConfiguration : IEntityTypeConfiguration<ResultSubnetwork>
{
    public void Configure(EntityTypeBuilder<ResultSubnetwork> builder)
    {
        builder.ToTable("result_subnetworks");
        builder.HasKey(s => new { s.RunId, s.Heads });
        builder.HasOne<Result>().WithMany(r => r.Subnetworks).HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
