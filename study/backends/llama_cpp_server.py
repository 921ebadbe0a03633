"""llama-cpp-python's OpenAI-compatible server with ggml's extra CPU buffer types turned off.

    python -m study.backends.llama_cpp_server --model model.gguf --model_alias NAME --host 127.0.0.1 --port 8080

Takes exactly the arguments of ``python -m llama_cpp.server``. Why it exists: llama-cpp-python
0.3.36's CPU backend repacks weights into AMX / AVX-512 layouts ("extra buffer types") when the CPU
offers them, and on an AMX machine (Sapphire Rapids class, measured 2026-12-03) that path dies with
a general protection fault in ``libggml-cpu.so`` on the first completion: the server closes the
connection, clients see "connection refused" from then on, and ``dmesg`` shows the trap. The model
parameter that turns the path off (``use_extra_bufts``) is not exposed by the server's CLI, so this
launcher sets it on the defaults every model load starts from, then hands over to the server's own
``main``. Outputs are the same computation without the repacked kernels (slower on CPUs where
repacking works).
"""

from __future__ import annotations


def disable_extra_buffer_types() -> None:
    """Make every later model load start from ``use_extra_bufts = False``."""
    import llama_cpp.llama_cpp as lib

    default = lib.llama_model_default_params
    if getattr(default, "_extra_bufts_off", False):
        return

    def without_extra_bufts():
        params = default()
        params.use_extra_bufts = False
        return params

    without_extra_bufts._extra_bufts_off = True
    lib.llama_model_default_params = without_extra_bufts


def main() -> None:
    try:
        from llama_cpp.server.__main__ import main as serve
    except ImportError as exc:
        raise SystemExit(f"llama-cpp-python[server] is not installed ({exc}); `pip install 'llama-cpp-python[server]'`")
    disable_extra_buffer_types()
    serve()


if __name__ == "__main__":
    main()
