"""Country groups used for call eligibility."""

EU_COUNTRIES = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
)  # fmt: skip
EEA_EXTRA = ("IS", "LI", "NO")
EU_EEA = EU_COUNTRIES + EEA_EXTRA


def eu_eea_default():
    return list(EU_EEA)


def by_name(countries) -> list:
    """Countries in the alphabetical order of their names in the active language, accents
    included (« Allemagne, Autriche… République tchèque, Roumanie »):
    the Unicode Collation Algorithm of django-countries' own sort (pyuca), not code order."""
    from django_countries import sort_key

    return sorted(countries, key=lambda country: sort_key((country.code, str(country.name))))
