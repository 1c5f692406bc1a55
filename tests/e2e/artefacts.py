"""Screenshots kept as test artefacts: in test-artifacts/ (E2E_ARTIFACTS overrides), one per page checked."""

import os
from pathlib import Path


def screenshot(page, name: str) -> Path:
    folder = Path(os.environ.get("E2E_ARTIFACTS", "test-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
