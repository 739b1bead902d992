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
    "echarts": ["dist/echarts.min.js", "LICENSE"],
    "leaflet.heat": ["dist/leaflet-heat.js", "LICENSE"],
    "leaflet.markercluster": [
        "dist/leaflet.markercluster.js",
        "dist/MarkerCluster.css",
        "dist/MarkerCluster.Default.css",
        "MIT-LICENCE.txt",
    ],
}
UNDECLARED_LICENCES = {  # packages whose package.json names no licence: read off their file
    "leaflet.heat": "BSD-2-Clause",
}
TEST_VENDOR = ROOT / "tests/web/vendor"
TEST_FILES = {  # only the browser tests load these; the application never serves them
    "axe-core": ["axe.min.js", "LICENSE"],
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


def vendor(modules: Path, files: dict[str, list[str]], into: Path, served: str) -> list[str]:
    if into.exists():
        shutil.rmtree(into)
    notice = [f"Third-party files {served}, installed from the npm registry.", ""]
    for package, wanted in files.items():
        meta = json.loads((modules / package / "package.json").read_text(encoding="utf-8"))
        for relative in wanted:
            target = into / package / relative.removeprefix("dist/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(modules / package / relative, target)
        licence_file = next(name for name in wanted if "LICEN" in name)
        notice.append(
            f"{package} {meta['version']}  licence: {meta.get('license') or UNDECLARED_LICENCES[package]}  ({package}/{licence_file})"
        )
    (into / "NOTICE").write_text("\n".join(notice) + "\n", encoding="utf-8")
    return notice


if __name__ == "__main__":
    node_modules = install()
    for line in vendor(node_modules, FILES, VENDOR, "served from /static/vendor/"):
        print(line)
    for line in vendor(node_modules, TEST_FILES, TEST_VENDOR, "loaded by the browser tests only"):
        print(line)
