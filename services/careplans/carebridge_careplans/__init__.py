"""Versioned care plans, medication safety checks, the coordinator worklist, adherence and check-ins."""
