"""The demo shop's customers and orders (invented), for the fake shop API and the demo storefront's sign-in.

Every customer has an order still `processing` (it can be cancelled) and one `shipped`; order
dates count back from today, so the demo reads as recent whenever it runs.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

PRICES = {"Aura Buds": Decimal("129.00"), "Aura Over-Ear": Decimal("229.00"), "Volt Charger": Decimal("49.00")}

CUSTOMERS = (
    {"id": "cust-1001", "name": "Ada Whitfield", "email": "ada.whitfield@example.com"},
    {"id": "cust-1002", "name": "Bruno Okafor", "email": "bruno.okafor@example.com"},
    {"id": "cust-1003", "name": "Chloé Marchetti", "email": "chloe.marchetti@example.com"},
)

# customer, order id, status, days ago, {product: quantity}, (carrier, tracking number) or None
_ORDERS = (
    ("cust-1001", "10234", "processing", 1, {"Aura Buds": 1}, None),
    ("cust-1001", "10187", "shipped", 4, {"Aura Over-Ear": 1}, ("Parcelway", "PW4471902338")),
    ("cust-1001", "9876", "delivered", 38, {"Volt Charger": 2}, ("SwiftPost", "SP00918273")),
    ("cust-1002", "10240", "processing", 0, {"Aura Buds": 1, "Volt Charger": 1}, None),
    ("cust-1002", "10102", "shipped", 3, {"Aura Buds": 2}, ("SwiftPost", "SP00977410")),
    ("cust-1002", "8841", "cancelled", 61, {"Aura Over-Ear": 1}, None),
    ("cust-1003", "10251", "processing", 2, {"Aura Over-Ear": 1, "Volt Charger": 1}, None),
    ("cust-1003", "10033", "shipped", 6, {"Volt Charger": 2}, ("Parcelway", "PW4470015526")),
    ("cust-1003", "74120", "delivered", 95, {"Aura Buds": 1}, ("Parcelway", "PW4392208814")),
)

_TRACKING = {
    "Parcelway": "https://track.parcelway.example/parcel/{}",
    "SwiftPost": "https://swiftpost.example/track?number={}",
}


def demo_customers() -> list[dict[str, str]]:
    """The demo customers: id, name and email."""
    return [dict(customer) for customer in CUSTOMERS]


def demo_orders(today: date | None = None) -> dict[str, list[dict[str, Any]]]:
    """Each demo customer's orders, newest first, as the shop's API returns them."""
    today = today or datetime.now(UTC).date()
    orders: dict[str, list[dict[str, Any]]] = {customer["id"]: [] for customer in CUSTOMERS}
    for customer_id, order_id, status, days_ago, items, shipment in sorted(_ORDERS, key=lambda row: row[3]):
        placed = today - timedelta(days=days_ago)
        orders[customer_id].append(_order(order_id, status, placed, items, shipment))
    return orders


def _order(
    order_id: str, status: str, placed: date, items: dict[str, int], shipment: tuple[str, str] | None
) -> dict[str, Any]:
    total = sum((PRICES[name] * quantity for name, quantity in items.items()), Decimal("0"))
    return {
        "id": order_id,
        "status": status,
        "placed_at": placed.isoformat(),
        "items": [{"name": name, "quantity": quantity} for name, quantity in items.items()],
        "total": f"{total:.2f}",
        "currency": "USD",
        "shipment": _shipment(*shipment) if shipment else None,
    }


def _shipment(carrier: str, number: str) -> dict[str, str]:
    return {"carrier": carrier, "tracking_url": _TRACKING[carrier].format(number)}
