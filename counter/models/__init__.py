from .queue import ServiceArea, Ticket

__all__ = ["ServiceArea", "Ticket"]
