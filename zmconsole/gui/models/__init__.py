"""Qt item models over store queries; they hold no business rules and no copies of whole tables."""
