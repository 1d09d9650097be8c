# A CUDA worker node: the Hangfire worker host + the trainer (lb-trainer) + the libtorch shim built against the CUDA
# libtorch inside a PyTorch install. One container per GPU node; it finds its GPUs with nvidia-smi and trains one run per GPU.
# Build from the repository root: docker build -f docker/worker.Dockerfile -t leaderboard-worker .

# 1. .NET: the worker host and the trainer, self-contained (the CUDA image below has no .NET runtime).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS dotnet
WORKDIR /src
COPY . .
RUN dotnet publish src/Jobs/Leaderboard.Jobs.csproj -c Release -r linux-x64 --self-contained -o /app/worker \
 && dotnet publish src/Training/Leaderboard.Trainer/Leaderboard.Trainer.csproj -c Release -r linux-x64 --self-contained -o /app/trainer

# 2. The shim against PyTorch's CUDA libtorch (libtorch 2.x: flash / memory-efficient attention, bf16 autocast).
FROM pytorch/pytorch:2.5.1-cuda12.4-cudnn9-devel AS native
RUN apt-get update && apt-get install -y --no-install-recommends cmake g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY src/Training/Native src/Training/Native
RUN Torch_DIR="$(python -c 'import torch; print(torch.utils.cmake_prefix_path)')/Torch" bash src/Training/Native/build.sh

# 3. Runtime: PyTorch's CUDA libraries + libjpeg-turbo + the published apps.
FROM pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime
RUN apt-get update && apt-get install -y --no-install-recommends libturbojpeg0 libicu-dev && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet /app /app
COPY --from=native /src/src/Training/Native/build/liblbtorch.so /app/trainer/
ENV LD_LIBRARY_PATH=/opt/conda/lib/python3.11/site-packages/torch/lib \
    LB_TORCH_NATIVE=/app/trainer/liblbtorch.so \
    Worker__Enabled=true \
    Worker__TrainerPath=/app/trainer/lb-trainer \
    Worker__DataRoot=/data
VOLUME /data
ENTRYPOINT ["/app/worker/Leaderboard.Jobs"]
