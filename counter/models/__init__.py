from .queue import KioskDevice, ServiceArea, Ticket

__all__ = ["KioskDevice", "ServiceArea", "Ticket"]
