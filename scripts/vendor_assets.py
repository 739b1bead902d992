"""Install the pinned browser assets from the npm registry and vendor the files we serve.

`npm ci` runs in build/web-assets (ignored by git) from the committed package.json and
package-lock.json, so node_modules never enters the source tree; the lock file's
integrity hashes are checked by npm. Only the files listed in FILES are copied into
src/civicgrid/web/static/vendor/, with each package's licence and a NOTICE naming the
exact versions. Run it with `make assets` after changing a version, and commit the result.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "src/civicgrid/web/assets"
VENDOR = ROOT / "src/civicgrid/web/static/vendor"
WORK = ROOT / "build/web-assets"

FILES = {  # package -> files inside it that the pages load (dist builds and the licence)
    "leaflet": [
        "dist/leaflet.js",
        "dist/leaflet.css",
        "dist/images/marker-icon.png",
        "dist/images/marker-icon-2x.png",
        "dist/images/marker-shadow.png",
        "dist/images/layers.png",
        "dist/images/layers-2x.png",
        "LICENSE",
    ],
    "htmx.org": ["dist/htmx.min.js", "LICENSE"],
}


def install() -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(ASSETS / name, WORK / name)
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is not installed; it is needed only to refresh the vendored assets")
    subprocess.run(  # noqa: S603 - fixed arguments, the npm found on PATH
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=WORK, check=True
    )
    return WORK / "node_modules"


def vendor(modules: Path) -> list[str]:
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    notice = ["Third-party files served from /static/vendor/, installed from the npm registry.", ""]
    for package, files in FILES.items():
        meta = json.loads((modules / package / "package.json").read_text(encoding="utf-8"))
        for relative in files:
            target = VENDOR / package / relative.removeprefix("dist/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(modules / package / relative, target)
        notice.append(
            f"{package} {meta['version']}  licence: {meta['license']}  ({package}/LICENSE)"
        )
    (VENDOR / "NOTICE").write_text("\n".join(notice) + "\n", encoding="utf-8")
    return notice


if __name__ == "__main__":
    for line in vendor(install()):
        print(line)
