"""Directive schemas: issue, preview, public views, roll-up, receipts and bodies."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, Field

from civicgrid.api.schemas.cases import AttachmentIds, TextIn
from civicgrid.domain.areas import Area, Level
from civicgrid.domain.directives import (
    Content,
    Directive,
    Priority,
    Receipt,
    RollupRow,
    Selection,
)
from civicgrid.domain.directives.responding import needs_signature
from civicgrid.domain.forms import FormField, parse_form
from civicgrid.domain.ledger import LedgerEntry
from civicgrid.services.directive_ports import Version

Code = Annotated[str, Field(min_length=6, max_length=17, pattern=r"^\d+$")]
Tag = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]*$")]
LevelSlug = Annotated[
    str, Field(pattern=r"^(district|street|community|grid|micro-grid)$", examples=["micro-grid"])
]


class FormFieldIn(TextIn):
    key: str = Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")
    type: str = Field(pattern=r"^(text|number|choice|photo|yes_no|location)$", examples=["photo"])
    label_zh: str = Field(min_length=1, max_length=200)
    label_en: str = Field(default="", max_length=200)
    required: bool = True
    choices: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list, max_length=50
    )
    aggregates: list[str] = Field(default_factory=list, max_length=4)

    @classmethod
    def of(cls, spec: FormField) -> FormFieldIn:
        return cls.model_validate(spec.as_dict())


class SelectionIn(TextIn):
    """Targets inside `within` (default: the issuing area): filters combine."""

    within: Code | None = None
    level: LevelSlug | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=10)
    codes: list[Code] = Field(default_factory=list, max_length=5000)

    def to_domain(self) -> Selection:
        return Selection(
            within=self.within,
            level=Level.from_slug(self.level) if self.level else None,
            tags=tuple(dict.fromkeys(self.tags)),
            codes=tuple(dict.fromkeys(self.codes)),
        )


class PreviewIn(TextIn):
    from_area: Code | None = Field(default=None, description="The issuing area; default: yours")
    selection: SelectionIn


class PreviewOut(BaseModel):
    issuer_code: str
    total: int
    by_level: dict[str, int]


class ContentIn(TextIn):
    title_zh: str = Field(min_length=1, max_length=200)
    title_en: str = Field(default="", max_length=200)
    body_zh: str = Field(default="", max_length=20_000)
    body_en: str = Field(default="", max_length=20_000)
    priority: Priority = Priority.NORMAL
    sign_deadline_at: AwareDatetime | None = None
    complete_deadline_at: AwareDatetime | None = None
    form: list[FormFieldIn] = Field(default_factory=list, max_length=50)
    attachments: AttachmentIds = Field(default_factory=list, max_length=20)

    def to_domain(self) -> Content:
        return Content(
            title_zh=self.title_zh,
            title_en=self.title_en,
            body_zh=self.body_zh,
            body_en=self.body_en,
            priority=self.priority,
            sign_deadline_at=self.sign_deadline_at,
            complete_deadline_at=self.complete_deadline_at,
            form=parse_form([f.model_dump() for f in self.form]),
            attachments=tuple(self.attachments),
        )


class DirectiveCreate(ContentIn):
    from_area: Code | None = Field(default=None, description="The issuing area; default: yours")
    selection: SelectionIn


class DirectivePublic(BaseModel):
    id: int
    issuer_code: str
    issued_by: str
    issued_at: datetime
    title_zh: str
    title_en: str
    body_zh: str
    body_en: str
    priority: Priority
    sign_deadline_at: datetime | None
    complete_deadline_at: datetime | None
    form: list[FormFieldIn]
    attachments: list[str]
    selection: dict[str, Any]
    target_count: int
    version: int
    material_version: int
    status: str
    revoked_at: datetime | None

    @classmethod
    def of(cls, d: Directive) -> DirectivePublic:
        c = d.content
        return cls(
            id=d.id,
            issuer_code=d.issuer_code,
            issued_by=d.issued_by,
            issued_at=d.issued_at,
            title_zh=c.title_zh,
            title_en=c.title_en,
            body_zh=c.body_zh,
            body_en=c.body_en,
            priority=c.priority,
            sign_deadline_at=c.sign_deadline_at,
            complete_deadline_at=c.complete_deadline_at,
            form=[FormFieldIn.of(f) for f in c.form],
            attachments=list(c.attachments),
            selection=d.selection.as_dict(),
            target_count=d.target_count,
            version=d.version,
            material_version=d.material_version,
            status=d.status.value,
            revoked_at=d.revoked_at,
        )


class IssuedOut(DirectivePublic):
    by_level: dict[str, int]


class DirectiveList(BaseModel):
    data: list[DirectivePublic]
    count: int
    page: int
    page_size: int


class RollupRowOut(BaseModel):
    code: str
    name_zh: str
    name_en: str
    level: str
    targeted: int
    signed: int
    in_progress: int
    done: int
    overdue: int

    @classmethod
    def of(cls, row: RollupRow) -> RollupRowOut:
        c = row.counts
        return cls(
            code=row.code,
            name_zh=row.name_zh,
            name_en=row.name_en,
            level=row.level_slug,
            targeted=c.targeted,
            signed=c.signed,
            in_progress=c.in_progress,
            done=c.done,
            overdue=row.overdue,
        )


class RollupOut(BaseModel):
    directive_id: int
    version: int
    at: datetime
    node: RollupRowOut
    children: list[RollupRowOut]


class ReceiptPublic(BaseModel):
    area_code: str
    name_zh: str
    name_en: str
    level: str
    state: str
    signed_version: int
    needs_signature: bool
    signed_at: datetime | None
    progress: int | None
    note: str
    feedback: dict[str, Any]
    done_at: datetime | None

    @classmethod
    def of(cls, directive: Directive, receipt: Receipt, area: Area | None) -> ReceiptPublic:
        return cls(
            area_code=receipt.area_code,
            name_zh=area.name_zh if area else "",
            name_en=area.name_en if area else "",
            level=receipt.level.slug,
            state=receipt.state.slug,
            signed_version=receipt.signed_version,
            needs_signature=needs_signature(directive, receipt),
            signed_at=receipt.signed_at,
            progress=receipt.progress,
            note=receipt.note,
            feedback=receipt.feedback,
            done_at=receipt.done_at,
        )


class ReceiptList(BaseModel):
    data: list[ReceiptPublic]
    count: int
    page: int
    page_size: int


class EntryOut(BaseModel):
    seq: int
    type: str
    at: datetime
    actor: str
    data: dict[str, Any]
    hash: str

    @classmethod
    def of(cls, entry: LedgerEntry) -> EntryOut:
        return cls(
            seq=entry.seq,
            type=entry.type,
            at=entry.at,
            actor=entry.actor,
            data=entry.data,
            hash=entry.hash,
        )


class ReceiptDetail(ReceiptPublic):
    history: list[EntryOut]


class ProgressIn(TextIn):
    percent: int = Field(ge=0, le=100)
    note: str = Field(default="", max_length=4000)


class CompleteIn(TextIn):
    values: dict[str, Any] = Field(description="The feedback form's answers, keyed by field")
    note: str = Field(default="", max_length=4000)


class ReasonIn(TextIn):
    reason: str = Field(min_length=1, max_length=4000)


class VersionOut(BaseModel):
    version: int
    at: datetime
    actor: str
    material: bool
    changes: dict[str, Any]

    @classmethod
    def of(cls, v: Version) -> VersionOut:
        return cls(
            version=v.version, at=v.at, actor=v.actor, material=v.material, changes=v.changes
        )


class TagsIn(TextIn):
    add: list[Tag] = Field(default_factory=list, max_length=20)
    remove: list[Tag] = Field(default_factory=list, max_length=20)


class TagsOut(BaseModel):
    code: str
    tags: list[str]


class DirectiveRevise(TextIn):
    """Only the fields sent change; a changed title, body, form or attachments, or a
    shortened deadline, is material: every unit signs again."""

    title_zh: str | None = Field(default=None, min_length=1, max_length=200)
    title_en: str | None = Field(default=None, max_length=200)
    body_zh: str | None = Field(default=None, max_length=20_000)
    body_en: str | None = Field(default=None, max_length=20_000)
    priority: Priority | None = None
    sign_deadline_at: AwareDatetime | None = None
    complete_deadline_at: AwareDatetime | None = None
    form: list[FormFieldIn] | None = Field(default=None, max_length=50)
    attachments: AttachmentIds | None = Field(default=None, max_length=20)

    def applied_to(self, old: Content) -> Content:
        sent = self.model_fields_set
        values: dict[str, Any] = {}
        for name in ("title_zh", "title_en", "body_zh", "body_en", "priority"):
            if name in sent and getattr(self, name) is not None:
                values[name] = getattr(self, name)
        for name in ("sign_deadline_at", "complete_deadline_at"):
            if name in sent:  # null clears a deadline
                values[name] = getattr(self, name)
        if "form" in sent and self.form is not None:
            values["form"] = parse_form([f.model_dump() for f in self.form])
        if "attachments" in sent and self.attachments is not None:
            values["attachments"] = tuple(self.attachments)
        return replace(old, **values)


class SignManyIn(TextIn):
    codes: list[Code] = Field(min_length=1, max_length=1000)


class SignManyOut(BaseModel):
    signed: int
    version: int
