# A CUDA worker node: the Hangfire worker host + the trainer (lb-trainer) on TorchSharp-cuda-linux 0.107.0 (LibTorch
# 2.10.0, CUDA 12.8). One container per GPU node; it finds its GPUs with nvidia-smi and trains one run per GPU.
# Build from the repository root: docker build -f docker/worker.Dockerfile -t leaderboard-worker .
# TorchSharp-cuda-linux and its libtorch-cuda-12.8 parts are restored from the public NuGet (the SDK image's default
# source) while the image builds.
# Ubuntu 24.04's libstdc++ has GLIBCXX_3.4.32, so TorchSharp's glue loads as shipped (the Debian 12 step is a no-op).

# 1. .NET: the worker host and the trainer, self-contained (the CUDA image below has no .NET runtime).
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS dotnet
WORKDIR /src
COPY . .
RUN dotnet publish src/Jobs/Leaderboard.Jobs.csproj -c Release -r linux-x64 --self-contained -o /app/worker \
 && dotnet publish src/Training/Leaderboard.Trainer/Leaderboard.Trainer.csproj -c Release -r linux-x64 --self-contained \
      -p:TorchBackend=cuda -o /app/trainer

# 2. Runtime: Ubuntu 24.04 + CUDA 12.8 (the driver comes from the host through the NVIDIA container toolkit),
#    libjpeg-turbo for the data loader, and the published apps (libtorch's CUDA libraries travel with the trainer).
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04
RUN apt-get update && apt-get install -y --no-install-recommends libturbojpeg && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet /app /app
ENV Worker__Enabled=true \
    Worker__TrainerPath=/app/trainer/lb-trainer \
    Worker__DataRoot=/data
VOLUME /data
ENTRYPOINT ["/app/worker/Leaderboard.Jobs"]
