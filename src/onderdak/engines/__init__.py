"""Pure computational engines: no Django, no ORM, no I/O, no settings, no clock."""
