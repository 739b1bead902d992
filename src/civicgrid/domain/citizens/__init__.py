"""Citizens and public channels: reporters without accounts, tracking codes, the public
view of a case, and the Open311 GeoReport v2 vocabulary."""

from civicgrid.domain.citizens.reporter import PUBLIC_USER_ID, Channel, PublicReporter
from civicgrid.domain.citizens.timeline import PublicEntry, public_status, public_timeline
from civicgrid.domain.citizens.tracking import code_digest, display_code, normalize_code

__all__ = [
    "PUBLIC_USER_ID",
    "Channel",
    "PublicEntry",
    "PublicReporter",
    "code_digest",
    "display_code",
    "normalize_code",
    "public_status",
    "public_timeline",
]
