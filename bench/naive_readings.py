"""The naive baseline's table, one ORM row per reading keyed by (sensor, ts), kept apart
from the app's tables (readings are stored as chunks there), and the stored counts."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Float, String, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

from civicgrid.adapters.db.engine import make_engine
from civicgrid.adapters.db.iot_uow import SqlIotUnitOfWork


class NaiveBase(DeclarativeBase):
    pass


class NaiveReadingRow(NaiveBase):
    __tablename__ = "bench_naive_readings"

    sensor_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ts: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    batch: Mapped[int] = mapped_column(BigInteger)
    late: Mapped[bool] = mapped_column(Boolean, default=False)


def create_naive_table(url: str) -> None:
    engine = create_engine(url)
    NaiveBase.metadata.create_all(engine)
    engine.dispose()


def stored_readings(url: str) -> int:
    """Readings in the app's store, through its port."""
    engine = make_engine(url)
    try:
        with SqlIotUnitOfWork(sessionmaker(engine)) as uow:
            return uow.readings.count()
    finally:
        engine.dispose()
