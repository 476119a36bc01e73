"""Patients, their family and caregivers (with consent), the staff directory, care teams and allergies."""
