"""Every write to accounts: users, roles, the business profile and API tokens."""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from datetime import timedelta

import phonenumbers
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record, diff, snapshot
from goodwill.accounts.models import ApiToken, Business, User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Conflict, Forbidden, Invalid, NotFound

TOKEN_PREFIX = "gw_"  # noqa: S105 (a public prefix, not a secret)
BUSINESS_FIELDS = [
    "name",
    "address",
    "contact_email",
    "phone",
    "website",
    "time_zone",
    "phone_region",
    "currency",
]


def _clean_email(email: str) -> str:
    value = (email or "").strip().lower()
    try:
        validate_email(value)
    except ValidationError as exc:
        raise Invalid.field("email", _("Enter a valid email address.")) from exc
    return value


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(
            "password: " + " ".join(exc.messages), fields={"password": exc.messages}
        ) from exc


def user_create(
    *,
    actor: User | None,
    email: str,
    role: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
) -> tuple[User, str]:
    """Create a login (owners). Returns the user and the password (generated if none given)."""
    require_role(actor, User.Role.OWNER)
    if role not in User.Role.values:
        raise Invalid.field("role", _("Unknown role %(role)s.") % {"role": role})
    email = _clean_email(email)
    if User.objects.filter(email=email).exists():
        raise Conflict(
            _("A user with this email already exists."), fields={"email": [_("Already in use.")]}
        )
    user = User(email=email, role=role, first_name=first_name.strip(), last_name=last_name.strip())
    user.is_staff = role == User.Role.OWNER
    password = password or secrets.token_urlsafe(12)
    _check_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        audit_record(actor=actor, action="user.create", target=user, changes={"role": [None, role]})
    return user, password


def owner_create(*, email: str, password: str | None = None) -> tuple[User, str]:
    """Command-line bootstrap of an owner account."""
    return user_create(actor=None, email=email, role=User.Role.OWNER, password=password)


def user_update(
    *, actor: User | None, user: User, role: str | None = None, is_active: bool | None = None
) -> User:
    """Change a user's role or (de)activate them; owners only; the last active owner stays."""
    require_role(actor, User.Role.OWNER)
    if role is not None and role not in User.Role.values:
        raise Invalid.field("role", _("Unknown role %(role)s.") % {"role": role})
    before = snapshot(user, ["role", "is_active"])
    new_role = role if role is not None else user.role
    new_active = is_active if is_active is not None else user.is_active
    losing_owner = user.role == User.Role.OWNER and (new_role != User.Role.OWNER or not new_active)
    with transaction.atomic():
        if (
            losing_owner
            # Locked so two owners demoting each other at once cannot both succeed.
            and not User.objects.select_for_update()
            .filter(role=User.Role.OWNER, is_active=True)
            .exclude(pk=user.pk)
            .exists()
        ):
            raise Conflict(_("The business needs at least one active owner."))
        user.role = new_role
        user.is_active = new_active
        user.is_staff = new_role == User.Role.OWNER
        user.save(update_fields=["role", "is_active", "is_staff"])
        changes = diff(before, snapshot(user, ["role", "is_active"]))
        if changes:
            audit_record(actor=actor, action="user.update", target=user, changes=changes)
    return user


def business_get() -> Business:
    """The business profile, created with defaults on first use."""
    business, _created = Business.objects.get_or_create(pk=1)
    return business


def business_update(*, actor: User | None, **fields: str) -> Business:
    """Edit name, address, contact email, phone, website, time zone, phone region and currency;
    owners only."""
    require_role(actor, User.Role.OWNER)
    unknown = set(fields) - set(BUSINESS_FIELDS)
    if unknown:
        raise Invalid.field(sorted(unknown)[0], _("Unknown field."))
    business = business_get()
    before = snapshot(business, BUSINESS_FIELDS)
    for name, value in fields.items():
        setattr(business, name, (value or "").strip())
    if "time_zone" in fields and business.time_zone not in zoneinfo.available_timezones():
        raise Invalid.field("time_zone", _("Unknown time zone."))
    business.phone_region = business.phone_region.upper()
    if business.phone_region not in phonenumbers.SUPPORTED_REGIONS:
        raise Invalid.field("phone_region", _("Unknown country code."))
    business.currency = business.currency.upper()
    if len(business.currency) != 3 or not business.currency.isalpha():
        raise Invalid.field("currency", _("Use a three-letter currency code such as EUR."))
    if not business.name:
        raise Invalid.field("name", _("This field is required."))
    _clean_contacts(business)
    with transaction.atomic():
        business.save()
        audit_record(
            actor=actor,
            action="business.update",
            target=business,
            changes=diff(before, snapshot(business, BUSINESS_FIELDS)),
        )
    return business


def _clean_contacts(business: Business) -> None:
    """Check the contact email, phone (kept in international format) and website (https:// is
    added when no scheme is given); Invalid names the field."""
    if business.contact_email:
        business.contact_email = business.contact_email.lower()
        try:
            validate_email(business.contact_email)
        except ValidationError as exc:
            raise Invalid.field("contact_email", _("Enter a valid email address.")) from exc
    if business.phone:
        try:
            number = phonenumbers.parse(business.phone, business.phone_region)
        except phonenumbers.NumberParseException as exc:
            raise Invalid.field("phone", _("Enter a valid phone number.")) from exc
        if not phonenumbers.is_valid_number(number):
            raise Invalid.field("phone", _("Enter a valid phone number."))
        business.phone = phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
    if business.website:
        if "://" not in business.website:
            business.website = "https://" + business.website
        try:
            URLValidator(schemes=["http", "https"])(business.website)
        except ValidationError as exc:
            raise Invalid.field("website", _("Enter a web address such as example.com.")) from exc


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a token for ``user`` (oneself; owners: anyone); the raw token is shown once."""
    if actor is not None and actor.pk != user.pk:
        require_role(actor, User.Role.OWNER)
    if actor is not None and not actor.is_active:
        raise Forbidden(_("Your account is deactivated."))
    name = (name or "").strip()
    if not name:
        raise Invalid.field("name", _("This field is required."))
    if not user.is_active:
        raise Invalid.field("email", _("This user is deactivated."))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], prefix=raw[:10], token_hash=_hash(raw)
        )
        audit_record(actor=actor, action="token.create", target=token)
    return token, raw


def token_revoke(*, actor: User | None, token_id: int) -> ApiToken:
    """Revoke a token: its own user or an owner may; a revoked token never works again."""
    token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
    if token is None or (actor is not None and token.user_id != actor.pk and not actor.is_owner):
        raise NotFound(_("No such token."))
    if actor is not None and not actor.is_active:
        raise Forbidden(_("Your account is deactivated."))
    if token.revoked_at is None:
        with transaction.atomic():
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action="token.revoke", target=token)
    return token


def token_authenticate(*, raw: str) -> User | None:
    """The active user behind a live token, or None; notes when it was last used (once a minute)."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(raw), revoked_at=None)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
