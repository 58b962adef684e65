"""Example receipts, declared once: the preview script and the contract suite both use them."""

from __future__ import annotations

from hardware.printer.receipt import Receipt

FRENCH = Receipt(
    reference="K01-00042-X",
    service="Demande de carte de séjour",
    submitted="12 mars 2025 à 10:30",
    lines=[
        ("Votre numéro de référence", "K01-00042-X"),
        (
            "Et ensuite\u00a0?",
            "Le bureau étudiera vos réponses et vous contactera sous cinq jours ouvrés. "
            "Conservez ce reçu et présentez-le à l'accueil.",
        ),
        ("Suivre votre demande", "Scannez ce code à n'importe quelle borne."),
    ],
    qr="K01-00042-X",
    language="fr",
    direction="ltr",
    heading="Votre reçu",
)

ARABIC = Receipt(
    reference="K01-00043-P",
    service="طلب بطاقة الإقامة",
    submitted="١٢ مارس ٢٠٢٥، ١٠:٣٠",
    lines=[
        ("رقم المرجع الخاص بك", "K01-00043-P"),
        (
            "ماذا يحدث بعد ذلك",
            "سيدرس المكتب إجاباتك ويتصل بك خلال خمسة أيام عمل. احتفظ بهذا الإيصال وأحضره معك.",
        ),
        ("متابعة الطلب", "امسح هذا الرمز في أي كشك، أو زر example.org."),
    ],
    qr="K01-00043-P",
    language="ar",
    direction="rtl",
    heading="إيصالك",
)

EXAMPLES = {"fr": FRENCH, "ar": ARABIC}
