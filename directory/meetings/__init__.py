"""Case meetings (concertations cliniques): describe a case, get a panel, plan the meeting."""
