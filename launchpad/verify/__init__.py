"""`launchpad verify`: is a deployed stack really healthy? One line per check, non-zero on any failure."""
