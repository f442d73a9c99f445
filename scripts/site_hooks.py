"""MkDocs hooks of the documentation site (mkdocs.yml).

- docs/*.md link to files beside docs/ (``../examples/README.md``, the test fixtures' notes) so
  that they work on a code host; the site holds only docs/, so such a link becomes the file's
  path in the repository, as code, instead of a link that leads nowhere.
- ``changelog.md`` shows the repository's CHANGELOG.md, whose links go to ``docs/…``; on the
  site they are the pages beside it.
- ``notebook.md`` shows the executed notebook ``docs/notebook.ipynb``, its cells and their
  outputs (text and pictures), as Markdown.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

OUTSIDE = re.compile(r"\[([^\]]+)\]\(\.\./([^)\s#]+)(#[^)\s]*)?\)")
ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "notebook.ipynb"
NOTEBOOK_MARK = "<!-- the notebook's cells -->"


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if page.file.src_uri == "changelog.md":
        markdown = (ROOT / "CHANGELOG.md").read_text("utf-8").replace("](docs/", "](")
    markdown = OUTSIDE.sub(_repository_path, markdown)
    if NOTEBOOK_MARK in markdown:
        markdown = markdown.replace(NOTEBOOK_MARK, notebook_markdown(NOTEBOOK))
    return markdown


def _repository_path(match: re.Match[str]) -> str:
    text, path = match.group(1), match.group(2)
    return f"`{path}`" if text.strip("`") == path else f"{text} (`{path}` in the repository)"


def notebook_markdown(path: Path) -> str:
    """The cells of the notebook at ``path`` with their outputs."""
    notebook = json.loads(path.read_text("utf-8"))
    parts: list[str] = []
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":  # its headings under the page's title
            parts.append(re.sub(r"^(#+) ", r"#\1 ", source, flags=re.M))
            continue
        parts.append(f"```python\n{source}\n```")
        for output in cell.get("outputs", []):
            parts.extend(_output_markdown(output))
    return "\n\n".join(parts)


def _output_markdown(output: dict[str, Any]) -> list[str]:
    if output["output_type"] == "stream":
        return [f"```text\n{''.join(output['text']).rstrip()}\n```"]
    data = output.get("data", {})
    if "image/png" in data:
        png = data["image/png"]
        png = png if isinstance(png, str) else "".join(png)
        base64.b64decode(png, validate=True)  # a damaged picture fails the build
        return [f"![output](data:image/png;base64,{png.strip()})"]
    if "text/plain" in data:
        return [f"```text\n{''.join(data['text/plain']).rstrip()}\n```"]
    return []
