# The web app: site + REST API; queues runs on Hangfire but executes none (Worker__Enabled=false).
# Build from the repository root: docker build -f docker/web.Dockerfile -t leaderboard-web .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
COPY . .
RUN dotnet publish src/Web/Leaderboard.Web.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Worker__Enabled=false
EXPOSE 8080
ENTRYPOINT ["dotnet", "Leaderboard.Web.dll"]
