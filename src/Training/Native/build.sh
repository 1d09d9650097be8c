#!/usr/bin/env bash
# Configures and builds liblbtorch.so (Release, -O2) into src/Training/Native/build/.
# libtorch is found through $Torch_DIR if set, else Debian's libtorch-dev, else a PyTorch install.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$here/build"

if [[ -z "${Torch_DIR:-}" ]]; then
  if [[ -f /usr/lib/x86_64-linux-gnu/cmake/Torch/TorchConfig.cmake ]]; then
    Torch_DIR=/usr/lib/x86_64-linux-gnu/cmake/Torch
  elif prefix="$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)' 2>/dev/null)" && [[ -n "$prefix" ]]; then
    Torch_DIR="$prefix/Torch"
  else
    echo "build.sh: libtorch not found. Install Debian's libtorch-dev (apt-get install libtorch-dev libopenblas0-openmp)," >&2
    echo "          or set Torch_DIR to the folder holding TorchConfig.cmake." >&2
    exit 1
  fi
fi
export Torch_DIR
echo "build.sh: Torch_DIR=$Torch_DIR"

cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTorch_DIR="$Torch_DIR"
cmake --build "$build" --config Release -j"$(nproc)"
echo "build.sh: built $build/liblbtorch.so"
