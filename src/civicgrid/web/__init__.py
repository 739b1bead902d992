"""The server-rendered web application: citizen reporting first, staff pages later."""

from civicgrid.web.mount import REPORT_PATH, mount_web

__all__ = ["REPORT_PATH", "mount_web"]
