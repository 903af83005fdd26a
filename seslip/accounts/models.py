"""People and their accounts."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seslip.extensions import db
from seslip.organisations.models import Organisation
from seslip.timeutil import utcnow


class SiteRole(enum.StrEnum):
    """What a person may do across the whole intranet (network posts come from networks)."""

    ADMIN = "admin"
    PROGRAMME_MANAGER = "programme_manager"
    MEMBER = "member"


class OrgRole(enum.StrEnum):
    """A person's role in their own organisation."""

    LEAD_MEMBER = "lead_member"
    DCS = "dcs"
    OFFICER = "officer"
    PARTNER = "partner"

    @property
    def label(self) -> str:
        return ORG_ROLE_LABELS[self]


ORG_ROLE_LABELS = {
    OrgRole.LEAD_MEMBER: "Lead member for children's services",
    OrgRole.DCS: "Director of children's services",
    OrgRole.OFFICER: "Officer",
    OrgRole.PARTNER: "Partner representative",
}


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    site_role: Mapped[SiteRole] = mapped_column(
        Enum(SiteRole, native_enum=False, length=30), default=SiteRole.MEMBER
    )
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    org_role: Mapped[OrgRole | None] = mapped_column(Enum(OrgRole, native_enum=False, length=30))
    # Accounts are deactivated, never deleted: people's answers and history point at them.
    is_active_account: Mapped[bool] = mapped_column(default=True)
    # Bumped on password change so other sessions stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    last_login_at: Mapped[datetime | None]

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.is_active_account and self.password_hash is not None

    def get_id(self) -> str:  # Flask-Login: invalidated when session_version changes
        return f"{self.id}:{self.session_version}"

    @property
    def is_admin(self) -> bool:
        return self.site_role == SiteRole.ADMIN

    @property
    def is_programme_manager(self) -> bool:
        return self.site_role == SiteRole.PROGRAMME_MANAGER

    @property
    def is_staff(self) -> bool:
        """Admins and the programme manager run the programme."""
        return self.site_role in {SiteRole.ADMIN, SiteRole.PROGRAMME_MANAGER}

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class TokenPurpose(enum.StrEnum):
    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a label, not a secret


class AccountToken(db.Model):
    """A single-use link sent by email: the SHA-256 of its secret, never the secret itself."""

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[TokenPurpose] = mapped_column(Enum(TokenPurpose, native_enum=False, length=20))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The secret is rebuilt from this at sending (tokens.secret_from_seed); "" once sent.
    seed: Mapped[str] = mapped_column(String(64), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])


class AttemptKind(enum.StrEnum):
    LOGIN = "login"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a label, not a secret


class LoginAttempt(db.Model):
    """Sign-in and reset-request attempts: the rate limiter's memory and an audit of sign-ins.

    Kept in the database so every worker process sees the same counts.
    """

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_email_at", "email", "at"),
        Index("ix_login_attempt_ip_at", "ip_address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AttemptKind] = mapped_column(
        Enum(AttemptKind, native_enum=False, length=20), default=AttemptKind.LOGIN
    )
    email: Mapped[str] = mapped_column(String(320))  # normalised, as typed
    ip_address: Mapped[str] = mapped_column(String(45))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    succeeded: Mapped[bool] = mapped_column(default=False)


class SignedInSession(db.Model):
    """One signed-in browser. Its cookie carries a random secret; only the SHA-256 is kept.

    Looked up with the person on every request, so signing out, a password change and
    deactivation make every copy of the cookie worthless at once.
    """

    __tablename__ = "signed_in_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]


class LoginThrottle(db.Model):
    """How many password checks one key (an account, an address, a known person at an address)
    has had lately, and when the next may be made. Changed only by one conditional upsert."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    checks: Mapped[int] = mapped_column(default=0)
    last_check_at: Mapped[datetime]
    next_check_at: Mapped[datetime]
