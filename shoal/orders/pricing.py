"""SAL-4/5 money of quote and order lines, in one place: Decimal, 2 places, ROUND_HALF_UP.

A line is quantity × unit price (amount), less a discount given either as a rate (percent of the
amount) or as an amount, never both and never more than the amount; a gift line (赠品, bundled
items) is priced 0. Cost is quantity × the product's unit cost at the time; profit = total − cost.
A document's totals are the sums of its lines, so they always agree with them.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from shoal.core.errors import InvalidInput

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
MAX_MONEY = Decimal("999999999999.99")  # DecimalField(max_digits=14, decimal_places=2)


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class DiscountTooLarge(InvalidInput):
    code = "discount_exceeds_amount"
    default_message = _("The discount cannot be more than the line amount.")


@dataclass(frozen=True)
class LineMoney:
    amount: Decimal  # quantity × unit price
    discount: Decimal  # the discount actually given, in money
    total: Decimal  # amount − discount
    cost: Decimal  # quantity × unit cost
    profit: Decimal  # total − cost (negative when sold below cost)


def line_money(
    *,
    quantity: Decimal,
    unit_price: Decimal,
    unit_cost: Decimal = ZERO,
    discount_rate: Decimal | None = None,
    discount_amount: Decimal | None = None,
    is_gift: bool = False,
    field_prefix: str = "",
) -> LineMoney:
    """The money of one line; raises InvalidInput (fields named ``<field_prefix><field>``) when the
    input cannot make a valid line."""
    quantity, unit_price, unit_cost = Decimal(quantity), Decimal(unit_price), Decimal(unit_cost)
    if quantity <= 0:
        raise InvalidInput(fields={f"{field_prefix}quantity": [_("The quantity must be more than 0.")]})
    if unit_price < 0:
        raise InvalidInput(fields={f"{field_prefix}unit_price": [_("The unit price must not be negative.")]})
    if discount_rate is not None and discount_amount is not None and (discount_rate or discount_amount):
        raise InvalidInput(
            fields={f"{field_prefix}discount_rate": [_("Give the discount as a rate or as an amount, not both.")]}
        )
    if is_gift and (unit_price != 0 or discount_rate or discount_amount):
        raise InvalidInput(fields={f"{field_prefix}unit_price": [_("A gift line is priced 0, without discount.")]})
    amount = money(quantity * unit_price)
    discount = ZERO
    if discount_rate:
        rate = Decimal(discount_rate)
        if rate < 0 or rate > HUNDRED:
            raise InvalidInput(
                fields={f"{field_prefix}discount_rate": [_("The discount rate is a percentage from 0 to 100.")]}
            )
        discount = money(amount * rate / HUNDRED)
    elif discount_amount:
        discount = money(discount_amount)
        if discount < 0:
            raise InvalidInput(fields={f"{field_prefix}discount_amount": [_("The discount must not be negative.")]})
        if discount > amount:
            message = _("The discount (%(discount)s) cannot be more than the line amount (%(amount)s).") % {
                "discount": discount,
                "amount": amount,
            }
            raise DiscountTooLarge(message, fields={f"{field_prefix}discount_amount": [message]})
    cost = money(quantity * unit_cost)
    total = amount - discount
    if amount > MAX_MONEY or cost > MAX_MONEY:
        raise InvalidInput(fields={f"{field_prefix}quantity": [_("The line amount is too large.")]})
    return LineMoney(amount=amount, discount=discount, total=total, cost=cost, profit=total - cost)


@dataclass(frozen=True)
class DocumentMoney:
    subtotal: Decimal
    discount: Decimal
    total: Decimal
    cost: Decimal
    profit: Decimal


def document_money(lines: list[LineMoney]) -> DocumentMoney:
    subtotal = sum((line.amount for line in lines), ZERO)
    discount = sum((line.discount for line in lines), ZERO)
    cost = sum((line.cost for line in lines), ZERO)
    total = subtotal - discount
    if subtotal > MAX_MONEY or cost > MAX_MONEY:
        raise InvalidInput(fields={"lines": [_("The document total is too large.")]})
    return DocumentMoney(subtotal=subtotal, discount=discount, total=total, cost=cost, profit=total - cost)
