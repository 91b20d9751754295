"""Write the demo help center's warranty policy PDF: `python -m devtools.make_demo_pdf`.

The text is ours, written for the InnovateTech demo shop (it goes beyond the knowledge base's
warranty entry and agrees with it). The PDF is committed as helpcenter/warranty-policy.pdf;
run this again after changing the text.
"""

from __future__ import annotations

from pathlib import Path

from devtools.pdf_writer import text_pdf

TARGET = Path(__file__).resolve().parent.parent / "helpcenter" / "warranty-policy.pdf"
PAGES = [
    [
        "# Warranty policy",
        "Every InnovateTech product comes with a one-year limited warranty against manufacturing defects, "
        "starting on the delivery date. This policy says what the warranty covers, what it does not, and how "
        "a claim goes. It applies to the Aura Buds, the Aura Over-Ear headphones, the Volt Charger and every "
        "accessory sold on our site.",
        "# What is covered",
        "The warranty covers faults in materials and workmanship that appear in normal use: an earbud that no "
        "longer charges, a hinge that breaks without a fall, a port that stops delivering power, buttons or "
        "touch controls that stop responding. The battery is covered too: if its capacity drops below 70% of "
        "the original within the warranty period, we replace the product.",
        "# What is not covered",
        "The warranty does not cover accidental damage (drops, cracks, crushed cases), water damage beyond the "
        "product's stated resistance, normal wear of ear cushions and ear tips, loss or theft, cosmetic "
        "scratches, or damage from repairs or changes made by anyone other than InnovateTech. Products "
        "bought from sellers other than InnovateTech or its authorised resellers are not covered.",
    ],
    [
        "# Care+ extended protection",
        "Care+ adds two years to the warranty, three years in all from delivery, and covers one accidental "
        "damage claim per year for a fee of $29. Care+ costs $19 for the Volt Charger and $39 for the Aura Buds "
        "and Aura Over-Ear. It can be added at checkout or up to 30 days after delivery from the Orders page.",
        "# Making a claim",
        "Open a warranty claim from the Orders page with a short description and a photo of the problem. "
        "We answer within one business day. When we need the product, we email a prepaid label; once it "
        "arrives, a repair or a replacement ships within 5 to 7 business days. A replacement is a new unit of "
        "the same model, or of the model that replaced it when it is no longer made. The replacement keeps the "
        "rest of the original warranty, or 90 days, whichever is longer.",
        "# Serial numbers",
        "The serial number is printed inside the Aura Buds case lid, under the left ear cushion of the Aura "
        "Over-Ear and on the side of the Volt Charger. A claim without the serial number can take longer.",
        "# Gifts and second owners",
        "The warranty follows the product: a person who received it as a gift, or bought it from its first "
        "owner, can claim with the original order number. Ask the first owner to transfer the order from "
        "their account's Orders page.",
    ],
]


def main() -> None:
    TARGET.write_bytes(text_pdf(PAGES, title="Warranty policy"))
    print(f"wrote {TARGET} ({TARGET.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
