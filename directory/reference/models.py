"""Reference tables loaded from `seed/` and shared by every domain."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, validates

from directory.extensions import Model
from directory.text import fold


class _Bilingual:
    """Rows labelled in French and English; `label(locale)` picks one."""

    label_fr: Mapped[str]
    label_en: Mapped[str]

    def label(self, locale: str) -> str:
        return self.label_en if locale == "en" else self.label_fr


class Region(_Bilingual, Model):
    """One of Québec's 17 administrative regions, keyed by its official two-digit code."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    label_fr: Mapped[str] = mapped_column(String(80))
    label_en: Mapped[str] = mapped_column(String(80))


class Sector(_Bilingual, Model):
    """A sector of expertise (docs/domain.md#sector-codes), its group in the report's Tableau 2."""

    __tablename__ = "sectors"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    short_fr: Mapped[str] = mapped_column(String(60))
    short_en: Mapped[str] = mapped_column(String(60))
    label_fr: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    group: Mapped[str] = mapped_column(String(12))
    position: Mapped[int] = mapped_column(Integer, default=0)

    def short(self, locale: str) -> str:
        return self.short_en if locale == "en" else self.short_fr


class Population(_Bilingual, Model):
    """A population served (women, men, children, …)."""

    __tablename__ = "populations"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    label_fr: Mapped[str] = mapped_column(String(80))
    label_en: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Municipality(Model):
    """A place of the offline gazetteer (GeoNames), with its region and centroid."""

    __tablename__ = "municipalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    geonames_id: Mapped[int | None]
    name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    population: Mapped[int | None]
    region_source: Mapped[str] = mapped_column(String(12))

    @validates("name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = fold(name)
        return name


class PostalArea(Model):
    """A forward sortation area (first three characters of a postal code) and its centroid."""

    __tablename__ = "postal_areas"

    fsa: Mapped[str] = mapped_column(String(3), primary_key=True)
    place: Mapped[str] = mapped_column(String(120))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
