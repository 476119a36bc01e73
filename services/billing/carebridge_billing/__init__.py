"""Coverage, patient cost estimates, charges and claims, prior authorization and billing issues."""
