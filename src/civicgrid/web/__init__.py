"""The server-rendered web application: citizen reporting first, staff pages later."""

from civicgrid.web.mount import PHOTO_PAGES, REPORT_PATH, mount_web

__all__ = ["PHOTO_PAGES", "REPORT_PATH", "mount_web"]
