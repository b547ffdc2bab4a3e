"""Map the columns of a till's or booking system's CSV export to purchase fields.

Headers are compared as the contacts import compares them (case, accents, spaces and punctuation
ignored), then once more without a leading "customer", "guest", "client" or "buyer"
("Customer Email" is ``email``, "Guest name" ``full_name``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goodwill.exchange.parse.csv_mapping import header_key
from goodwill.exchange.parse.records import ImportFileError

# The fields a column can go to, in the order the mapping step offers them.
FIELD_CHOICES: list[tuple[str, object]] = [
    ("", gettext_lazy("— not imported —")),
    ("date", gettext_lazy("Date (and time)")),
    ("time", gettext_lazy("Time")),
    ("check_in", gettext_lazy("Check-in")),
    ("check_out", gettext_lazy("Check-out")),
    ("amount", gettext_lazy("Amount")),
    ("currency", gettext_lazy("Currency")),
    ("description", gettext_lazy("What (item, product)")),
    ("category", gettext_lazy("Category, department")),
    ("channel", gettext_lazy("Channel (in store, online, phone, walk-in)")),
    ("kind", gettext_lazy("Type (sale, refund, stay, inquiry)")),
    ("reference", gettext_lazy("Receipt or order number")),
    ("email", gettext_lazy("Customer email")),
    ("phone", gettext_lazy("Customer phone")),
    ("loyalty", gettext_lazy("Loyalty, member or card number")),
    ("given_name", gettext_lazy("Customer given name")),
    ("family_name", gettext_lazy("Customer family name")),
    ("full_name", gettext_lazy("Customer full name")),
]
FIELDS = frozenset(name for name, _label in FIELD_CHOICES if name) | {"ignore"}
_PREFIXES = ("customer", "guest", "client", "buyer", "member")

_NAMES = {
    "date": "date transactiondate transactiondatetime datetime saledate salesdate orderdate "
    "orderdatetime purchasedate bookingdate invoicedate receiptdate timestamp createdat created "
    "completedat paidat datum",
    "time": "time transactiontime saletime ordertime uhrzeit",
    "check_in": "checkin checkindate arrival arrivaldate",
    "check_out": "checkout checkoutdate departure departuredate",
    "amount": "amount total gross grosssales grossamount totalamount grandtotal totalgross "
    "totalinclvat totalinctax totalincltax amountpaid price value sum betrag summe umsatz",
    "currency": "currency currencycode curr wahrung",
    "description": "description item items itemname product productname article articlename "
    "service details lineitem beschreibung artikel",
    "category": "category department dept productcategory itemcategory productgroup kategorie "
    "warengruppe",
    "channel": "channel saleschannel orderchannel",
    "kind": "type kind transactiontype saletype transactionkind",
    "reference": "receipt receiptno receiptnumber receiptid orderid ordernumber orderno order "
    "transactionid transactionno transactionnumber invoice invoiceno invoicenumber bookingid "
    "bookingref bookingreference bookingnumber reservationid reservationnumber "
    "confirmationnumber reference ref belegnummer bonnummer",
    "email": "email emailaddress mail",
    "phone": "phone phonenumber telephone tel mobile mobilephone cell",
    "loyalty": "loyalty loyaltyno loyaltynumber loyaltycard loyaltycardnumber loyaltyid memberno "
    "membernumber memberid membershipno membershipnumber cardno cardnumber rewardsnumber "
    "rewardsid clubcard kundenkarte",
    "given_name": "firstname givenname first vorname",
    "family_name": "lastname familyname surname last nachname",
    "full_name": "name fullname customer guest client buyer",
}
_TABLE = {key: field for field, keys in _NAMES.items() for key in keys.split()}


def _guess(header: str) -> str:
    key = header_key(header)
    if key in _TABLE:
        return _TABLE[key]
    for prefix in _PREFIXES:
        if key.startswith(prefix) and key[len(prefix) :] in _TABLE:
            return _TABLE[key[len(prefix) :]]
    return ""


def auto_mapping(headers: list[str]) -> list[str]:
    """For each column, the purchase field it goes to ("" for none); a field goes to the
    first column that names it ("Date" before "Created at")."""
    taken: set[str] = set()
    out: list[str] = []
    for header in headers:
        field = _guess(header)
        out.append("" if field in taken else field)
        taken.add(field)
    return out


def apply_overrides(headers: list[str], mapping: list[str], overrides: dict[str, str]) -> list[str]:
    """The mapping with ``--map COLUMN=FIELD`` choices applied ("ignore" drops a column);
    ImportFileError naming an unknown column or field."""
    result = list(mapping)
    by_key = {header_key(h): i for i, h in enumerate(headers)}
    for column, choice in overrides.items():
        index = by_key.get(header_key(column))
        if index is None:
            raise ImportFileError(_("There is no column %(c)r.") % {"c": column})
        field = choice.strip()
        if field not in FIELDS:
            raise ImportFileError(
                _("Unknown field %(f)r; choose one of %(all)s.")
                % {"f": field, "all": ", ".join(sorted(FIELDS))}
            )
        result[index] = "" if field == "ignore" else field
    return result


def check_mapping(name: str, headers: list[str], mapping: list[str]) -> None:
    """ImportFileError naming the file when nothing says when or who: a POS import needs a
    date (or check-in) column and a customer column."""
    fields = set(mapping)
    if not fields & {"date", "check_in"}:
        raise ImportFileError(
            _("%(name)s: no column says when (columns: %(cols)s); map one to date.")
            % {"name": name, "cols": ", ".join(h for h in headers[:12] if h)}
        )
    if not fields & {"email", "phone", "loyalty", "given_name", "family_name", "full_name"}:
        raise ImportFileError(
            _(
                "%(name)s: no column names the customer (email, phone, loyalty number or "
                "name); map one."
            )
            % {"name": name}
        )
