"""Time limits (时限): working days and the holiday calendar, the clocks of cases and items, and the
scan that turns them yellow and red and warns people."""
