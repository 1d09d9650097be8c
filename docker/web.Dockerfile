# The web app: site + REST API + health and metrics; queues runs on Hangfire but executes none (Worker__Enabled=false).
# Build from the repository root: docker build -f docker/web.Dockerfile -t leaderboard-web .
# The build command is the README's (./lb build builds the same project in Release); tests/…/Deployment checks it.

# 1. Build: the SDK with Node.js for the site's chart library (npm ci from src/Web/package-lock.json, as the build does).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Restore layer: only what restore reads, so a source change reuses the downloaded packages.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Data/Leaderboard.Data.csproj src/Data/
COPY src/Jobs/Leaderboard.Jobs.csproj src/Jobs/
COPY src/Training/Leaderboard.Training/Leaderboard.Training.csproj src/Training/Leaderboard.Training/
COPY src/Web/Leaderboard.Web.csproj src/Web/Charts.targets src/Web/package.json src/Web/package-lock.json src/Web/
RUN dotnet restore src/Web/Leaderboard.Web.csproj \
 && cd src/Web && npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN dotnet publish src/Web/Leaderboard.Web.csproj -c Release --no-restore -o /app

# 2. Runtime: the ASP.NET Core runtime only, as its non-root user; curl for the health check.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Worker__Enabled=false \
    Logging__Console__FormatterName=json \
    Logging__Console__FormatterOptions__IncludeScopes=true
EXPOSE 8080
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
ENTRYPOINT ["dotnet", "Leaderboard.Web.dll"]
