"""Money is exact (SAL-4/5): property tests of the one place lines and totals are computed."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shoal.core.errors import InvalidInput
from shoal.orders import pricing

quantities = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2)
prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("1000000"), places=2)
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=2)


@st.composite
def lines(draw):
    quantity, price, cost = draw(quantities), draw(prices), draw(prices)
    gift = draw(st.booleans())
    if gift:
        return {"quantity": quantity, "unit_price": Decimal(0), "unit_cost": cost, "is_gift": True}
    kind = draw(st.sampled_from(["none", "rate", "amount"]))
    line = {"quantity": quantity, "unit_price": price, "unit_cost": cost}
    if kind == "rate":
        line["discount_rate"] = draw(rates)
    elif kind == "amount":
        amount = pricing.money(quantity * price)
        line["discount_amount"] = draw(st.decimals(min_value=Decimal(0), max_value=amount, places=2))
    return line


@settings(max_examples=300)
@given(st.lists(lines(), min_size=1, max_size=20))
def test_document_totals_agree_with_their_lines_and_are_never_negative(drawn):
    figures = [pricing.line_money(**line) for line in drawn]
    totals = pricing.document_money(figures)
    assert totals.subtotal == sum(f.amount for f in figures)
    assert totals.discount == sum(f.discount for f in figures)
    assert totals.total == sum(f.total for f in figures) == totals.subtotal - totals.discount
    assert totals.cost == sum(f.cost for f in figures)
    assert totals.profit == totals.total - totals.cost
    for value in (totals.subtotal, totals.discount, totals.total, totals.cost):
        assert value >= 0 and value == value.quantize(pricing.CENT)
    for f, line in zip(figures, drawn, strict=True):
        assert 0 <= f.discount <= f.amount
        assert f.total == f.amount - f.discount >= 0
        if line.get("is_gift"):
            assert f.amount == f.total == 0


@given(quantities, prices, st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000"), places=2))
def test_a_discount_above_the_line_amount_is_refused_with_a_clear_error(quantity, price, extra):
    amount = pricing.money(quantity * price)
    with pytest.raises(pricing.DiscountTooLarge) as error:
        pricing.line_money(quantity=quantity, unit_price=price, discount_amount=amount + extra)
    assert error.value.code == "discount_exceeds_amount"
    assert "discount_amount" in error.value.fields


def test_rate_discount_rounds_half_up_to_cents():
    line = pricing.line_money(quantity=Decimal(3), unit_price=Decimal("33.33"), discount_rate=Decimal("12.5"))
    assert line.amount == Decimal("99.99") and line.discount == Decimal("12.50") and line.total == Decimal("87.49")


def test_invalid_lines_are_refused():
    with pytest.raises(InvalidInput):
        pricing.line_money(quantity=Decimal(0), unit_price=Decimal(1))
    with pytest.raises(InvalidInput):
        pricing.line_money(quantity=Decimal(1), unit_price=Decimal(-1))
    with pytest.raises(InvalidInput):
        pricing.line_money(quantity=Decimal(1), unit_price=Decimal(10), discount_rate=Decimal(101))
    with pytest.raises(InvalidInput):  # rate and amount together
        pricing.line_money(quantity=Decimal(1), unit_price=Decimal(10), discount_rate=1, discount_amount=1)
    with pytest.raises(InvalidInput):  # a gift has no price
        pricing.line_money(quantity=Decimal(1), unit_price=Decimal(10), is_gift=True)
