# A CUDA worker node: the worker host (Hangfire server, /health/* on :8081) and the trainer (lb-trainer) on
# TorchSharp-cuda-linux 0.107.0 (LibTorch 2.10.0, CUDA 12.8). It finds its GPUs with nvidia-smi and trains one run per
# GPU; compose gives each container one GPU.
# Build from the repository root: docker build -f docker/worker.Dockerfile -t leaderboard-worker .
# TorchSharp-cuda-linux and its libtorch-cuda-12.8 parts (several GB) are restored from the public NuGet (the SDK
# image's default source) in the restore layer, which source changes do not invalidate.
# Ubuntu 24.04's libstdc++ has GLIBCXX_3.4.32: TorchSharp's glue loads as shipped, no Debian-12 patch is needed (the
# build's patch step, src/Training/TorchSharp.targets, finds nothing to do).

# 1. Build: the worker host and the trainer, self-contained (the CUDA image below has no .NET runtime).
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Data/Leaderboard.Data.csproj src/Data/
COPY src/Jobs/Leaderboard.Jobs.csproj src/Jobs/
COPY src/Training/TorchSharp.targets src/Training/
COPY src/Training/Leaderboard.Training/Leaderboard.Training.csproj src/Training/Leaderboard.Training/
COPY src/Training/Leaderboard.Imaging/Leaderboard.Imaging.csproj src/Training/Leaderboard.Imaging/
COPY src/Training/Leaderboard.Trainer/Leaderboard.Trainer.csproj src/Training/Leaderboard.Trainer/
RUN dotnet restore src/Jobs/Leaderboard.Jobs.csproj -r linux-x64 -p:SelfContained=true \
 && dotnet restore src/Training/Leaderboard.Trainer/Leaderboard.Trainer.csproj -r linux-x64 -p:SelfContained=true -p:TorchBackend=cuda
COPY . .
RUN dotnet publish src/Jobs/Leaderboard.Jobs.csproj -c Release -r linux-x64 -p:SelfContained=true --no-restore -o /app/worker \
 && dotnet publish src/Training/Leaderboard.Trainer/Leaderboard.Trainer.csproj -c Release -r linux-x64 -p:SelfContained=true -p:TorchBackend=cuda --no-restore -o /app/trainer

# 2. Runtime: Ubuntu 24.04 + CUDA 12.8 + cuDNN (the driver and nvidia-smi come from the host through the NVIDIA
#    container toolkit), libjpeg-turbo for the data loader, curl for the health check, a non-root user.
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04
RUN apt-get update && apt-get install -y --no-install-recommends libturbojpeg curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --create-home lb \
 && mkdir -p /data && chown lb:lb /data
COPY --from=build /app /app
ENV Worker__Enabled=true \
    Worker__TrainerPath=/app/trainer/lb-trainer \
    Worker__DataRoot=/data \
    ASPNETCORE_URLS=http://0.0.0.0:8081 \
    Logging__Console__FormatterName=json \
    Logging__Console__FormatterOptions__IncludeScopes=true
# Checkpoints: a volume shared by every node (a run recovered on another node resumes from its last checkpoint).
VOLUME /data
EXPOSE 8081
USER lb
HEALTHCHECK --interval=15s --timeout=10s --start-period=60s CMD curl -fsS http://127.0.0.1:8081/health/node || exit 1
ENTRYPOINT ["/app/worker/Leaderboard.Jobs"]
